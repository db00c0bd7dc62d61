import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildApp, type Services } from '../../src/app.js';
import { testServices } from '../support/db.js';
import { PASSWORD, homeVisit, world, type World } from '../support/fixtures.js';

/**
 * One child from referral to the end of a plan, through the API, with every deadline checked
 * against Working Together as counted by hand (England, 2026; Easter: 3 and 6 April; early May
 * bank holiday: 4 May).
 */
let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
const bearer: Record<string, string> = {};

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  for (const who of ['worker', 'police', 'hv']) {
    bearer[who] = (await app.inject({ method: 'POST', url: '/api/auth/token', payload: { email: w.emails[who], password: PASSWORD } })).json().token;
  }
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

type Due = { code: string; due_on: string; status: string; late_reason: string | null };

async function step(body: Record<string, unknown>, who = 'worker') {
  const res = await app.inject({ method: 'POST', url: `/api/children/${w.child}/process/steps`, headers: { authorization: `Bearer ${bearer[who]}` }, payload: body });
  return { status: res.statusCode, body: res.json() };
}
const dueOf = (body: { process: { due: Due[] } }, code: string) => body.process.due.find((d) => d.code === code)?.due_on;
const doneOf = (body: { process: { done: Due[] } }, code: string) => body.process.done.filter((d) => d.code === code);

describe('a child from contact to the end of a plan', () => {
  it('walks every step with its deadlines', async () => {
    const referral = await step({ step: 'referral', occurred_at: '2026-03-02T09:00:00Z', narrative: 'Health visitor rang about bruising.', data: { referral_source: '3B', primary_need: 'N1' } });
    expect(referral.status).toBe(201);
    expect(dueOf(referral.body, 'T1')).toBe('2026-03-03');
    expect(dueOf(referral.body, 'T2')).toBe('2026-05-07');
    expect(referral.body.entry.kind).toBe('process_step');

    const decision = await step({ step: 'referral_decision', occurred_at: '2026-03-02T15:00:00Z', narrative: 'Bruising to a baby who is not mobile: a strategy discussion today.', data: { outcome: 'strategy_discussion' } });
    expect(decision.status).toBe(201);
    expect(doneOf(decision.body, 'T1')[0].status).toBe('done');

    expect((await step({ step: 'assessment_started', occurred_at: '2026-03-03T09:00:00Z' })).status).toBe(201);
    const strategy = await step({
      step: 'strategy_discussion', occurred_at: '2026-03-03T11:00:00Z', narrative: 'No explanation for the bruising; joint enquiry with police.',
      data: {
        outcome: 's47', s47_lead_id: w.actors.worker.id,
        attendees: [
          { practitioner_id: w.actors.worker.id, name: 'Test worker', agency_kind: 'local_authority' },
          { practitioner_id: w.actors.police.id, name: 'Test police', agency_kind: 'police' },
          { name: 'Dr Paediatrician', agency_kind: 'health' },
        ],
      },
    });
    expect(strategy.status).toBe(201);
    expect(dueOf(strategy.body, 'T5')).toBe('2026-03-24');

    // The police officer at the strategy discussion now reaches the record through it.
    const seen = await app.inject({ method: 'GET', url: `/api/children/${w.child}/process`, headers: { authorization: `Bearer ${bearer.police}` } });
    expect(seen.statusCode).toBe(200);
    expect(seen.json().stage).toBe('Section 47 enquiry');

    expect((await step({ step: 's47_concluded', occurred_at: '2026-03-20T10:00:00Z', narrative: 'Concerns substantiated: a conference is needed.', data: { outcome: 'conference' } })).status).toBe(201);
    const icpc = await step({
      step: 'icpc', occurred_at: '2026-03-23T10:00:00Z', narrative: 'Likely to suffer significant harm through neglect.',
      data: { outcome: 'cp_plan', category: 'NEG', lead_id: w.actors.worker.id, core_group_ids: [w.actors.hv.id], attendees: [] },
    });
    expect(icpc.status).toBe(201);
    expect(doneOf(icpc.body, 'T5')[0].status).toBe('done');
    expect(dueOf(icpc.body, 'T6')).toBe('2026-04-08');
    expect(dueOf(icpc.body, 'T8')).toBe('2026-06-23');
    expect(dueOf(icpc.body, 'T11')).toBe('2026-04-08');
    expect(icpc.body.process.child_protection_plan).toMatchObject({ start: '2026-03-23', initial_category: 'NEG' });

    // A home visit in which the child was seen restarts the visit clock: 10 working days, over Easter.
    const visit = await app.inject({ method: 'POST', url: `/api/children/${w.child}/entries`, headers: { authorization: `Bearer ${bearer.worker}` }, payload: homeVisit({ occurred_at: '2026-04-01T10:00:00Z' }) });
    expect(visit.statusCode).toBe(201);
    const afterVisit = (await app.inject({ method: 'GET', url: `/api/children/${w.child}/process`, headers: { authorization: `Bearer ${bearer.worker}` } })).json();
    expect(afterVisit.due.find((d: Due) => d.code === 'T11').due_on).toBe('2026-04-17');
    // The work list's projection follows the visit too (and the timers with it).
    const projected = await sql<{ due_on: string }>`SELECT to_char(due_on, 'YYYY-MM-DD') AS due_on FROM process_clocks
      WHERE child_id = ${w.child} AND code = 'T11' AND completed_at IS NULL AND cancelled_at IS NULL`.execute(s.database.db);
    expect(projected.rows.map((r) => r.due_on)).toEqual(['2026-04-17']);

    // The first core group is two days late: the reason is required, then recorded.
    const late = await step({ step: 'core_group', occurred_at: '2026-04-10T10:00:00Z', data: { attendees: [] } }, 'hv');
    expect(late.status).toBe(403); // a health visitor cannot record a core group: social care does
    const noReason = await step({ step: 'core_group', occurred_at: '2026-04-10T10:00:00Z', data: { attendees: [] } });
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors?.[0]?.path ?? noReason.body.fields?.[0]?.path).toBe('late_reason');
    const withReason = await step({ step: 'core_group', occurred_at: '2026-04-10T10:00:00Z', late_reason: 'Health visitor on leave; earliest date all could attend.', data: { attendees: [] } });
    expect(withReason.status).toBe(201);
    expect(doneOf(withReason.body, 'T6')[0]).toMatchObject({ status: 'done_late', late_reason: 'Health visitor on leave; earliest date all could attend.' });

    expect((await step({ step: 'assessment_completed', occurred_at: '2026-04-20T10:00:00Z', narrative: 'Neglect and domestic abuse found; the plan continues.', data: { factors: ['16A', '3B'], outcome: 'continue' } })).status).toBe(201);
    const review1 = await step({ step: 'review_conference', occurred_at: '2026-06-22T10:00:00Z', narrative: 'Some progress; the risks remain, so the plan continues.', data: { outcome: 'continue', attendees: [] } });
    expect(review1.status).toBe(201);
    expect(dueOf(review1.body, 'T9')).toBe('2026-12-22');

    const end = await step({ step: 'review_conference', occurred_at: '2026-11-23T10:00:00Z', narrative: 'Risks reduced and sustained for six months: the plan ends.', data: { outcome: 'end_plan', step_down_to_cin_plan: true, attendees: [] } });
    expect(end.status).toBe(201);
    expect(end.body.process.child_protection_plan).toBeNull();
    expect(end.body.process.child_in_need_plan).toMatchObject({ start: '2026-11-23' });
    expect(dueOf(end.body, 'T13')).toBe('2027-02-23');
    expect(end.body.process.due.map((d: Due) => d.code)).not.toContain('T11');

    expect((await step({ step: 'cin_plan_ended', occurred_at: '2026-11-25T10:00:00Z' })).status).toBe(201);
    const closed = await step({ step: 'closure', occurred_at: '2026-11-26T10:00:00Z', data: { reason: 'RC7' } });
    expect(closed.status).toBe(201);
    expect(closed.body.process.stage).toBe('Closed');
    expect(closed.body.process.due).toEqual([]);

    const after = await step({ step: 'assessment_started', occurred_at: '2026-11-26T12:00:00Z' });
    expect(after.status).toBe(409);
    expect(after.body.detail).toContain('8565');
  });
});
