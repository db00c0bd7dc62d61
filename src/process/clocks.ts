import type { IsoDate } from './dates.js';
import type { Clock, ClockDue, ProcessEvent, ProcessState } from './state.js';

/**
 * Clocks start when the process emits a trigger event; which rules listen for it, and what deadline
 * they give, is data (timescale_rules.trigger_event). What stops each clock is the process's own
 * knowledge, below: the step that does what the rule asks for.
 */
export interface ClockSource {
  /** The deadlines of every rule in force on the trigger's date that listens for `event`. */
  dues(event: string, trigger: { date: IsoDate; instant: Date }, ev?: ProcessEvent): (ClockDue & { label: string })[];
}

/** Which step (or visit) completes a clock of each rule code. */
export const completedBy: Record<string, string> = {
  T1: 'referral_decision',
  T2: 'assessment_completed',
  W1: 's47_concluded',
  T5: 'icpc',
  T6: 'core_group',
  T8: 'review_conference',
  T9: 'review_conference',
  T11: 'visit',
  T12: 'visit',
  T13: 'cin_plan_review',
  EP1: 'police_protection_ended',
  EP2: 'epo_ended',
  EP3: 'epo_ended',
  CP1: 'care_proceedings_concluded',
  CP2: 'care_proceedings_concluded',
  LPM: 'legal_planning_meeting',
  SP: 'safety_plan_reviewed',
};

type Ev = ProcessEvent;

export function startClocks(
  s: ProcessState,
  src: ClockSource,
  event: string,
  ev: Ev,
  opts: { episodeId?: string | null; only?: string[]; trigger?: { date: IsoDate; instant: Date }; alsoFor?: Clock['alsoFor'] } = {},
): void {
  const trigger = opts.trigger ?? { date: ev.date, instant: ev.at };
  for (const due of src.dues(event, trigger, ev)) {
    if (opts.only && !opts.only.includes(due.code)) continue;
    const { label, ...d } = due;
    s.clocks.push({
      key: `${due.code}:${ev.id}`,
      code: due.code,
      label,
      episodeId: opts.episodeId ?? null,
      triggerEntryId: ev.id,
      triggerAt: trigger.instant,
      due: d,
      alsoFor: opts.alsoFor,
      authorId: ev.authorId,
    });
  }
}

/**
 * A clock whose deadline is set by the record itself (a safety plan's review date), not by a rule.
 * `of` is the entry it belongs to (the plan) when `ev` (a review) sets the next date.
 */
export function startDatedClock(s: ProcessState, ev: Ev, code: string, label: string, dueOn: IsoDate, overdueAt: Date, of = ev.id): void {
  s.clocks.push({
    key: `${code}:${ev.id}:${dueOn}`,
    code,
    label,
    episodeId: null,
    triggerEntryId: of,
    triggerAt: ev.at,
    due: { ruleId: null, code, dueOn, dueAt: null, overdueAt, convention: 'set by the plan', amount: 0, unit: 'date' },
  });
}

const isOpen = (c: Clock) => !c.completedAt && !c.cancelledAt;

/** Completes the open clocks of `codes` (in `episodeId` when given, or whose trigger passes `which`). */
export function completeClocks(s: ProcessState, codes: string[], ev: Ev, which: (c: Clock) => boolean = () => true): Clock[] {
  const done = s.clocks.filter((c) => isOpen(c) && codes.includes(c.code) && which(c));
  const reason = ev.type === 'step' && typeof ev.data.late_reason === 'string' ? ev.data.late_reason : undefined;
  for (const c of done) {
    c.completedEntryId = ev.id;
    c.completedAt = ev.at;
    // "Not more than 72 hours": ending at the due instant itself is in time.
    c.late = c.due.unit === 'hours' ? ev.at.getTime() > c.due.overdueAt.getTime() : ev.at.getTime() >= c.due.overdueAt.getTime();
    if (c.late) c.lateReason = reason;
  }
  return done;
}

/** Stops clocks that no longer apply (the plan ended, the case closed): not late, not done. */
export function cancelClocks(s: ProcessState, at: Date, which: (c: Clock) => boolean): void {
  for (const c of s.clocks) if (isOpen(c) && which(c)) c.cancelledAt = at;
}
