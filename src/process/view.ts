import type { IsoDate } from './dates.js';
import { legalPlanningView } from './legal-planning.js';
import { isActionClock, planActionViews } from './plan-actions.js';
import { lookedAfterNow, openCinPlan, openCpPlan, openEpisode, stageOf, type Clock, type ProcessState } from './state.js';

export type DueStatus = 'overdue' | 'due_soon' | 'upcoming';

export interface ClockView {
  code: string;
  label: string;
  due_on: IsoDate;
  due_at: string | null;
  convention: string;
  rule_id: string | null;
  started_by_entry_id: string;
  status: DueStatus | 'done' | 'done_late' | 'no_longer_needed';
  late_reason: string | null;
  completed_by_entry_id: string | null;
  /** Hours left (negative when past) for deadlines set in hours: emergency powers. */
  hours_left: number | null;
}

/** Where a deadline stands at `now`; `soonMs` is how far ahead counts as due soon. */
export function statusAt(c: Clock, now: Date, soonMs: number): ClockView['status'] {
  if (c.cancelledAt) return 'no_longer_needed';
  if (c.completedAt) return c.late ? 'done_late' : 'done';
  const left = c.due.overdueAt.getTime() - now.getTime();
  if (left <= 0) return 'overdue';
  return left <= soonMs ? 'due_soon' : 'upcoming';
}

export function clockView(c: Clock, now: Date, soon: { days: number; hours: number }): ClockView {
  const hours = c.due.unit === 'hours';
  const soonMs = hours ? soon.hours * 3_600_000 : soon.days * 86_400_000;
  return {
    code: c.code,
    label: c.label,
    due_on: c.due.dueOn,
    due_at: c.due.dueAt,
    convention: c.due.convention,
    rule_id: c.due.ruleId,
    started_by_entry_id: c.triggerEntryId,
    status: statusAt(c, now, soonMs),
    late_reason: c.lateReason ?? null,
    completed_by_entry_id: c.completedEntryId ?? null,
    hours_left: hours && !c.completedAt && !c.cancelledAt ? Math.floor((c.due.overdueAt.getTime() - now.getTime()) / 3_600_000) : null,
  };
}

/** Looked after now: since when, the legal status (C1, C2, V2) and the current placement. */
function lookedAfterView(s: ProcessState) {
  const la = lookedAfterNow(s);
  if (!la) return null;
  return { since: la.since, legal_status: la.legalStatus, placement: la.placement ? { type: la.placement.type, since: la.placement.since } : null };
}

/**
 * The child's process as the API and pages show it: where it stands, what is due, what was done.
 */
export function processView(s: ProcessState, now: Date, soon: { days: number; hours: number }) {
  // Plan actions have their own list (plan_actions), so the statutory deadlines stay readable.
  const views = s.clocks.filter((c) => !isActionClock(c)).map((c) => clockView(c, now, soon));
  const open = views.filter((v) => v.status === 'overdue' || v.status === 'due_soon' || v.status === 'upcoming');
  const ep = openEpisode(s) ?? s.episodes.at(-1);
  const cp = openCpPlan(s);
  return {
    stage: stageOf(s),
    episode: ep ? {
      id: ep.id, referral_date: ep.referralDate, referral_source: ep.referralSource, primary_need: ep.primaryNeed, decision: ep.decision ?? null,
      assessment: ep.assessment ?? null, section_47: ep.s47 ?? null, closed: ep.closed ?? null,
    } : null,
    episodes: s.episodes.length,
    child_protection_plan: cp ? { id: cp.id, start: cp.start, initial_category: cp.initialCategory, latest_category: cp.latestCategory, lead_id: cp.leadId, reviews: cp.reviews } : null,
    previous_child_protection_plans: s.cpPlans.filter((p) => p.end).length,
    child_in_need_plan: openCinPlan(s) ?? null,
    police_protection: s.policeProtection ?? null,
    emergency_protection_order: s.epo ?? null,
    legal_planning: legalPlanningView(s),
    pre_proceedings: s.preProceedings ?? null,
    care_proceedings: s.proceedings ?? null,
    looked_after: lookedAfterView(s),
    safety_plans: s.safetyPlans,
    plan_actions: planActionViews(s, now),
    due: open.sort((a, b) => (a.due_at ?? a.due_on).localeCompare(b.due_at ?? b.due_on)),
    done: views.filter((v) => !open.includes(v)),
  };
}
export type ProcessView = ReturnType<typeof processView>;
