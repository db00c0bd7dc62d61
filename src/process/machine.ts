import { addDays, fromLondonLocal, type IsoDate } from './dates.js';
import { cancelClocks, completeClocks, startClocks, startDatedClock, type ClockSource } from './clocks.js';
import type { StepName } from './steps.js';
import { agreeActions, updateAction } from './plan-actions.js';
import { ceaseLookedAfter, lookAfter, lookedAfterEffects, visitLookedAfter } from './looked-after.js';
import { emptyState, lookedAfterNow, openCinPlan, openCpPlan, openEpisode, type Episode, type ProcessEvent, type ProcessState } from './state.js';

/**
 * What each recorded event does to the child's process. Guards (guards.ts) decide whether an event
 * may be recorded; effects here only apply events already in the record, so folding the history
 * always succeeds and always gives the same state.
 */
type StepEvent = Extract<ProcessEvent, { type: 'step' }>;
type Effect = (s: ProcessState, ev: StepEvent, src: ClockSource) => void;

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const inEpisode = (ep: Episode | undefined) => (c: { episodeId: string | null }) => !!ep && c.episodeId === ep.id;
const plansClocks = ['T6', 'T8', 'T9', 'T11'];

function closeEpisode(s: ProcessState, ep: Episode | undefined, ev: StepEvent, reason: string, referralNfa = false) {
  if (!ep) return;
  ep.closed = { on: ev.date, reason, referralNfa };
  if (ep.assessment?.open) ep.assessment.open = false;
  cancelClocks(s, ev.at, inEpisode(ep));
  // A closed case no longer waits for a legal planning meeting it asked for.
  if (s.legalPlanning && !s.legalPlanning.held) s.legalPlanning.lapsed ??= ev.date;
}

function startCinPlan(s: ProcessState, ev: StepEvent, src: ClockSource) {
  if (openCinPlan(s)) return;
  s.cinPlans.push({ id: ev.id, start: ev.date });
  startClocks(s, src, 'cin_plan_started', ev, { episodeId: openEpisode(s)?.id });
}

function endCinPlan(s: ProcessState, ev: StepEvent) {
  const plan = openCinPlan(s);
  if (!plan) return;
  plan.end = ev.date;
  cancelClocks(s, ev.at, (c) => c.code === 'T13');
}

/**
 * The rule gives the longest a court may allow (an EPO extension, a care timetable extension); when
 * the court allowed less, the clock runs to the court's date.
 */
function endsBy(s: ProcessState, ev: StepEvent, code: string, date: IsoDate) {
  const c = s.clocks.find((x) => x.key === `${code}:${ev.id}`);
  if (c && date < c.due.dueOn) c.due = { ...c.due, dueOn: date, overdueAt: fromLondonLocal(addDays(date, 1), '00:00') };
}

function endCpPlan(s: ProcessState, ev: StepEvent) {
  const plan = openCpPlan(s);
  if (!plan) return;
  plan.end = ev.date;
  cancelClocks(s, ev.at, (c) => plansClocks.includes(c.code));
}

const effects: Record<StepName, Effect> = {
  referral(s, ev, src) {
    const ep: Episode = {
      id: ev.id, referralAt: ev.at, referralDate: ev.date, referralSource: String(ev.data.referral_source),
      primaryNeed: str(ev.data.primary_need) ?? 'N0', assessmentsCompleted: 0,
    };
    s.episodes.push(ep);
    startClocks(s, src, 'referral_received', ev, { episodeId: ep.id });
  },
  referral_decision(s, ev) {
    const ep = openEpisode(s);
    if (!ep) return;
    ep.decision = str(ev.data.outcome);
    completeClocks(s, ['T1'], ev, inEpisode(ep));
    if (ep.decision === 'no_further_action') closeEpisode(s, ep, ev, str(ev.data.closure_reason) ?? 'RC8', true);
    if (ep.decision === 'early_help') closeEpisode(s, ep, ev, str(ev.data.closure_reason) ?? 'RC9', true);
  },
  assessment_started(s, ev) {
    const ep = openEpisode(s);
    if (ep) ep.assessment = { start: ev.date, open: true };
  },
  assessment_completed(s, ev, src) {
    const ep = openEpisode(s);
    if (!ep) return;
    if (ep.assessment) ep.assessment.open = false;
    ep.assessmentsCompleted++;
    completeClocks(s, ['T2'], ev, inEpisode(ep));
    const outcome = str(ev.data.outcome);
    if (outcome === 'no_further_action') closeEpisode(s, ep, ev, 'RC8');
    if (outcome === 'early_help') closeEpisode(s, ep, ev, 'RC9');
    if (outcome === 'cin_plan') startCinPlan(s, ev, src);
  },
  strategy_discussion(s, ev, src) {
    const ep = openEpisode(s);
    if (!ep || ev.data.outcome !== 's47') return;
    ep.s47 = { start: ev.date, strategyEntryId: ev.id, status: 'open' };
    startClocks(s, src, 'strategy_discussion_s47', ev, { episodeId: ep.id, alsoFor: 'conference_chairs' });
    startClocks(s, src, 's47_started', ev, { episodeId: ep.id });
  },
  s47_concluded(s, ev) {
    const ep = openEpisode(s);
    if (!ep?.s47) return;
    completeClocks(s, ['W1'], ev, inEpisode(ep));
    if (ev.data.outcome === 'no_conference') {
      Object.assign(ep.s47, { status: 'closed', icpcNotRequired: true });
      cancelClocks(s, ev.at, (c) => c.code === 'T5' && c.episodeId === ep.id);
    } else ep.s47.status = 'awaiting_conference';
  },
  icpc(s, ev, src) {
    const ep = openEpisode(s);
    if (!ep?.s47) return;
    Object.assign(ep.s47, { status: 'closed', icpcDate: ev.date });
    completeClocks(s, ['T5'], ev, inEpisode(ep));
    if (ev.data.outcome === 'cp_plan') {
      endCinPlan(s, ev);
      const category = String(ev.data.category);
      s.cpPlans.push({ id: ev.id, start: ev.date, initialCategory: category, latestCategory: category, leadId: String(ev.data.lead_id), reviews: [] });
      startClocks(s, src, 'icpc', ev, { episodeId: ep.id });
      startClocks(s, src, 'cp_plan_started', ev, { episodeId: ep.id });
    }
    if (ev.data.outcome === 'cin_plan') startCinPlan(s, ev, src);
    agreeActions(s, ev);
  },
  core_group(s, ev) {
    completeClocks(s, ['T6'], ev);
    agreeActions(s, ev);
  },
  review_conference(s, ev, src) {
    const plan = openCpPlan(s);
    if (!plan) return;
    plan.reviews.push(ev.date);
    if (str(ev.data.latest_category)) plan.latestCategory = String(ev.data.latest_category);
    completeClocks(s, ['T8', 'T9'], ev);
    if (ev.data.outcome === 'end_plan') {
      endCpPlan(s, ev);
      if (ev.data.step_down_to_cin_plan) startCinPlan(s, ev, src);
    } else startClocks(s, src, 'review_conference', ev, { episodeId: openEpisode(s)?.id });
    agreeActions(s, ev);
  },
  cp_plan_ended: (s, ev) => endCpPlan(s, ev),
  cin_plan_started: (s, ev, src) => startCinPlan(s, ev, src),
  cin_plan_review(s, ev, src) {
    if (!openCinPlan(s)) return;
    completeClocks(s, ['T13'], ev);
    startClocks(s, src, 'cin_plan_started', ev, { episodeId: openEpisode(s)?.id, only: ['T13'] });
  },
  cin_plan_ended: (s, ev) => endCinPlan(s, ev),
  plan_action_update: (s, ev) => updateAction(s, ev),
  closure(s, ev) {
    const ep = openEpisode(s);
    closeEpisode(s, ep, ev, String(ev.data.reason));
    if (ev.data.reason === 'RC2') s.died = str(ev.data.date_of_death) ?? ev.date;
  },
  police_protection_started(s, ev, src) {
    s.policeProtection = { id: ev.id, start: ev.at, startDate: ev.date };
    startClocks(s, src, 'police_protection_started', ev, { alsoFor: 'author' });
  },
  police_protection_ended(s, ev) {
    if (!s.policeProtection || s.policeProtection.end) return;
    Object.assign(s.policeProtection, { end: ev.at, outcome: str(ev.data.outcome) });
    completeClocks(s, ['EP1'], ev);
  },
  epo_made(s, ev, src) {
    // s45(3): made after police protection, the 8 days run from the first day of police protection;
    // a police protection that already led to an order does not start a later one's 8 days.
    const pp = s.policeProtection;
    const ledToAnOrder = !!pp && !!s.epo && s.epo.made >= pp.startDate;
    const followsPp = !!pp && (!pp.end || (pp.outcome === 'emergency_protection_order' && !ledToAnOrder));
    const countedFrom = followsPp && pp ? pp.startDate : ev.date;
    if (pp && !pp.end) {
      Object.assign(pp, { end: ev.at, outcome: 'emergency_protection_order' });
      completeClocks(s, ['EP1'], ev);
    }
    s.epo = { id: ev.id, made: ev.date, countedFrom, extended: false };
    startClocks(s, src, 'epo_started', ev, { trigger: { date: countedFrom, instant: ev.at } });
  },
  epo_extended(s, ev, src) {
    if (!s.epo) return;
    const [first] = completeClocks(s, ['EP2'], ev);
    s.epo.extended = true;
    s.epo.until = str(ev.data.until);
    const end = first?.due.dueOn ?? ev.date;
    startClocks(s, src, 'epo_ended', ev, { trigger: { date: end, instant: fromLondonLocal(end, '00:00') } });
    if (s.epo.until) endsBy(s, ev, 'EP3', s.epo.until);
  },
  epo_ended(s, ev) {
    if (!s.epo) return;
    s.epo.ended = ev.date;
    completeClocks(s, ['EP2', 'EP3'], ev);
  },
  legal_planning_meeting_requested(s, ev, src) {
    s.legalPlanning = { requestId: ev.id, requested: ev.date, requestedBy: typeof ev.data.requested_by === 'string' ? ev.data.requested_by : null };
    startClocks(s, src, 'legal_planning_meeting_requested', ev, { episodeId: openEpisode(s)?.id });
  },
  legal_planning_meeting(s, ev) {
    if (s.legalPlanning && !s.legalPlanning.held && !s.legalPlanning.lapsed) s.legalPlanning.held = ev.date;
    completeClocks(s, ['LPM'], ev);
    if (ev.data.outcome === 'pre_proceedings') s.preProceedings = { start: ev.date };
  },
  letter_before_proceedings(s, ev) {
    if (s.preProceedings) s.preProceedings.letterSent ??= ev.date;
  },
  pre_proceedings_meeting() {},
  pre_proceedings_decision(s, ev) {
    if (!s.preProceedings) return;
    s.preProceedings.decision = str(ev.data.outcome);
    if (ev.data.outcome !== 'continue') s.preProceedings.closed = ev.date;
  },
  care_application_issued(s, ev, src) {
    s.proceedings = { issued: ev.date, extensions: 0 };
    startClocks(s, src, 'care_application_issued', ev);
  },
  care_timetable_extended(s, ev, src) {
    if (!s.proceedings) return;
    const [current] = completeClocks(s, ['CP1', 'CP2'], ev);
    s.proceedings.extensions++;
    // s32(8): each extension ends at most 8 weeks after the later of the period's end and the day it was granted.
    const currentEnd = current?.due.dueOn ?? ev.date;
    const from = ev.date > currentEnd ? ev.date : currentEnd;
    startClocks(s, src, 'care_timetable_ended', ev, { trigger: { date: from, instant: fromLondonLocal(from, '00:00') } });
    if (typeof ev.data.weeks === 'number') endsBy(s, ev, 'CP2', addDays(from, ev.data.weeks * 7));
  },
  care_proceedings_concluded(s, ev) {
    if (!s.proceedings) return;
    Object.assign(s.proceedings, { concluded: ev.date, outcome: str(ev.data.outcome) });
    completeClocks(s, ['CP1', 'CP2'], ev);
    // s31 care order: looked after (C2). An interim order ends with the proceedings that made it (s38(1)).
    if (ev.data.outcome === 'care_order') lookAfter(s, ev, 'C2');
    else if (lookedAfterNow(s)?.legalStatus === 'C1') ceaseLookedAfter(s, ev, 'interim_care_order_ended');
  },
  ...lookedAfterEffects,
  safety_plan_agreed(s, ev) {
    const reviewOn = String(ev.data.review_on);
    s.safetyPlans.push({ id: ev.id, agreed: ev.date, conditions: ev.data.conditions as never, reviewOn, breaches: [] });
    startDatedClock(s, ev, 'SP', 'Safety plan review', reviewOn, fromLondonLocal(addDays(reviewOn, 1), '00:00'));
  },
  safety_plan_condition_breached(s, ev) {
    const plan = s.safetyPlans.find((p) => p.id === ev.data.plan_id);
    plan?.breaches.push({ entryId: ev.id, condition: Number(ev.data.condition), breach: String(ev.data.breach), date: ev.date });
  },
  safety_plan_reviewed(s, ev) {
    const plan = s.safetyPlans.find((p) => p.id === ev.data.plan_id);
    if (!plan) return;
    completeClocks(s, ['SP'], ev, (c) => c.triggerEntryId === plan.id);
    if (ev.data.outcome === 'ended') plan.ended = ev.date;
    else {
      plan.reviewOn = String(ev.data.next_review_on);
      startDatedClock(s, ev, 'SP', 'Safety plan review', plan.reviewOn, fromLondonLocal(addDays(plan.reviewOn, 1), '00:00'), plan.id);
    }
  },
};

/** Applies one recorded event. A visit in which the child was seen restarts the plan's visit clock. */
export function apply(s: ProcessState, ev: ProcessEvent, src: ClockSource): void {
  if (ev.type === 'step') return effects[ev.step](s, ev, src);
  visitLookedAfter(s, ev, src);
  if (!ev.childSeen || !openCpPlan(s)) return;
  completeClocks(s, ['T11'], ev);
  startClocks(s, src, 'cp_plan_started', ev, { episodeId: openEpisode(s)?.id, only: ['T11'] });
}

/**
 * The state after every event. Steps apply in record order (the order their guards checked them);
 * visits, often recorded days late, apply in the order they happened, each before the first step
 * dated after it, so a late-recorded visit still counts for the plan it fell in.
 */
export function fold(events: ProcessEvent[], src: ClockSource): ProcessState {
  const s = emptyState();
  const visits = events.filter((e) => e.type === 'visit').sort((a, b) => a.at.getTime() - b.at.getTime());
  let v = 0;
  for (const ev of events) {
    if (ev.type === 'visit') continue;
    while (v < visits.length && visits[v].at < ev.at) apply(s, visits[v++], src);
    apply(s, ev, src);
  }
  while (v < visits.length) apply(s, visits[v++], src);
  return s;
}
