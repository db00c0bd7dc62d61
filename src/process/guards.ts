import { conflict, forbidden, invalid, DomainError } from '../errors.js';
import { addDays, isoWeekday, type IsoDate } from './dates.js';
import { apply } from './machine.js';
import { checkActionUpdate, checkAgreedActions, isActionClock } from './plan-actions.js';
import type { ClockSource } from './clocks.js';
import { stepLabels, whoMayRecord, type Recorder, type StepName } from './steps.js';
import { awaitedMeeting } from './legal-planning.js';
import { lookedAfterGuards } from './looked-after.js';
import { openCinPlan, openCpPlan, openEpisode, type Episode, type ProcessEvent, type ProcessState } from './state.js';

/** What the guards need to know beyond the record's own process (loaded by the service). */
export interface GuardContext {
  recorder: Recorder;
  child: { dateOfBirth: IsoDate | null; expectedDateOfBirth: IsoDate | null };
  practitioner(id: string): { qualifiedSocialWorker: boolean; agencyKind: string } | undefined;
  /** Why a safety-plan monitor may not be named, or null when they may. */
  monitorProblem(m: { practitioner_id?: string; person_id?: string }): string | null;
}

type StepEvent = Extract<ProcessEvent, { type: 'step' }>;
type Guard = (s: ProcessState, ev: StepEvent, ctx: GuardContext) => void;

/** A refused transition: 409 with the reason, naming the census validation rule where there is one. */
const refuse = (reason: string, rule?: string) => conflict(rule ? `${reason} (CIN census rule ${rule})` : reason);
const field = (path: string, message: string) => invalid(message, [{ path, message }]);

/** The open episode, or the reason there is none. */
function needEpisode(s: ProcessState, ev: StepEvent): Episode {
  const ep = openEpisode(s);
  if (ep) {
    if (ev.date < ep.referralDate) throw refuse(`${stepLabels[ev.step]} cannot be dated before the referral of ${ep.referralDate}`, '1103, 1104, 1105, 2889');
    return ep;
  }
  const last = s.episodes.at(-1);
  if (!last?.closed) throw refuse('There is no open referral for this child: record the referral first');
  if (last.closed.referralNfa) throw refuse(`The referral of ${last.referralDate} was closed at the referral decision (${last.closed.reason}): no activity on a referral closed with no further action`, '8831, 8832, 4000');
  if (last.closed.reason === 'RC8' || last.closed.reason === 'RC9') throw refuse(`The case was closed after assessment on ${last.closed.on} (${last.closed.reason}): no activity after closure`, '2990, 8565');
  throw refuse(`The case was closed on ${last.closed.on} (${last.closed.reason}): no activity after closure; record a new referral`, '8565');
}

function needQualifiedLead(ctx: GuardContext, id: unknown, path: string, what: string) {
  if (typeof id !== 'string') throw field(path, `Name the ${what}: a qualified social worker`);
  const p = ctx.practitioner(id);
  if (!p) throw field(path, `The ${what} is not a practitioner in Sightline`);
  if (!p.qualifiedSocialWorker) throw refuse(`The ${what} must be a qualified social worker (Working Together 2023; spec §1.5)`);
}

/** An outcome "CIN plan" for a child already on one continues that plan; only a CP plan stands in its way. */
function needNoCpPlanForCin(s: ProcessState) {
  if (openCpPlan(s)) throw refuse('A child in need plan cannot run while a child protection plan is open', '4001, 4016, 4017');
}

function needCpPlan(s: ProcessState, ev: StepEvent) {
  const plan = openCpPlan(s);
  if (!plan) throw refuse(`${stepLabels[ev.step]} needs an open child protection plan`);
  return plan;
}


const guards: Record<StepName, Guard> = {
  referral(s, ev, ctx) {
    const ep = openEpisode(s);
    if (ep) throw refuse(`The child already has an open referral (from ${ep.referralDate}): only one open episode at a time`, '8815, 8816');
    const last = s.episodes.at(-1);
    if (last?.closed && ev.date < last.closed.on) throw refuse(`A new referral cannot start before the last episode closed on ${last.closed.on}`, '8820');
    const birth = ctx.child.dateOfBirth ?? ctx.child.expectedDateOfBirth;
    if (birth && ev.date < addDays(birth, -280)) throw refuse('The referral is more than 40 weeks before the child’s (expected) date of birth', '8606');
  },
  referral_decision(s, ev) {
    const ep = needEpisode(s, ev);
    if (ep.decision) throw refuse(`This referral was already decided (${ep.decision.replaceAll('_', ' ')})`);
  },
  assessment_started(s, ev) {
    const ep = needEpisode(s, ev);
    if (ep.assessment?.open) throw refuse('An assessment is already open in this episode', '8896, 8863Q');
  },
  assessment_completed(s, ev) {
    const ep = needEpisode(s, ev);
    if (!ep.assessment?.open) throw refuse('There is no open assessment to complete');
    if (ev.date < ep.assessment.start) throw refuse(`The assessment cannot be completed before it started on ${ep.assessment.start}`);
    if (ev.data.outcome === 'cin_plan') needNoCpPlanForCin(s);
  },
  strategy_discussion(s, ev, ctx) {
    const ep = needEpisode(s, ev);
    const present = new Set((ev.data.attendees as { agency_kind: string }[]).map((a) => a.agency_kind));
    const missing = ['local_authority', 'police', 'health'].filter((k) => !present.has(k));
    if (missing.length && !ev.data.absent_agencies_reason) {
      throw field('data.absent_agencies_reason', `A strategy discussion needs social care, police and health (Working Together 2023); ${missing.join(' and ').replace('local_authority', 'social care')} not present: say why`);
    }
    if (ev.data.outcome !== 's47') return;
    if (ep.s47 && ep.s47.status !== 'closed') throw refuse('A section 47 enquiry is already open in this episode', '8839, 8890');
    needQualifiedLead(ctx, ev.data.s47_lead_id, 'data.s47_lead_id', 'lead for the section 47 enquiry');
  },
  s47_concluded(s, ev) {
    const ep = needEpisode(s, ev);
    if (ep.s47?.status !== 'open') throw refuse('There is no open section 47 enquiry to conclude');
    if (ev.date < ep.s47.start) throw refuse(`The enquiry cannot conclude before it started on ${ep.s47.start}`);
  },
  icpc(s, ev, ctx) {
    const ep = needEpisode(s, ev);
    if (!ep.s47 || ep.s47.status === 'closed') throw refuse('An initial child protection conference needs an open section 47 enquiry', '8615');
    if (ev.date < ep.s47.start) throw refuse(`The conference cannot be before the section 47 enquiry started on ${ep.s47.start}`, '8615');
    if (isoWeekday(ev.date) > 5) throw refuse('An initial child protection conference cannot fall on a weekend', '8875');
    if (ev.data.outcome === 'cin_plan') needNoCpPlanForCin(s);
    if (ev.data.outcome !== 'cp_plan') return;
    if (openCpPlan(s)) throw refuse('The child already has an open child protection plan', '8935');
    if (!ev.data.category) throw field('data.category', 'Choose the category of the plan (NEG, PHY, SAB, EMO or MUL)');
    needQualifiedLead(ctx, ev.data.lead_id, 'data.lead_id', 'lead social worker for the plan');
  },
  core_group(s, ev) {
    const plan = needCpPlan(s, ev);
    if (ev.date < plan.start) throw refuse(`A core group cannot meet before the plan started on ${plan.start}`);
  },
  review_conference(s, ev) {
    const plan = needCpPlan(s, ev);
    if (ev.date <= plan.start) throw refuse(`A review must be after the plan started on ${plan.start}`, '8841');
    const previous = plan.reviews.at(-1);
    if (previous && ev.date <= previous) throw refuse(`A review must be after the previous review on ${previous}`);
    if (ev.data.step_down_to_cin_plan && ev.data.outcome !== 'end_plan') throw field('data.step_down_to_cin_plan', 'Only a conference that ends the plan can step down to a child in need plan');
  },
  cp_plan_ended(s, ev) {
    const plan = needCpPlan(s, ev);
    if (ev.date <= plan.start) throw refuse(`A plan cannot end on or before the day it started (${plan.start})`, '4011, 8925, 8840');
  },
  cin_plan_started(s, ev) {
    needEpisode(s, ev);
    needNoCpPlanForCin(s);
    if (openCinPlan(s)) throw refuse('The child already has an open child in need plan', '4004');
  },
  cin_plan_review(s, ev) {
    const plan = openCinPlan(s);
    if (!plan) throw refuse('There is no open child in need plan to review');
    if (ev.date < plan.start) throw refuse(`The review cannot be before the plan started on ${plan.start}`);
  },
  cin_plan_ended(s, ev) {
    const plan = openCinPlan(s);
    if (!plan) throw refuse('There is no open child in need plan to end');
    if (ev.date < plan.start) throw refuse(`The plan cannot end before it started on ${plan.start}`, '4011');
  },
  plan_action_update: checkActionUpdate,
  closure(s, ev) {
    const ep = needEpisode(s, ev);
    if (ep.assessment?.open) throw refuse('Complete the open assessment before closing the case', '8867');
    if (ep.s47 && ep.s47.status !== 'closed') throw refuse('Resolve the section 47 enquiry (a conference, or conference not required) before closing the case', '8868');
    if (openCpPlan(s)) throw refuse('End the child protection plan before closing the case', '8565');
    if (openCinPlan(s)) throw refuse('End the child in need plan before closing the case', '8565');
    if (ev.data.reason === 'RC2' && !ev.data.date_of_death) throw field('data.date_of_death', 'Closure because the child died (RC2) needs the date of death (census rule 8585Q)');
    if (typeof ev.data.date_of_death === 'string' && ev.data.date_of_death > ev.date) throw field('data.date_of_death', 'The date of death cannot be after the case was closed');
  },
  police_protection_started(s) {
    const pp = s.policeProtection;
    if (pp && !pp.end) throw refuse('The child is already in police protection');
  },
  police_protection_ended(s, ev) {
    const pp = s.policeProtection;
    if (!pp || pp.end) throw refuse('The child is not in police protection');
    if (ev.at < pp.start) throw refuse('Police protection cannot end before it started');
  },
  epo_made(s) {
    if (s.epo && !s.epo.ended) throw refuse('An emergency protection order is already in force');
  },
  epo_extended(s, ev) {
    if (!s.epo || s.epo.ended) throw refuse('There is no emergency protection order in force to extend');
    if (s.epo.extended) throw refuse('An emergency protection order can be extended only once (Children Act 1989 s45(6))');
    const first = s.clocks.find((c) => c.code === 'EP2' && c.triggerEntryId === s.epo?.id);
    if (!first) return;
    const end = first.due.dueOn;
    // s45(4): the court extends an order in force; the extension runs on from the order's end.
    if (ev.date > end) throw refuse(`The order ran out on ${end}: an order no longer in force cannot be extended (s45(4))`);
    if (String(ev.data.until) <= end) throw field('data.until', `An extension must end after the order does (${end})`);
    if (String(ev.data.until) > addDays(end, 7)) throw refuse(`An extension is at most 7 days: until ${addDays(end, 7)} at the latest (s45(5))`);
  },
  epo_ended(s) {
    if (!s.epo || s.epo.ended) throw refuse('There is no emergency protection order in force');
  },
  legal_planning_meeting_requested(s, ev, ctx) {
    // Asked for once until it is held, and whenever the meeting itself could be.
    const lp = awaitedMeeting(s);
    if (lp) throw refuse(`A legal planning meeting was already requested on ${lp.requested} and is not yet held`);
    guards.legal_planning_meeting(s, ev, ctx);
  },
  legal_planning_meeting(s, ev) {
    if (s.preProceedings && !s.preProceedings.closed) throw refuse('Pre-proceedings are already under way');
    const lp = awaitedMeeting(s);
    if (lp && ev.date < lp.requested) throw refuse(`The meeting cannot be before it was requested on ${lp.requested}`);
  },
  letter_before_proceedings(s, ev) {
    const pp = s.preProceedings;
    if (!pp || pp.closed) throw refuse('A letter before proceedings follows the decision to start pre-proceedings');
    if (ev.date < pp.start) throw refuse(`The letter cannot be sent before pre-proceedings started on ${pp.start}`, '9005–9013');
  },
  pre_proceedings_meeting(s, ev) {
    const pp = s.preProceedings;
    if (!pp || pp.closed) throw refuse('There are no pre-proceedings under way');
    if (ev.date < pp.start) throw refuse(`The meeting cannot be before pre-proceedings started on ${pp.start}`);
  },
  pre_proceedings_decision(s, ev) {
    const pp = s.preProceedings;
    if (!pp || pp.closed) throw refuse('There are no pre-proceedings under way');
    if (ev.date < pp.start) throw refuse(`The decision cannot be before pre-proceedings started on ${pp.start}`, '9005–9013');
  },
  care_application_issued(s, ev) {
    if (s.proceedings && !s.proceedings.concluded) throw refuse('Care proceedings are already under way');
    const pp = s.preProceedings;
    if (pp?.decision === 'issue_proceedings' && pp.closed && ev.date < pp.closed) {
      throw refuse(`The application cannot be issued before the decision to issue proceedings on ${pp.closed}`, '9005–9013');
    }
  },
  care_timetable_extended(s) {
    if (!s.proceedings || s.proceedings.concluded) throw refuse('There are no care proceedings under way');
  },
  care_proceedings_concluded(s) {
    if (!s.proceedings || s.proceedings.concluded) throw refuse('There are no care proceedings under way');
  },
  ...lookedAfterGuards,
  safety_plan_agreed(_s, ev, ctx) {
    const conditions = ev.data.conditions as { monitor?: { practitioner_id?: string; person_id?: string } }[];
    conditions.forEach((c, i) => {
      if (!c.monitor) throw field(`data.conditions.${i}.monitor`, `Condition ${i + 1}: name who will monitor it`);
      const problem = ctx.monitorProblem(c.monitor);
      if (problem) throw field(`data.conditions.${i}.monitor`, `Condition ${i + 1}: ${problem}`);
    });
    if (String(ev.data.review_on) < ev.date) throw field('data.review_on', 'The review date must not be before the plan');
  },
  safety_plan_condition_breached(s, ev) {
    const plan = s.safetyPlans.find((p) => p.id === ev.data.plan_id);
    if (!plan) throw refuse('That safety plan is not in this child’s record');
    if (plan.ended) throw refuse(`That safety plan ended on ${plan.ended}`);
    if (Number(ev.data.condition) >= plan.conditions.length) throw field('data.condition', 'The plan has no such condition');
  },
  safety_plan_reviewed(s, ev) {
    const plan = s.safetyPlans.find((p) => p.id === ev.data.plan_id);
    if (!plan || plan.ended) throw refuse('There is no open safety plan with that id');
    if (ev.data.outcome === 'continue' && !ev.data.next_review_on) throw field('data.next_review_on', 'Set the date of the next review');
    if (ev.data.outcome === 'continue' && String(ev.data.next_review_on) <= ev.date) throw field('data.next_review_on', 'The next review must be after this one');
  },
};

/**
 * Whether `ev` may be recorded now: who may record it, the step's own rules, and, when it completes
 * a deadline late, that it gives the reason (Working Together: record why an assessment exceeded
 * 45 working days; here for every timed step). Returns the state after it.
 */
export function check(s: ProcessState, ev: StepEvent, src: ClockSource, ctx: GuardContext): ProcessState {
  const allowed = whoMayRecord[ev.step];
  if (!allowed.includes('any') && !allowed.includes(ctx.recorder as Recorder)) {
    throw forbidden(`${stepLabels[ev.step]} is recorded by ${allowed.map((r) => (r === 'social_care' ? 'children’s social care' : 'the police')).join(' or ')}.`);
  }
  if (s.died && ev.step !== 'closure' && ev.date > s.died) throw refuse(`No activity after the child’s death on ${s.died}`, '4008, 4009Q, 8915, 8920');
  guards[ev.step](s, ev, ctx);
  checkAgreedActions(s, ev, ctx.practitioner);
  const next = structuredClone(s);
  apply(next, ev, src);
  const late = next.clocks.filter((c) => c.completedEntryId === ev.id && c.late && !isActionClock(c));
  if (late.length && !ev.data.late_reason) {
    const c = late[0];
    throw new DomainError(`${c.label} was due by ${c.due.dueAt ?? c.due.dueOn} (${c.code}); it is late, so record why.`, 422, 'Unprocessable content', [
      { path: 'late_reason', message: `Late: due by ${c.due.dueAt ?? c.due.dueOn} under ${c.code}. Give the reason` },
    ]);
  }
  return next;
}
