import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildApp, type Services } from '../../src/app.js';
import { allocate } from '../../src/people/store.js';
import { project } from '../../src/process/store.js';
import { emptyState } from '../../src/process/state.js';
import { testServices } from '../support/db.js';
import { newChild, world, type World } from '../support/fixtures.js';
import { bearer, expectProblem } from '../access/support.js';

let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
let hv: Record<string, string>;
let onPlan: string;

const address = (postcode: string) => ({ line1: '1 Test Row', postcode, valid_from: '2020-01-01' });

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  hv = await bearer(app, w.emails.hv);
  onPlan = await newChild(s, { given_name: 'Riley', family_name: 'Brennan', date_of_birth: '2019-05-12', nhs_number: '9991000003', address: address('NM1 2AB') });
  await allocate(s.database.db, onPlan, w.actors.worker.id, w.team, w.actors.manager.id);
  // The plan as the process projection holds it after an initial conference (steps tested in test/process).
  await s.database.db.transaction().execute((tx) => project(tx, onPlan, {
    ...emptyState(),
    cpPlans: [{ id: '00000000-0000-4000-8000-000000000001', start: '2026-02-03', initialCategory: 'neglect', latestCategory: 'neglect', leadId: w.actors.worker.id, reviews: [] }],
  }, w.la, 'england'));
  for (const given of ['Jo', 'Jo']) await newChild(s, { given_name: given, family_name: 'Twinning', date_of_birth: '2021-07-07', address: address('NM3 9ZZ') });
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const check = (payload: object, headers = hv) => app.inject({ method: 'POST', url: '/api/unscheduled-care/checks', headers, payload });
const ed = { setting: 'emergency_department', reason: 'Fall from a climbing frame' };
const count = async (table: 'entries' | 'notifications') => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(s.database.db)).rows[0].n);

describe('POST /api/unscheduled-care/checks', () => {
  it('answers a child on a plan by NHS number: the start date and whom to call, never the category, and the earlier checks', async () => {
    const first = await check({ nhs_number: '999 100 0003', ...ed });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toEqual({
      on_plan: true, looked_after: false, unborn: false, plan_start: '2026-02-03', looked_after_since: null,
      local_authority: { name: 'Northmoor Council', office_hours_phone: '01000 000001', out_of_hours_phone: '01000 000002' },
      last_accesses: [],
    });
    expect(first.body).not.toContain('neglect');
    const second = await check({ nhs_number: '9991000003', setting: 'walk_in_centre', reason: 'Burn to the hand' });
    expect(second.json().last_accesses).toEqual([{ at: expect.any(String), setting: 'emergency_department', organisation: 'Northmoor NHS Trust' }]);
  });

  it('says when the child on a plan is not yet born', async () => {
    const unborn = await newChild(s, { given_name: 'Baby', family_name: 'Brennan', date_of_birth: undefined, expected_date_of_birth: '2027-01-20', nhs_number: '9991000038' });
    await s.database.db.transaction().execute((tx) => project(tx, unborn, {
      ...emptyState(),
      cpPlans: [{ id: '00000000-0000-4000-8000-000000000002', start: '2026-10-01', initialCategory: 'physical_abuse', latestCategory: 'physical_abuse', leadId: w.actors.worker.id, reviews: [] }],
    }, w.la, 'england'));
    const res = await check({ nhs_number: '9991000038', setting: 'out_of_hours_gp', reason: 'Mother unwell, seen out of hours' });
    expect(res.json()).toMatchObject({ on_plan: true, unborn: true, plan_start: '2026-10-01', local_authority: { name: 'Northmoor Council' } });
  });

  it('answers a looked-after child (a care order made when proceedings concluded) with the date and whom to call', async () => {
    const inCare = await newChild(s, { given_name: 'Sam', family_name: 'Carrow', date_of_birth: '2018-03-03', nhs_number: '9991000046' });
    await allocate(s.database.db, inCare, w.actors.worker.id, w.team, w.actors.manager.id);
    await s.database.db.transaction().execute((tx) => project(tx, inCare, {
      ...emptyState(), proceedings: { issued: '2025-09-01', concluded: '2026-02-20', outcome: 'care_order', extensions: 0 },
    }, w.la, 'england'));
    const res = await check({ nhs_number: '9991000046', ...ed });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({
      on_plan: false, looked_after: true, unborn: false, plan_start: null, looked_after_since: '2026-02-20',
      local_authority: { name: 'Northmoor Council', office_hours_phone: '01000 000001', out_of_hours_phone: '01000 000002' },
      last_accesses: [],
    });
    const page = await app.inject({ method: 'GET', url: `/api/children/${inCare}/entries`, headers: await bearer(app, w.emails.worker) });
    const entries = page.json().entries as { kind: string }[];
    expect(entries.find((e) => e.kind === 'unscheduled_care_check')).toMatchObject({ data: { on_plan: false, looked_after: true } });
    // A looked-after child seen in unscheduled care is a red flag too (R4), raised by the check itself.
    expect(entries.find((e) => e.kind === 'alert')).toMatchObject({ data: { action: 'raised', rule_id: 'R4' } });
  });

  it('answers a child with no plan with exactly two keys, and reveals nothing else', async () => {
    const res = await check({ nhs_number: '9990000018', ...ed });
    expect(res.statusCode).toBe(201);
    expect(Object.keys(res.json()).sort()).toEqual(['looked_after', 'on_plan']);
    expect(res.json()).toEqual({ on_plan: false, looked_after: false });
  });

  it('finds the child by name, date of birth and postcode despite a typo in the surname', async () => {
    const res = await check({ given_name: 'Riley', family_name: 'Brenan', date_of_birth: '2019-05-12', postcode: 'nm12ab', ...ed });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ on_plan: true, plan_start: '2026-02-03' });
  });

  it('answers "no single match" for an ambiguous or unknown child, writing nothing but an audit row', async () => {
    const before = [await count('entries'), await count('notifications')];
    for (const payload of [
      { given_name: 'Jo', family_name: 'Twinning', date_of_birth: '2021-07-07', postcode: 'NM3 9ZZ', ...ed },
      { given_name: 'Riley', family_name: 'Brennan', date_of_birth: '2018-01-30', postcode: 'ZZ9 9ZZ', ...ed },
      { nhs_number: '9991000011', ...ed },
    ]) {
      const res = await check(payload);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ match: 'none' });
    }
    expect([await count('entries'), await count('notifications')]).toEqual(before);
    const audited = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_events WHERE action = 'unscheduled_care_check_no_match' AND child_id IS NULL`.execute(s.database.db);
    expect(Number(audited.rows[0].n)).toBe(3);
  });

  it('records the check in the chronology, audits it and alerts the worker and manager, without opening the record to the checker', async () => {
    const res = await check({ nhs_number: '9991000003', setting: 'out_of_hours_gp', reason: 'High temperature, bruising seen' }, { ...hv, 'idempotency-key': 'check-ooh-0001' });
    const replay = await check({ nhs_number: '9991000003', setting: 'out_of_hours_gp', reason: 'High temperature, bruising seen' }, { ...hv, 'idempotency-key': 'check-ooh-0001' });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(res.json());
    const worker = await bearer(app, w.emails.worker);
    const chronology = await app.inject({ method: 'GET', url: `/api/children/${onPlan}/entries`, headers: worker });
    const checks = chronology.json().entries.filter((e: { kind: string }) => e.kind === 'unscheduled_care_check');
    expect(checks.map((e: { data: { setting: string } }) => e.data.setting).sort()).toEqual(['emergency_department', 'emergency_department', 'out_of_hours_gp', 'walk_in_centre']);
    const told = await sql<{ recipient_id: string; body: string }>`SELECT recipient_id, body FROM notifications WHERE kind = 'unscheduled_care_check' AND child_id = ${onPlan}`.execute(s.database.db);
    expect(told.rows).toHaveLength(8);
    expect(new Set(told.rows.map((r) => r.recipient_id))).toEqual(new Set([w.actors.worker.id, w.actors.manager.id]));
    expect(told.rows[0].body).toContain('must be acknowledged');
    const audit = await sql<{ basis: string }>`SELECT basis FROM audit_events WHERE action = 'unscheduled_care_check' AND child_id = ${onPlan}`.execute(s.database.db);
    expect(audit.rows).toHaveLength(5); // four checks and the replay: a replay is still a look, so audited
    expect(audit.rows.every((r) => r.basis === 'front_door')).toBe(true);
    expect((await app.inject({ method: 'GET', url: `/api/children/${onPlan}/entries`, headers: hv })).statusCode).toBe(404);
    const looked = (await app.inject({ method: 'GET', url: `/api/children/${onPlan}/access-log`, headers: worker })).json().entries;
    expect(looked).toContainEqual(expect.objectContaining({ action: 'unscheduled_care_check', actor: expect.objectContaining({ name: 'Test hv', agency: 'Northmoor NHS Trust' }), basis_label: 'New contact or referral, or an unscheduled-care check' }));
  });

  it('refuses a school practitioner, and an NHS number with a wrong check digit', async () => {
    expectProblem(await check({ nhs_number: '9991000003', ...ed }, await bearer(app, w.emails.dsl)), 403);
    expectProblem(await check({ nhs_number: '9991000004', ...ed }), 400);
  });
});
