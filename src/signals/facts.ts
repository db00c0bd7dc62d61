import { londonDate, type IsoDate } from '../process/dates.js';
import type { ProcessState, SafetyPlan } from '../process/state.js';

/**
 * What the red-flag rules read about one child, as the record stood at `asOf`. Pure data: loaded by
 * facts-store.ts (inside the append transaction) or cut from a child's whole history for a trial
 * (`factsAsOf`), so the same evaluators answer both.
 */
export interface FactEntry {
  id: string;
  seq: number;
  kind: string;
  occurred_at: Date;
  recorded_at: Date;
  data: Record<string, unknown>;
  concerns: string[];
  supersedes_id: string | null;
  author_name: string;
  agency_id: string;
  agency_name: string;
  /** local_authority, police, health, school, other. */
  agency_kind: string;
}

export interface ProcessFacts {
  cpPlans: { id: string; start: IsoDate; end?: IsoDate }[];
  cinPlans: { id: string; start: IsoDate; end?: IsoDate }[];
  /** Looked after now: a care order, an interim care order or s20 accommodation, until it ceased. */
  lookedAfter: boolean;
  /** Each referral (a CIN episode): when it came, and when the episode closed. */
  referrals: { entryId: string; date: IsoDate; closed?: IsoDate }[];
  /** Strategy discussions that started a section 47 enquiry. */
  s47s: { entryId: string; date: IsoDate }[];
  safetyPlans: SafetyPlan[];
  clocks: { key: string; code: string; label: string; triggerEntryId: string; triggerAt: Date; dueOn: IsoDate; overdueAt: Date; open: boolean }[];
  /** The plan's actions (R7 (a)): when each was due, when it stopped being open (done, no longer needed, case closed), and each "not done". */
  planActions: FactPlanAction[];
}

export interface FactPlanAction {
  id: string;
  what: string;
  dueOn: IsoDate;
  agreedEntryId: string;
  closedOn?: IsoDate;
  notDone: { entryId: string; date: IsoDate }[];
}

/** A relationship recorded between the child and an adult. */
export interface FactRelationship {
  id: string;
  kind: string;
  lives_with_child: boolean;
  valid_from: IsoDate;
  valid_to: IsoDate | null;
  recorded_at: Date;
  /** The agency of whoever recorded it, when known. */
  agency_name: string | null;
}

/** An adult linked to the child by a relationship, by being named in an entry, or by sharing the child's address. */
export interface LinkedAdult {
  person_id: string;
  name: string;
  sex: string;
  relationships: FactRelationship[];
  /** Since when they have lived at the child's current address, if they do. */
  same_address_since: IsoDate | null;
}

export interface Facts {
  childId: string;
  dateOfBirth: IsoDate | null;
  expectedDateOfBirth: IsoDate | null;
  /** The entries the rules read, in record order (seq). */
  entries: FactEntry[];
  process: ProcessFacts;
  adults: LinkedAdult[];
  asOf: Date;
}

const asDate = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));

/**
 * The process facts from a folded state, or from its stored JSON copy (process_children.state),
 * where instants are strings.
 */
export function processFacts(s: ProcessState | undefined): ProcessFacts {
  if (!s) return { cpPlans: [], cinPlans: [], lookedAfter: false, referrals: [], s47s: [], safetyPlans: [], clocks: [], planActions: [] };
  return {
    cpPlans: s.cpPlans.map((p) => ({ id: p.id, start: p.start, end: p.end })),
    cinPlans: s.cinPlans.map((p) => ({ id: p.id, start: p.start, end: p.end })),
    // A stored state from before looked-after periods were folded has only its care order.
    lookedAfter: s.lookedAfter ? !s.lookedAfter.ceased : s.proceedings?.outcome === 'care_order',
    referrals: s.episodes.map((e) => ({ entryId: e.id, date: e.referralDate, closed: e.closed?.on })),
    s47s: s.episodes.flatMap((e) => (e.s47 ? [{ entryId: e.s47.strategyEntryId, date: e.s47.start }] : [])),
    safetyPlans: s.safetyPlans,
    clocks: s.clocks.map((c) => ({
      key: c.key, code: c.code, label: c.label, triggerEntryId: c.triggerEntryId, triggerAt: asDate(c.triggerAt), dueOn: c.due.dueOn,
      overdueAt: asDate(c.due.overdueAt), open: !c.completedAt && !c.cancelledAt,
    })),
    planActions: planActionFacts(s),
  };
}

/** The child's age in whole months on `on` (from the date of birth, else the expected one). */
export function ageInMonths(f: Pick<Facts, 'dateOfBirth' | 'expectedDateOfBirth'>, on: IsoDate): number | null {
  const born = f.dateOfBirth ?? f.expectedDateOfBirth;
  if (!born) return null;
  const [y1, m1, d1] = born.split('-').map(Number);
  const [y2, m2, d2] = on.split('-').map(Number);
  return (y2 - y1) * 12 + (m2 - m1) - (d2 < d1 ? 1 : 0);
}

/** Whether a plan was open on `on`. */
export const openOn = (p: { start: IsoDate; end?: IsoDate }, on: IsoDate) => p.start <= on && (!p.end || p.end > on);

/** A state's plan actions as the rules read them (states stored before plan actions have none). */
function planActionFacts(s: ProcessState): FactPlanAction[] {
  return (s.planActions ?? []).map((a) => {
    const cancelled = s.clocks.find((c) => c.key === `PA:${a.id}`)?.cancelledAt;
    const closedOn = a.updates.find((u) => u.outcome !== 'not_done')?.date ?? (cancelled ? londonDate(asDate(cancelled)) : undefined);
    const notDone = a.updates.filter((u) => u.outcome === 'not_done').map((u) => ({ entryId: u.entryId, date: u.date }));
    return { id: a.id, what: a.what, dueOn: a.dueOn, agreedEntryId: a.id.split(':')[0], closedOn, notDone };
  });
}
