import type { IsoDate } from './dates.js';
import type { StepName } from './steps.js';

/**
 * The statutory process of one child, folded from the `process_step` and `home_visit` entries of
 * their chronology in record order (machine.ts). Nothing here is stored as truth: the projection
 * tables (store.ts) are a copy of it, for lists.
 */

/** One recorded event: a process step, or a home visit (which keeps the visit clock on a plan). */
export type ProcessEvent =
  | { type: 'step'; id: string; step: StepName; at: Date; date: IsoDate; data: Record<string, unknown>; authorId: string | null; agencyId: string }
  | { type: 'visit'; id: string; at: Date; date: IsoDate; childSeen: boolean; seenAlone: boolean; authorId: string | null; agencyId: string };

/** A deadline given by a rule (or, for a safety-plan review, by the plan itself). */
export interface ClockDue {
  ruleId: string | null;
  code: string;
  /** The UK date it is due by; for hours, the date of the due instant. */
  dueOn: IsoDate;
  /** For hours: the exact instant, written with its UK offset. */
  dueAt: string | null;
  /** The first instant at which it is overdue. */
  overdueAt: Date;
  convention: string;
  amount: number;
  unit: string;
}

export interface Clock {
  key: string;
  code: string;
  label: string;
  episodeId: string | null;
  triggerEntryId: string;
  triggerAt: Date;
  due: ClockDue;
  completedEntryId?: string;
  completedAt?: Date;
  late?: boolean;
  lateReason?: string;
  cancelledAt?: Date;
  /** Who answers for it besides the allocated worker: the police officer who took the child, a chair's list. */
  alsoFor?: 'author' | 'conference_chairs';
  authorId?: string | null;
}

export interface Episode {
  id: string;
  referralAt: Date;
  referralDate: IsoDate;
  referralSource: string;
  primaryNeed: string;
  decision?: string;
  assessment?: { start: IsoDate; open: boolean };
  assessmentsCompleted: number;
  s47?: { start: IsoDate; strategyEntryId: string; status: 'open' | 'awaiting_conference' | 'closed'; icpcDate?: IsoDate; icpcNotRequired?: boolean };
  closed?: { on: IsoDate; reason: string; referralNfa: boolean };
}

export interface CpPlan {
  id: string;
  start: IsoDate;
  initialCategory: string;
  latestCategory: string;
  leadId: string;
  end?: IsoDate;
  reviews: IsoDate[];
}

export interface SafetyPlan {
  id: string;
  agreed: IsoDate;
  conditions: { condition: string; monitor?: { practitioner_id?: string; person_id?: string }; how_checked: string }[];
  reviewOn: IsoDate;
  breaches: { entryId: string; condition: number; breach: string; date: IsoDate }[];
  ended?: IsoDate;
}

/** Looked-after legal status, as the SSDA903 return codes it: C1 interim care order, C2 full care order, V2 s20. */
export type LegalStatus = 'C1' | 'C2' | 'V2';

/** The latest period of being looked after (CA89 s22): from the first order or accommodation until it ceased. */
export interface LookedAfter {
  id: string;
  since: IsoDate;
  legalStatus: LegalStatus;
  /** When the current legal status began (a care order after an interim one). */
  legalStatusSince: IsoDate;
  placement?: { id: string; type: string; since: IsoDate; postcode?: string };
  ceased?: { on: IsoDate; reason: string };
}

/** An action of the plan agreed at a conference or core group (plan-actions.ts), and what was said of it since. */
export interface PlanAction {
  /** `<entry id>:<index>`: the meeting's entry and the action's place in it. */
  id: string;
  what: string;
  practitionerId?: string;
  name?: string;
  dueOn: IsoDate;
  agreedAt: IsoDate;
  agreedStep: StepName;
  updates: { entryId: string; outcome: 'done' | 'not_done' | 'no_longer_needed'; reason?: string; date: IsoDate; authorId: string | null }[];
}

export interface ProcessState {
  episodes: Episode[];
  cpPlans: CpPlan[];
  cinPlans: { id: string; start: IsoDate; end?: IsoDate }[];
  policeProtection?: { id: string; start: Date; startDate: IsoDate; end?: Date; outcome?: string };
  epo?: { id: string; made: IsoDate; countedFrom: IsoDate; extended: boolean; until?: IsoDate; ended?: IsoDate };
  /** The latest request for a legal planning meeting: pending until the meeting is held or the case closes. */
  legalPlanning?: { requestId: string; requested: IsoDate; requestedBy: string | null; held?: IsoDate; lapsed?: IsoDate };
  preProceedings?: { start: IsoDate; letterSent?: IsoDate; decision?: string; closed?: IsoDate };
  proceedings?: { issued: IsoDate; concluded?: IsoDate; outcome?: string; extensions: number };
  safetyPlans: SafetyPlan[];
  /** Absent from states stored before plan actions existed. */
  planActions?: PlanAction[];
  lookedAfter?: LookedAfter;
  died?: IsoDate;
  clocks: Clock[];
}

export const emptyState = (): ProcessState => ({ episodes: [], cpPlans: [], cinPlans: [], safetyPlans: [], clocks: [] });

export const openEpisode = (s: ProcessState) => {
  const last = s.episodes.at(-1);
  return last && !last.closed ? last : undefined;
};
export const openCpPlan = (s: ProcessState) => s.cpPlans.find((p) => !p.end);
export const openCinPlan = (s: ProcessState) => s.cinPlans.find((p) => !p.end);
/** The child's looked-after period, while it lasts. */
export const lookedAfterNow = (s: ProcessState) => (s.lookedAfter && !s.lookedAfter.ceased ? s.lookedAfter : undefined);
export const openClocks = (s: ProcessState) => s.clocks.filter((c) => !c.completedAt && !c.cancelledAt);

/** Where the child is in the process, in words a practitioner uses. */
export function stageOf(s: ProcessState): string {
  if (s.policeProtection && !s.policeProtection.end) return 'In police protection';
  if (s.epo && !s.epo.ended) return 'Emergency protection order';
  if (openCpPlan(s)) return 'Child protection plan';
  if (lookedAfterNow(s)) return 'Looked after';
  const ep = openEpisode(s);
  if (ep?.s47 && ep.s47.status !== 'closed') return ep.s47.status === 'open' ? 'Section 47 enquiry' : 'Initial conference to convene';
  if (openCinPlan(s)) return 'Child in need plan';
  if (ep?.assessment?.open) return 'Assessment';
  if (ep && !ep.decision) return 'Referral awaiting decision';
  if (ep) return 'Open case';
  return s.episodes.length ? 'Closed' : 'No referral';
}
