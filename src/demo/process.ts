import type { Services } from '../app.js';
import type { StepName } from '../process/steps.js';
import type { Cast, PractitionerActor } from './practitioners.js';
import type { BrennockFamily } from './families/brennock-household.js';
import { date, day } from './time.js';

/**
 * The statutory process of the demo children, recorded through ProcessService as the practitioners
 * who took each step, so every guard and deadline applies exactly as in use. Left as a real service
 * would be on the demo's anchor day: Kai's first review conference, his safety-plan review and his
 * visits are overdue; Leo's first core group never happened; Jordan's conference is due to be convened.
 */
type Step = { step: StepName; at: string; data?: Record<string, unknown>; narrative?: string; late_reason?: string };

async function record(s: Services, by: PractitionerActor, childId: string, st: Step): Promise<string> {
  const res = await s.process.record(by, childId, { step: st.step, occurred_at: st.at, narrative: st.narrative ?? '', data: st.data ?? {}, late_reason: st.late_reason });
  return res.body.entry.id;
}

const who = (p: PractitionerActor, agency_kind: string) => ({ practitioner_id: p.id, name: p.name, agency_kind });

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
  await record(s, c.sw, k.ruby, { step: 'referral_decision', at: day(-94, '15:30'), data: { outcome: 'no_further_action' }, narrative: 'Advice to the GP; family hub details sent to mother.' });
  await record(s, c.sw, k.oliver, { step: 'referral', at: day(-129, '13:00'), data: { referral_source: '2A', primary_need: 'N4' } });
  await record(s, c.sw, k.oliver, { step: 'referral_decision', at: day(-129, '14:00'), data: { outcome: 'early_help', closure_reason: 'RC7' }, narrative: 'Early help through the school attendance team.' });
}

async function brennock(s: Services, c: Cast, f: BrennockFamily) {
  const attendees = [who(c.tm, 'local_authority'), who(c.police, 'police'), who(c.paed2, 'health'), who(c.hv, 'health'), who(c.gp, 'health'), who(c.dsl, 'school')];
  for (const child of [f.kai, f.maisie]) {
    await record(s, c.sw, child, { step: 'referral', at: day(-127, '17:45'), data: { referral_source: '3F', primary_need: 'N1' }, narrative: 'Referral from Riverside paediatrics: gripping-pattern bruising with two explanations.' });
    await record(s, c.sw, child, { step: 'referral_decision', at: day(-127, '17:50'), data: { outcome: 'strategy_discussion' } });
    await record(s, c.sw, child, { step: 'strategy_discussion', at: day(-126, '10:45'), data: { attendees, outcome: 's47', s47_lead_id: c.sw.id } });
    await record(s, c.sw, child, { step: 'assessment_started', at: day(-126, '11:00') });
  }
  // The return home under safeguards: a family friend as "monitor", recorded as related to Kai but never assessed.
  const plan = await record(s, c.sw, f.kai, {
    step: 'safety_plan_agreed', at: day(-126, '16:30'),
    narrative: 'Kai returns home under safeguards. Police disagree and want removal; their view is recorded.',
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
  for (const [child, category] of [[f.kai, 'PHY'], [f.maisie, 'NEG']] as const) {
    await record(s, c.sw, child, { step: 's47_concluded', at: day(-109, '16:00'), data: { outcome: 'conference' } });
    await record(s, c.sw, child, {
      step: 'icpc', at: day(-108, '13:00'), narrative: 'Initial child protection conference chaired by Lorna Featherstone. Police invited; report sent; did not attend.',
      data: { outcome: 'cp_plan', category, lead_id: c.sw.id, chair_id: c.chair.id, core_group_ids: core.map((p) => p.practitioner_id), attendees: core },
    });
    await record(s, c.sw, child, { step: 'core_group', at: day(-95, '14:00'), data: { attendees: core } });
    await record(s, c.sw, child, { step: 'assessment_completed', at: day(-100, '16:00'), data: { factors: ['18C', '3B', '16A'], outcome: 'continue' } });
  }
  await record(s, c.dsl, f.kai, { step: 'safety_plan_condition_breached', at: day(-30, '13:10'), data: { plan_id: plan, condition: 0, breach: 'breached' }, narrative: 'Maisie says Tina no longer comes and Dean is back living at home.' });
}

async function danforth(s: Services, c: Cast, leo: string) {
  await record(s, c.cpsw, leo, { step: 'referral', at: day(-152, '09:30'), data: { referral_source: '6', primary_need: 'N1' } });
  await record(s, c.cpsw, leo, { step: 'referral_decision', at: day(-151, '09:00'), data: { outcome: 'strategy_discussion' } });
  await record(s, c.cpsw, leo, { step: 'strategy_discussion', at: day(-151, '12:00'), data: {
    outcome: 's47', s47_lead_id: c.cpsw.id,
    attendees: [who(c.cptm, 'local_authority'), who(c.police2, 'police'), { name: 'Duty health visitor', agency_kind: 'health' }],
  } });
  await record(s, c.cpsw, leo, { step: 's47_concluded', at: day(-141, '16:00'), data: { outcome: 'conference' } });
  await record(s, c.cpsw, leo, { step: 'icpc', at: day(-140, '10:00'), data: { outcome: 'cp_plan', category: 'NEG', lead_id: c.cpsw.id, chair_id: c.chair.id } });
}

async function keeble(s: Services, c: Cast, jordan: string) {
  await record(s, c.sw, jordan, { step: 'referral', at: day(-205, '09:00'), data: { referral_source: '2A', primary_need: 'N6' } });
  await record(s, c.sw, jordan, { step: 'referral_decision', at: day(-205, '11:00'), data: { outcome: 'assessment' } });
  await record(s, c.sw, jordan, { step: 'assessment_started', at: day(-204, '09:00') });
  await record(s, c.sw, jordan, { step: 'assessment_completed', at: day(-161, '15:00'), data: { factors: ['24A', '10A'], outcome: 'continue' } });
  await record(s, c.sw, jordan, { step: 'strategy_discussion', at: day(-11, '12:00'), data: {
    outcome: 's47', s47_lead_id: c.sw.id,
    attendees: [who(c.sw, 'local_authority'), who(c.police2, 'police'), { name: 'School nurse', agency_kind: 'health' }, who(c.dsl2, 'school')],
  } });
}
