import type { World } from '../support/fixtures.js';
import type { Body } from './steps-support.js';

/** An instant given as a UK date and a UTC time (GMT until 29 March 2026, BST after). */
export const at = (date: string, time = '10:00') => `${date}T${time}:00Z`;

/**
 * Step bodies as the API takes them, with dates that meet every deadline unless a test says otherwise.
 * The default history: referral Monday 2 March 2026 (T1 due 3 March), strategy discussion 3 March
 * (ICPC due 24 March), ICPC Monday 23 March. `by` names who records a step when it is not the worker.
 */
export function stepsFor(w: World) {
  const worker = w.actors.worker.id;
  const threeAgencies = [
    { practitioner_id: worker, name: 'Test worker', agency_kind: 'local_authority' },
    { name: 'DC Example', agency_kind: 'police' },
    { name: 'Dr Example', agency_kind: 'health' },
  ];
  const b = {
    referral: (d = '2026-03-02', t = '09:00'): Body => ({ step: 'referral', occurred_at: at(d, t), data: { referral_source: '3B', primary_need: 'N1' } }),
    decision: (outcome: string, d = '2026-03-02', t = '15:00'): Body => ({ step: 'referral_decision', occurred_at: at(d, t), narrative: 'Decided on the health visitor’s account and the checks made today.', data: { outcome } }),
    assessmentStarted: (d = '2026-03-03', t = '09:00'): Body => ({ step: 'assessment_started', occurred_at: at(d, t) }),
    assessmentCompleted: (outcome: string, d: string): Body => ({ step: 'assessment_completed', occurred_at: at(d), narrative: 'The assessment found domestic abuse affecting the parent.', data: { factors: ['3B'], outcome } }),
    strategy: (d = '2026-03-03', data: Body = {}): Body => ({
      step: 'strategy_discussion', occurred_at: at(d, '11:00'), narrative: 'Injuries unexplained; all three agencies agree to enquire jointly.', data: { outcome: 's47', s47_lead_id: worker, attendees: threeAgencies, ...data },
    }),
    s47Concluded: (d = '2026-03-20', outcome = 'conference'): Body => ({ step: 's47_concluded', occurred_at: at(d), narrative: 'The enquiries substantiated the concern of significant harm.', data: { outcome } }),
    icpc: (d = '2026-03-23', data: Body = {}): Body => ({
      step: 'icpc', occurred_at: at(d), narrative: 'The conference found the child likely to suffer significant harm.', data: { outcome: 'cp_plan', category: 'NEG', lead_id: worker, attendees: [], ...data },
    }),
    coreGroup: (d: string): Body => ({ step: 'core_group', occurred_at: at(d), data: { attendees: [] } }),
    review: (d: string, data: Body = {}): Body => ({ step: 'review_conference', occurred_at: at(d), narrative: 'The review weighed progress against the plan’s outcomes.', data: { outcome: 'continue', attendees: [], ...data } }),
    cpPlanEnded: (d: string): Body => ({ step: 'cp_plan_ended', occurred_at: at(d), data: { reason: 'other' } }),
    cinPlanStarted: (d: string): Body => ({ step: 'cin_plan_started', occurred_at: at(d) }),
    cinReview: (d: string): Body => ({ step: 'cin_plan_review', occurred_at: at(d) }),
    cinEnded: (d: string): Body => ({ step: 'cin_plan_ended', occurred_at: at(d) }),
    closure: (reason: string, d: string, data: Body = {}): Body => ({ step: 'closure', occurred_at: at(d), data: { reason, ...data } }),
    // Emergency powers and the courts
    pp: (instant: string, by = 'police'): Body => ({ step: 'police_protection_started', occurred_at: instant, data: { place_of_safety: 'Northmoor police station' }, by }),
    ppEnded: (instant: string, outcome = 'returned_home'): Body => ({ step: 'police_protection_ended', occurred_at: instant, data: { outcome } }),
    epo: (d: string, t = '10:00'): Body => ({ step: 'epo_made', occurred_at: at(d, t), data: { court: 'Northmoor Family Court' } }),
    epoExtended: (d: string, until: string): Body => ({ step: 'epo_extended', occurred_at: at(d), data: { until } }),
    epoEnded: (d: string): Body => ({ step: 'epo_ended', occurred_at: at(d) }),
    lpm: (outcome: string, d: string): Body => ({ step: 'legal_planning_meeting', occurred_at: at(d), data: { outcome } }),
    letter: (d: string): Body => ({ step: 'letter_before_proceedings', occurred_at: at(d) }),
    ppMeeting: (d: string): Body => ({ step: 'pre_proceedings_meeting', occurred_at: at(d), data: {} }),
    ppDecision: (outcome: string, d: string): Body => ({ step: 'pre_proceedings_decision', occurred_at: at(d), data: { outcome } }),
    careIssued: (d: string): Body => ({ step: 'care_application_issued', occurred_at: at(d), data: { court: 'Northmoor Family Court', order_sought: 'care_order' } }),
    careExtended: (d: string, weeks = 8): Body => ({ step: 'care_timetable_extended', occurred_at: at(d), data: { weeks } }),
    careConcluded: (d: string): Body => ({ step: 'care_proceedings_concluded', occurred_at: at(d), data: { outcome: 'care_order' } }),
  };
  // Histories that the rules tests start from.
  const decided = () => [b.referral(), b.decision('assessment')];
  const inS47 = () => [b.referral(), b.decision('strategy_discussion'), b.strategy()];
  return {
    ...b,
    decided,
    assessing: () => [...decided(), b.assessmentStarted()],
    inS47,
    /** A child protection plan from Monday 23 March 2026. */
    onCpPlan: () => [...inS47(), b.s47Concluded(), b.icpc()],
    /** A child in need plan from Thursday 5 March 2026. */
    onCinPlan: () => [...decided(), b.cinPlanStarted('2026-03-05')],
  };
}
export type Steps = ReturnType<typeof stepsFor>;
