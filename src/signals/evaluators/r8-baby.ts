import { addDays, londonDate, type IsoDate } from '../../process/dates.js';
import type { Facts } from '../facts.js';
import { dayOf, type Found } from './types.js';

/** R8's parameters for a baby: absent in versions before migration 0026, which then do not look. */
export interface BabyParams {
  visit_codes: string[];
  baby_under_months?: number;
  /** null: the visit interval itself (the visit clock's due date, T11 by default). */
  baby_seen_awake_undressed_days?: number | null;
}

const dateOf = (d: IsoDate) => dayOf(new Date(`${d}T12:00:00Z`));

/**
 * A baby on a plan not seen awake and undressed (local practice, spec §1.2 T11, §6 R8): counted from
 * the last visit that saw both, else the plan's start, over `baby_seen_awake_undressed_days`, or, when
 * that is not set, until the visit clock that visit (or the plan) started fell due. Each stretch is one
 * occurrence, apart from "not seen" and "not seen alone", so each is raised and answered once.
 */
export function babyNotSeenAwakeUndressed(f: Facts, p: BabyParams, plan: { id: string; start: IsoDate }, at: Date): Found[] {
  const seen = f.entries
    .filter((e) => e.kind === 'home_visit' && e.data.baby_seen_awake === true && e.data.baby_seen_undressed === true && londonDate(e.occurred_at) >= plan.start)
    .sort((a, b) => a.occurred_at.getTime() - b.occurred_at.getTime());
  const last = seen.at(-1);
  const since = last ? londonDate(last.occurred_at) : plan.start;
  const due = dueFrom(f, p, last?.id, plan.id, since, at);
  if (!due?.overdue) return [];
  const interval = p.baby_seen_awake_undressed_days ? `more than ${p.baby_seen_awake_undressed_days} days ago` : `and the next was due by ${dateOf(due.dueOn)}`;
  return [{
    pattern_key: `not-seen-awake-undressed:${plan.id}:${last?.id ?? 'none'}`,
    reason: last
      ? `The baby on a child protection plan was last seen awake and undressed on ${dayOf(last.occurred_at)} (${last.agency_name}), ${interval}.`
      : `The baby has not been seen awake and undressed since the child protection plan began on ${dateOf(plan.start)}, ${interval}.`,
    entry_ids: [last?.id ?? plan.id],
    once: true,
  }];
}

/**
 * When it was due: `since` plus the days (overdue the day after, like seen alone), or with no days set
 * the visit clock the visit (else the plan) started (overdue when "not seen" would be).
 */
function dueFrom(f: Facts, p: BabyParams, visitId: string | undefined, planId: string, since: IsoDate, at: Date): { dueOn: IsoDate; overdue: boolean } | undefined {
  const days = p.baby_seen_awake_undressed_days;
  if (days) {
    const dueOn = addDays(since, days);
    return { dueOn, overdue: dueOn < londonDate(at) };
  }
  const clockOf = (id: string | undefined) => f.process.clocks.find((c) => c.triggerEntryId === id && p.visit_codes.includes(c.code));
  // A visit the plan did not count (earlier on the plan's first day) started no clock: the plan's own applies.
  const clock = clockOf(visitId) ?? clockOf(planId);
  return clock && { dueOn: clock.dueOn, overdue: clock.overdueAt <= at };
}
