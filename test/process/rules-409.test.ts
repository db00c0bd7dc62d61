import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonInput } from '../../src/people/schemas.js';
import { onPostgres } from '../support/db.js';
import { processWorld, recordAll, type Body, type ProcessWorld } from './steps-support.js';
import { at, stepsFor, type Steps } from './step-builders.js';

/**
 * Every guard of src/process/guards.ts, and every CIN census rule of spec §3.3 that applies at data
 * entry, through POST /api/children/:id/process/steps: each case records the least history that
 * makes the step illegal, sends it, and expects the refusal (naming the census rule where there is
 * one) and that nothing was written: the chronology and the projection are as they were.
 */
let pw: ProcessWorld;
let b: Steps;
beforeAll(async () => {
  pw = await processWorld();
  b = stepsFor(pw.w);
});
afterAll(() => pw.close());

interface Case {
  name: string;
  history: (b: Steps) => Body[];
  send: (b: Steps) => Body;
  status?: 403 | 409 | 422;
  /** The census rule numbers the detail must name. */
  rule?: string[];
  /** Words of the refusal, when no census rule names it. */
  says?: string;
  /** The field a 422 names. */
  path?: string;
  child?: Partial<PersonInput>;
}

const cases: Case[] = [
  // An episode to record into (needEpisode)
  { name: 'a step with no referral recorded', history: () => [], send: (b) => b.assessmentStarted(), says: 'no open referral' },
  { name: 'a step dated before the referral', history: (b) => [b.referral()], send: (b) => b.assessmentStarted('2026-03-01'), rule: ['1103', '1104', '1105', '2889'] },
  { name: 'activity on a referral closed with no further action', history: (b) => [b.referral(), b.decision('no_further_action')], send: (b) => b.assessmentStarted(), rule: ['8831', '8832', '4000'] },
  { name: 'activity after closure at assessment (RC8)', history: (b) => [...b.assessing(), b.assessmentCompleted('no_further_action', '2026-03-10')], send: (b) => b.cinPlanStarted('2026-03-11'), rule: ['2990', '8565'] },
  { name: 'activity after closure', history: (b) => [...b.decided(), b.closure('RC7', '2026-03-04')], send: (b) => b.assessmentStarted('2026-03-05'), rule: ['8565'] },
  // Leads: a qualified social worker (spec §1.5)
  { name: 'a section 47 enquiry with no lead', history: (b) => [b.referral(), b.decision('strategy_discussion')], send: (b) => b.strategy(undefined, { s47_lead_id: undefined }), status: 422, path: 'data.s47_lead_id' },
  { name: 'a section 47 lead who is not a practitioner', history: (b) => [b.referral(), b.decision('strategy_discussion')], send: (b) => b.strategy(undefined, { s47_lead_id: randomUUID() }), status: 422, path: 'data.s47_lead_id' },
  { name: 'a section 47 lead who is not a qualified social worker', history: (b) => [b.referral(), b.decision('strategy_discussion')], send: (b) => b.strategy(undefined, { s47_lead_id: pw.w.actors.hv.id }), says: 'must be a qualified social worker' },
  { name: 'a plan lead who is not a qualified social worker', history: (b) => [...b.inS47(), b.s47Concluded()], send: (b) => b.icpc(undefined, { lead_id: pw.w.actors.police.id }), says: 'must be a qualified social worker' },
  // Plans that cannot run together
  { name: 'a CIN plan while a CP plan is open', history: (b) => b.onCpPlan(), send: (b) => b.cinPlanStarted('2026-03-25'), rule: ['4001', '4016', '4017'] },
  {
    name: 'an assessment concluding in a CIN plan while a CP plan is open',
    history: (b) => [b.referral(), b.decision('strategy_discussion'), b.assessmentStarted(), b.strategy(), b.s47Concluded(), b.icpc()],
    send: (b) => b.assessmentCompleted('cin_plan', '2026-03-25'), rule: ['4001', '4016', '4017'],
  },
  { name: 'a second open CIN plan', history: (b) => b.onCinPlan(), send: (b) => b.cinPlanStarted('2026-03-06'), rule: ['4004'] },
  { name: 'a core group with no CP plan', history: (b) => b.decided(), send: (b) => b.coreGroup('2026-03-04'), says: 'needs an open child protection plan' },
  // Referrals and episodes
  { name: 'a second open episode', history: (b) => [b.referral()], send: (b) => b.referral('2026-03-03'), rule: ['8815', '8816'] },
  { name: 'a referral dated before the last episode closed', history: (b) => [...b.decided(), b.closure('RC7', '2026-03-10')], send: (b) => b.referral('2026-03-09'), rule: ['8820'] },
  // 1 October 2026 less 280 days (40 weeks) is Thursday 25 December 2025; the 24th is 281 days before.
  { name: 'a referral more than 40 weeks before the date of birth', child: { date_of_birth: '2026-10-01' }, history: () => [], send: (b) => b.referral('2025-12-24'), rule: ['8606'] },
  { name: 'a second decision on one referral', history: (b) => b.decided(), send: (b) => b.decision('assessment', '2026-03-02', '16:00'), says: 'already decided' },
  { name: 'a late decision without a reason (T1 was due 3 March)', history: (b) => [b.referral()], send: (b) => b.decision('assessment', '2026-03-05'), status: 422, path: 'late_reason' },
  // Assessments
  { name: 'a second open assessment', history: (b) => b.assessing(), send: (b) => b.assessmentStarted('2026-03-04'), rule: ['8896', '8863Q'] },
  { name: 'completing an assessment that is not open', history: (b) => b.decided(), send: (b) => b.assessmentCompleted('continue', '2026-03-04'), says: 'no open assessment' },
  { name: 'completing an assessment before it started', history: (b) => [...b.decided(), b.assessmentStarted('2026-03-04')], send: (b) => b.assessmentCompleted('continue', '2026-03-03'), says: 'before it started' },
  // Strategy discussions and section 47 enquiries
  {
    name: 'a strategy discussion without police or health and no reason',
    history: (b) => [b.referral(), b.decision('strategy_discussion')],
    send: (b) => b.strategy(undefined, { attendees: [{ name: 'Test worker', agency_kind: 'local_authority' }] }), status: 422, path: 'data.absent_agencies_reason',
  },
  { name: 'a second open section 47 enquiry', history: (b) => b.inS47(), send: (b) => b.strategy('2026-03-05'), rule: ['8839', '8890'] },
  { name: 'concluding a section 47 enquiry that is not open', history: (b) => b.decided(), send: (b) => b.s47Concluded('2026-03-04'), says: 'no open section 47 enquiry' },
  { name: 'concluding a section 47 enquiry before it started', history: (b) => [b.referral(), b.decision('strategy_discussion'), b.strategy('2026-03-04')], send: (b) => b.s47Concluded('2026-03-03'), says: 'before it started' },
  // Conferences and plans
  { name: 'a conference without a section 47 enquiry', history: (b) => b.decided(), send: (b) => b.icpc('2026-03-04'), rule: ['8615'] },
  { name: 'a conference before the section 47 enquiry started', history: (b) => [b.referral(), b.decision('strategy_discussion'), b.strategy('2026-03-04')], send: (b) => b.icpc('2026-03-03'), rule: ['8615'] },
  { name: 'a conference on a Saturday (21 March 2026)', history: (b) => [...b.inS47(), b.s47Concluded()], send: (b) => b.icpc('2026-03-21'), rule: ['8875'] },
  { name: 'a second open CP plan', history: (b) => [...b.onCpPlan(), b.strategy('2026-04-01')], send: (b) => b.icpc('2026-04-02'), rule: ['8935'] },
  { name: 'a CP plan without a category', history: (b) => [...b.inS47(), b.s47Concluded()], send: (b) => b.icpc(undefined, { category: undefined }), status: 422, path: 'data.category' },
  { name: 'a core group before the plan started', history: (b) => b.onCpPlan(), send: (b) => b.coreGroup('2026-03-20'), says: 'before the plan started' },
  { name: 'a review on the day the plan started', history: (b) => b.onCpPlan(), send: (b) => b.review('2026-03-23'), rule: ['8841'] },
  { name: 'a review before the previous review', history: (b) => [...b.onCpPlan(), b.review('2026-06-22')], send: (b) => b.review('2026-06-15'), says: 'previous review' },
  { name: 'a step down to a CIN plan from a review that continues the plan', history: (b) => b.onCpPlan(), send: (b) => b.review('2026-06-22', { step_down_to_cin_plan: true }), status: 422, path: 'data.step_down_to_cin_plan' },
  { name: 'a CP plan ending the day it started', history: (b) => b.onCpPlan(), send: (b) => b.cpPlanEnded('2026-03-23'), rule: ['4011', '8925', '8840'] },
  { name: 'a CP plan ending before it started', history: (b) => b.onCpPlan(), send: (b) => b.cpPlanEnded('2026-03-20'), rule: ['4011', '8925', '8840'] },
  { name: 'reviewing a CIN plan that is not open', history: (b) => b.decided(), send: (b) => b.cinReview('2026-03-04'), says: 'no open child in need plan' },
  { name: 'reviewing a CIN plan before it started', history: (b) => b.onCinPlan(), send: (b) => b.cinReview('2026-03-04'), says: 'before the plan started' },
  { name: 'ending a CIN plan that is not open', history: (b) => b.decided(), send: (b) => b.cinEnded('2026-03-04'), says: 'no open child in need plan' },
  { name: 'a CIN plan ending before it started', history: (b) => b.onCinPlan(), send: (b) => b.cinEnded('2026-03-04'), rule: ['4011'] },
  // Closure
  { name: 'closing with an open assessment', history: (b) => b.assessing(), send: (b) => b.closure('RC7', '2026-03-04'), rule: ['8867'] },
  { name: 'closing with an open section 47 enquiry', history: (b) => b.inS47(), send: (b) => b.closure('RC7', '2026-03-04'), rule: ['8868'] },
  { name: 'closing while a conference is still to be held', history: (b) => [...b.inS47(), b.s47Concluded()], send: (b) => b.closure('RC7', '2026-03-21'), rule: ['8868'] },
  { name: 'closing with a CP plan open', history: (b) => b.onCpPlan(), send: (b) => b.closure('RC7', '2026-03-24'), rule: ['8565'], says: 'End the child protection plan' },
  { name: 'closing with a CIN plan open', history: (b) => b.onCinPlan(), send: (b) => b.closure('RC7', '2026-03-06'), rule: ['8565'], says: 'End the child in need plan' },
  { name: 'closing because the child died (RC2) without the date of death', history: (b) => b.decided(), send: (b) => b.closure('RC2', '2026-03-04'), status: 422, rule: ['8585Q'], path: 'data.date_of_death' },
  { name: 'a date of death after the closure', history: (b) => b.decided(), send: (b) => b.closure('RC2', '2026-03-04', { date_of_death: '2026-03-05' }), status: 422, path: 'data.date_of_death' },
  { name: 'activity after the child’s death', history: (b) => [...b.decided(), b.closure('RC2', '2026-03-05', { date_of_death: '2026-03-04' })], send: (b) => b.referral('2026-03-10'), rule: ['4008', '4009Q', '8915', '8920'] },
  // Who records a step
  { name: 'police protection recorded by social care', history: () => [], send: (b) => ({ ...b.pp(at('2026-03-10')), by: undefined }), status: 403, says: 'recorded by the police' },
  // Emergency powers
  { name: 'police protection of a child already in it', history: (b) => [b.pp(at('2026-03-10', '12:00'))], send: (b) => b.pp(at('2026-03-11')), says: 'already in police protection' },
  { name: 'ending police protection that did not start', history: () => [], send: (b) => b.ppEnded(at('2026-03-10')), says: 'not in police protection' },
  { name: 'ending police protection before it started', history: (b) => [b.pp(at('2026-03-10', '12:00'))], send: (b) => b.ppEnded(at('2026-03-10', '11:00')), says: 'cannot end before it started' },
  { name: 'a second order while one is in force', history: (b) => [b.epo('2026-03-10')], send: (b) => b.epo('2026-03-11'), says: 'already in force' },
  { name: 'extending an order that does not exist', history: () => [], send: (b) => b.epoExtended('2026-03-10', '2026-03-12'), says: 'no emergency protection order in force' },
  // An order made 10 March runs 8 days beginning with that day: to 17 March; one extension to 24 March at most.
  { name: 'a second extension', history: (b) => [b.epo('2026-03-10'), b.epoExtended('2026-03-17', '2026-03-20')], send: (b) => b.epoExtended('2026-03-18', '2026-03-21'), says: 'extended only once' },
  { name: 'an extension of more than 7 days', history: (b) => [b.epo('2026-03-10')], send: (b) => b.epoExtended('2026-03-16', '2026-03-25'), says: 'at most 7 days' },
  { name: 'an extension ending before the order does', history: (b) => [b.epo('2026-03-10')], send: (b) => b.epoExtended('2026-03-16', '2026-03-17'), status: 422, path: 'data.until' },
  { name: 'extending an order that has run out', history: (b) => [b.epo('2026-03-10')], send: (b) => b.epoExtended('2026-03-18', '2026-03-20'), says: 'ran out on 2026-03-17' },
  { name: 'ending an order that does not exist', history: () => [], send: (b) => b.epoEnded('2026-03-10'), says: 'no emergency protection order in force' },
  // Pre-proceedings (PLO) and care proceedings
  { name: 'a second legal planning meeting during pre-proceedings', history: (b) => [b.lpm('pre_proceedings', '2026-04-10')], send: (b) => b.lpm('pre_proceedings', '2026-04-13'), says: 'already under way' },
  { name: 'a letter before proceedings without pre-proceedings', history: () => [], send: (b) => b.letter('2026-04-10'), says: 'follows the decision to start pre-proceedings' },
  { name: 'a letter before pre-proceedings started', history: (b) => [b.lpm('pre_proceedings', '2026-04-10')], send: (b) => b.letter('2026-04-09'), rule: ['9005'] },
  { name: 'a pre-proceedings meeting without pre-proceedings', history: () => [], send: (b) => b.ppMeeting('2026-04-10'), says: 'no pre-proceedings under way' },
  { name: 'a pre-proceedings meeting before they started', history: (b) => [b.lpm('pre_proceedings', '2026-04-10')], send: (b) => b.ppMeeting('2026-04-09'), says: 'before pre-proceedings started' },
  { name: 'a pre-proceedings decision without pre-proceedings', history: () => [], send: (b) => b.ppDecision('step_down', '2026-04-10'), says: 'no pre-proceedings under way' },
  { name: 'a pre-proceedings decision before they started', history: (b) => [b.lpm('pre_proceedings', '2026-04-10')], send: (b) => b.ppDecision('step_down', '2026-04-09'), rule: ['9005'] },
  { name: 'an application before the decision to issue', history: (b) => [b.lpm('pre_proceedings', '2026-04-10'), b.ppDecision('issue_proceedings', '2026-05-11')], send: (b) => b.careIssued('2026-05-08'), rule: ['9005'] },
  { name: 'a second application while proceedings are under way', history: (b) => [b.careIssued('2026-01-05')], send: (b) => b.careIssued('2026-02-02'), says: 'already under way' },
  { name: 'extending proceedings that were not issued', history: () => [], send: (b) => b.careExtended('2026-04-10'), says: 'no care proceedings under way' },
  { name: 'concluding proceedings that were not issued', history: () => [], send: (b) => b.careConcluded('2026-04-10'), says: 'no care proceedings under way' },
  // Safety plans (the rest: safety-plans.test.ts)
  { name: 'a breach of a safety plan not in the record', history: () => [], send: () => ({ step: 'safety_plan_condition_breached', occurred_at: at('2026-04-10'), data: { plan_id: randomUUID(), condition: 0, breach: 'breached' } }), says: 'not in this child’s record' },
  { name: 'a review of a safety plan not in the record', history: () => [], send: () => ({ step: 'safety_plan_reviewed', occurred_at: at('2026-04-10'), data: { plan_id: randomUUID(), outcome: 'ended' } }), says: 'no open safety plan' },
];

/** What a refused step must leave as it was: the chronology, and the projection the due lists read. */
async function written(child: string) {
  const projection = await sql<{ state: unknown; clocks: number }>`SELECT (SELECT state FROM process_children WHERE child_id = ${child}) AS state,
    (SELECT count(*)::int FROM process_clocks WHERE child_id = ${child}) AS clocks`.execute(pw.s.database.db);
  return { entries: await pw.entryIds(child), ...projection.rows[0] };
}

describe(`illegal steps are refused and nothing is written (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it.each(cases)('$name', async (c) => {
    const child = await pw.child(c.child);
    await recordAll(pw, child, c.history(b));
    const before = await written(child);
    const { by, ...body } = c.send(b);
    const res = await pw.step(child, body, typeof by === 'string' ? by : 'worker');
    expect(res.status, JSON.stringify(res.body)).toBe(c.status ?? 409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    for (const n of c.rule ?? []) expect(res.body.detail).toMatch(new RegExp(`census rule [^)]*\\b${n}\\b`));
    if (c.says) expect(res.body.detail).toContain(c.says);
    if (c.path) expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(c.path);
    expect(await written(child)).toEqual(before);
  });
});

describe('legal steps near the rules are recorded', () => {
  it('a referral exactly 40 weeks before the date of birth (rule 8606 allows it)', async () => {
    const child = await pw.child({ date_of_birth: '2026-10-01' });
    expect((await pw.step(child, b.referral('2025-12-25'))).status).toBe(201);
  });

  it('a conference deciding on a child in need plan for a child already on one continues that plan', async () => {
    const child = await pw.child();
    await recordAll(pw, child, [...b.onCinPlan(), b.strategy('2026-03-10'), b.s47Concluded('2026-03-20')]);
    const res = await pw.step(child, b.icpc('2026-03-23', { outcome: 'cin_plan', category: undefined, lead_id: undefined }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.process.child_in_need_plan).toMatchObject({ start: '2026-03-05' });
  });

  it('an assessment concluding in a child in need plan for a child already on one continues that plan', async () => {
    const child = await pw.child();
    await recordAll(pw, child, [...b.assessing(), b.cinPlanStarted('2026-03-05')]);
    const res = await pw.step(child, b.assessmentCompleted('cin_plan', '2026-03-20'));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.process.child_in_need_plan).toMatchObject({ start: '2026-03-05' });
  });
});
