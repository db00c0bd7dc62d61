import type { ProcessState } from '../process/state.js';
import type { Hit } from './hit.js';
import { processFacts, type FactEntry, type Facts, type LinkedAdult } from './facts.js';
import { runRule } from './engine.js';
import type { SignalRule } from './rules.js';
import type { Occasion, RuleLogic } from './evaluators/types.js';

/**
 * A rule trial (issue 6 part 4): each child's history replayed in the order Sightline learned it,
 * through the same evaluator, as the record stood after each entry (and each relationship recorded),
 * so an administrator sees what a rule version would have raised, where, and why. Pure.
 */
export interface ChildHistory {
  childId: string;
  childName: string;
  dateOfBirth: string | null;
  expectedDateOfBirth: string | null;
  /** Every entry the rules read, in record order. */
  entries: FactEntry[];
  /** Adults with every relationship ever recorded (each kept out of the replay until it was recorded). */
  adults: LinkedAdult[];
  /** The process folded from the entries up to and including `seq`. */
  processAt(seq: number): ProcessState | undefined;
}

export interface TrialHit {
  rule_id: string;
  child_name: string;
  /** When the replay raised it: the entry's date, or the day a relationship was recorded. */
  at: string;
  /** The entry kind that raised it, 'relationship' for a relationship recorded, 'schedule' for an absence found later. */
  kind: string;
  agency: string | null;
  reason: string;
  /** False when an earlier hit of the same pattern for this child would still be open: the alert would be added to, not raised. */
  first: boolean;
  pattern_key: string;
}

type Step = { at: Date; on: Occasion; seq: number; kind: string; agency: string | null; recordedAt: Date };

/** The replay's steps: entries in record order, with each relationship recorded slotted in where it was recorded. */
function steps(h: ChildHistory): Step[] {
  const out: Step[] = h.entries.map((e) => ({ at: e.occurred_at, on: { entries: [e] }, seq: e.seq, kind: e.kind, agency: e.agency_name, recordedAt: e.recorded_at }));
  for (const a of h.adults) {
    for (const r of a.relationships) {
      const seq = h.entries.filter((e) => e.recorded_at <= r.recorded_at).at(-1)?.seq ?? 0;
      out.push({ at: r.recorded_at, on: { people: [a.person_id] }, seq: seq + 0.5, kind: 'relationship', agency: r.agency_name, recordedAt: r.recorded_at });
    }
  }
  return out.sort((x, y) => x.seq - y.seq);
}

/** The facts as the record stood at a step: entries up to it, relationships recorded by then. */
function factsAt(h: ChildHistory, s: Step, asOf: Date): Facts {
  const seq = Math.floor(s.seq);
  return {
    childId: h.childId, dateOfBirth: h.dateOfBirth, expectedDateOfBirth: h.expectedDateOfBirth, asOf,
    entries: h.entries.filter((e) => e.seq <= seq),
    adults: h.adults.map((a) => ({ ...a, relationships: a.relationships.filter((r) => r.recorded_at <= s.recordedAt) })),
    process: processFacts(h.processAt(seq)),
  };
}

/**
 * Replays one child's history through one rule version. Absence rules look after each step (as of
 * the latest date seen) and once more at `now`; each of their occurrences is listed once.
 */
export function replay(h: ChildHistory, logic: RuleLogic, rule: SignalRule, now: Date): TrialHit[] {
  if (!rule.enabled) return [];
  const out: TrialHit[] = [];
  const seen = new Set<string>();
  const note = (hits: Hit[], s: Pick<Step, 'at' | 'kind' | 'agency'>) => {
    for (const x of hits) {
      if (x.once && seen.has(x.pattern_key)) continue;
      out.push({ rule_id: x.rule_id, child_name: h.childName, at: s.at.toISOString(), kind: s.kind, agency: s.agency, reason: x.reason, first: !seen.has(x.pattern_key), pattern_key: x.pattern_key });
      seen.add(x.pattern_key);
    }
  };
  let latest = new Date(0);
  const all = steps(h);
  for (const s of all) {
    if (s.at > latest) latest = s.at;
    const listens = 'entries' in s.on ? s.on.entries.some((e) => logic.listens(e)) : 'people' in s.on ? !!logic.people : false;
    if (listens) note(runRule(logic, rule, factsAt(h, s, latest), s.on), s);
    if (logic.scheduled) note(runRule(logic, rule, factsAt(h, s, latest), { at: latest }), { at: latest, kind: 'schedule', agency: null });
  }
  const last = all.at(-1);
  if (logic.scheduled && last) note(runRule(logic, rule, factsAt(h, { ...last, recordedAt: now }, now), { at: now }), { at: now, kind: 'schedule', agency: null });
  return out;
}
