import type { Services } from '../app.js';
import type { StepName } from '../process/steps.js';
import type { Cast, PractitionerActor } from './practitioners.js';
import type { BrennockFamily } from './families/brennock-household.js';
import { playBrennockDisagreement } from './families/brennock-disagreement.js';
import { date, day } from './time.js';

/**
 * The statutory process of the demo children, recorded through ProcessService as the practitioners
 * who took each step, so every guard and deadline applies exactly as in use, and every step that
 * decides something is a named decision with its reasons. Left as a real service would be on the
 * demo's anchor day: Kai's first review conference, his safety-plan review and his visits are overdue;
 * the police's disagreement about his return home waits, overdue, at stage 3; Leo's first core group
 * never happened; Jordan's conference is due to be convened.
 */
type Step = { step: StepName; at: string; data?: Record<string, unknown>; narrative?: string; rationale?: string; late_reason?: string };

async function record(s: Services, by: PractitionerActor, childId: string, st: Step) {
  const res = await s.process.record(by, childId, { step: st.step, occurred_at: st.at, narrative: st.narrative ?? '', rationale: st.rationale, data: st.data ?? {}, late_reason: st.late_reason });
  return res.body;
}
const entryOf = async (...args: Parameters<typeof record>) => (await record(...args)).entry.id;

type Position = { position?: 'agree' | 'dissent'; dissent_reason?: string };
const who = (p: PractitionerActor, agency_kind: string, position: Position = {}) => ({ practitioner_id: p.id, name: p.name, agency_kind, ...position });
const agree: Position = { position: 'agree' };

export interface DemoChildren {
  oliver: string;
  ruby: string;
  jordan: string;
  leo: string;
}

export async function recordDemoProcess(s: Services, c: Cast, f: BrennockFamily, k: DemoChildren): Promise<void> {
  await brennock(s, c, f);
  await danforth(s, c, k.leo);
  await keeble(s, c, k.jordan);
  await record(s, c.sw, k.ruby, { step: 'referral', at: day(-94, '15:00'), data: { referral_source: '3A', primary_need: 'N9' } });
  await record(s, c.sw, k.ruby, { step: 'referral_decision', at: day(-94, '15:30'), data: { outcome: 'no_further_action' }, narrative: 'Advice to the GP; family hub details sent to mother.',
    rationale: 'Ruby is well cared for and there are no safeguarding concerns. Mother’s low mood is being treated and she asked for a parenting group, which the family hub runs: support she can use without children’s social care.' });
  await record(s, c.sw, k.oliver, { step: 'referral', at: day(-129, '13:00'), data: { referral_source: '2A', primary_need: 'N4' } });
  await record(s, c.sw, k.oliver, { step: 'referral_decision', at: day(-129, '14:00'), data: { outcome: 'early_help', closure_reason: 'RC7' }, narrative: 'Early help through the school attendance team.',
    rationale: 'Attendance at 84% with no concerns about Oliver’s care; mother’s early shifts explain the Mondays. The school can offer breakfast club and an attendance plan as early help.' });
}

async function brennock(s: Services, c: Cast, f: BrennockFamily) {
  const police = 'Four injuries in four months with changing explanations, two hospitals, and a man in the home no agency has identified. Kai should be removed to a place of safety tonight (police protection or an emergency protection order) until the partner is identified and checked.';
  const people = (dissent: boolean) => [who(c.tm, 'local_authority', agree), who(c.police, 'police', dissent ? { position: 'dissent', dissent_reason: police } : agree),
    who(c.paed2, 'health', agree), who(c.hv, 'health', agree), who(c.gp, 'health', agree), who(c.dsl, 'school', agree)];
  const kaiDiscussion = 'Bruising in a gripping pattern with two explanations, after a head injury and GP-recorded bruising: reasonable cause to suspect significant harm, so joint section 47 enquiries with police. Kai is safe on the ward tonight awaiting the skeletal survey, so no immediate protection is sought now; where he goes on discharge will be decided on its result.';
  const maisieDiscussion = 'Maisie lives in the same household, says the partner shouts when Kai cries and is often kept off school to mind him: her needs are enquired into with Kai’s. No injury to Maisie and she is at school, so no immediate protection.';
  let policeDissent = '';
  for (const [child, discussion] of [[f.kai, kaiDiscussion], [f.maisie, maisieDiscussion]] as const) {
    await record(s, c.sw, child, { step: 'referral', at: day(-127, '17:45'), data: { referral_source: '3F', primary_need: 'N1' }, narrative: 'Referral from Riverside paediatrics: gripping-pattern bruising with two explanations.' });
    await record(s, c.sw, child, { step: 'referral_decision', at: day(-127, '17:50'), data: { outcome: 'strategy_discussion' },
      rationale: 'A paediatrician reports bruising to a 13-month-old that suggests gripping, with changing explanations; checks show earlier injuries and missed appointments. That is reasonable cause to suspect significant harm.' });
    const discussed = await record(s, c.sw, child, { step: 'strategy_discussion', at: day(-126, '10:45'), data: { attendees: people(child === f.kai), outcome: 's47', s47_lead_id: c.sw.id }, rationale: discussion });
    // The police's dissent about Kai opened a professional disagreement with the social worker.
    if (child === f.kai) policeDissent = discussed.disagreements[0].id;
    await record(s, c.sw, child, { step: 'assessment_started', at: day(-126, '11:00') });
  }
  // The return home under safeguards: a family friend as "monitor", recorded as related to Kai but never assessed.
  const plan = await entryOf(s, c.sw, f.kai, {
    step: 'safety_plan_agreed', at: day(-126, '16:30'),
    narrative: 'Kai returns home under safeguards. Police disagree and want removal; their view is recorded.',
    rationale: 'The skeletal survey found no fractures and Kai is medically fit for discharge. Mother accepts the concerns, has signed the plan and proposed a family friend to be there at bath and bed times; with unannounced visits, a return home with safeguards is judged proportionate while the partner is identified. Agreed with Graham Ellery.',
    data: {
      review_on: date(-112),
      conditions: [
        { condition: 'Tina Folkard visits every day and is present at bath and bed times', monitor: { person_id: f.friend }, how_checked: 'Tina Folkard phones the social worker each evening; unannounced visits' },
        { condition: 'The mother’s partner is not left alone with the children', monitor: { practitioner_id: c.sw.id }, how_checked: 'Asked at every visit; school and health visitor report what they see' },
      ],
    },
  });
  await record(s, c.sw, f.kai, { step: 'safety_plan_reviewed', at: day(-112, '15:00'), data: { plan_id: plan, outcome: 'continue', next_review_on: date(-70) } });
  const core = [who(c.hv, 'health'), who(c.gp, 'health'), who(c.dsl, 'school')];
  const conference = {
    kai: { category: 'PHY', rationale: 'Four injuries with changing explanations at two hospitals, a partner nobody has checked and appointments missed: Kai is likely to suffer significant harm through physical abuse.' },
    maisie: { category: 'NEG', rationale: 'Maisie’s attendance has fallen, she is kept home to mind Kai and often comes to school hungry: she is likely to suffer significant harm through neglect.' },
  };
  for (const [child, cf] of [[f.kai, conference.kai], [f.maisie, conference.maisie]] as const) {
    await record(s, c.sw, child, { step: 's47_concluded', at: day(-109, '16:00'), data: { outcome: 'conference' },
      rationale: 'The enquiries substantiate the concerns: injuries without a consistent explanation, the partner still unidentified, and a pattern of missed health appointments.' });
    await record(s, c.sw, child, {
      step: 'icpc', at: day(-108, '13:00'), narrative: 'Initial child protection conference chaired by Lorna Featherstone. Police invited; report sent; did not attend.', rationale: cf.rationale,
      data: { outcome: 'cp_plan', category: cf.category, lead_id: c.sw.id, chair_id: c.chair.id, core_group_ids: core.map((p) => p.practitioner_id), attendees: core },
    });
    await record(s, c.sw, child, { step: 'core_group', at: day(-95, '14:00'), data: { attendees: core, actions: child === f.kai ? kaiActions(c) : [] } });
    await record(s, c.sw, child, { step: 'assessment_completed', at: day(-100, '16:00'), data: { factors: ['18C', '3B', '16A'], outcome: 'continue' },
      rationale: 'Physical abuse by an adult, domestic abuse and neglect identified. The child protection plan already sets out the work, so the assessment closes into it.' });
  }
  await record(s, c.dsl, f.kai, { step: 'safety_plan_condition_breached', at: day(-30, '13:10'), data: { plan_id: plan, condition: 0, breach: 'breached' }, narrative: 'Maisie says Tina no longer comes and Dean is back living at home.' });
  await playBrennockDisagreement(s, c, f.kai, policeDissent);
}

/** What Kai's first core group agreed: the health visitor's weighing is long overdue, as the plan drifts. */
const kaiActions = (c: Cast) => [
  { what: 'Weigh Kai at the clinic every two weeks and tell the social worker of any mark seen', practitioner_id: c.hv.id, due_on: date(-81) },
  { what: 'Tell the social worker the same day of any absence or injury of Maisie’s', practitioner_id: c.dsl.id, due_on: date(-60) },
  { what: 'Give the full name and date of birth of the partner who stays at the house', name: 'Mother', due_on: date(-88) },
];

async function danforth(s: Services, c: Cast, leo: string) {
  await record(s, c.cpsw, leo, { step: 'referral', at: day(-152, '09:30'), data: { referral_source: '6', primary_need: 'N1' } });
  await record(s, c.cpsw, leo, { step: 'referral_decision', at: day(-151, '09:00'), data: { outcome: 'strategy_discussion' },
    rationale: 'A six-year-old left alone at night with little food in the house: reasonable cause to suspect significant harm through neglect.' });
  await record(s, c.cpsw, leo, { step: 'strategy_discussion', at: day(-151, '12:00'), rationale: 'Police found Leo alone at 21:00 and mother’s account does not explain it; enquiries needed into how often he is left. He is at home with mother now and seen safe, so no immediate protection.', data: {
    outcome: 's47', s47_lead_id: c.cpsw.id,
    attendees: [who(c.cptm, 'local_authority'), who(c.police2, 'police', agree), { name: 'Duty health visitor', agency_kind: 'health' }],
  } });
  await record(s, c.cpsw, leo, { step: 's47_concluded', at: day(-141, '16:00'), data: { outcome: 'conference' },
    rationale: 'Leo says he is sometimes on his own at night and the kitchen was nearly empty: neglect is substantiated.' });
  await record(s, c.cpsw, leo, { step: 'icpc', at: day(-140, '10:00'), data: { outcome: 'cp_plan', category: 'NEG', lead_id: c.cpsw.id, chair_id: c.chair.id },
    rationale: 'Left alone at night and without enough food: Leo is likely to suffer significant harm through neglect until childcare for the evening shifts is in place.' });
}

async function keeble(s: Services, c: Cast, jordan: string) {
  await record(s, c.sw, jordan, { step: 'referral', at: day(-205, '09:00'), data: { referral_source: '2A', primary_need: 'N6' } });
  await record(s, c.sw, jordan, { step: 'referral_decision', at: day(-205, '11:00'), data: { outcome: 'assessment' },
    rationale: 'Falling attendance, older friends and goods nobody bought him suggest Jordan may be drawn into exploitation; his needs and his mother’s worries need assessing.' });
  await record(s, c.sw, jordan, { step: 'assessment_started', at: day(-204, '09:00') });
  await record(s, c.sw, jordan, { step: 'assessment_completed', at: day(-161, '15:00'), data: { factors: ['24A', '10A'], outcome: 'continue' },
    rationale: 'Signs of criminal exploitation and going missing; Jordan and his mother accept support, so the work continues with them.' });
  await record(s, c.sw, jordan, { step: 'strategy_discussion', at: day(-11, '12:00'),
    rationale: 'A second missing episode of 26 hours, found in the same area, and a debt he says he owes: reasonable cause to suspect significant harm through criminal exploitation. He is home and the police have a disruption plan, so no immediate protection.', data: {
      outcome: 's47', s47_lead_id: c.sw.id,
      attendees: [who(c.sw, 'local_authority'), who(c.police2, 'police', agree), { name: 'School nurse', agency_kind: 'health' }, who(c.dsl2, 'school', agree)],
    } });
}
