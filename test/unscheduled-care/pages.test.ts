import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Services } from '../../src/app.js';
import { allocate } from '../../src/people/store.js';
import { project } from '../../src/process/store.js';
import { emptyState } from '../../src/process/state.js';
import { testServices } from '../support/db.js';
import { newChild, world, type World } from '../support/fixtures.js';
import { bearer } from '../access/support.js';
import { Browser, textOf } from '../web/session.js';

let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
let hv: Browser;
let onPlan: string;

const address = (line1: string, postcode: string) => ({ line1, postcode, valid_from: '2020-01-01' });
const ed = { setting: 'emergency_department', reason: 'Fall from a climbing frame' };
const blank = { nhs_number: '', given_name: '', family_name: '', 'date_of_birth-day': '', 'date_of_birth-month': '', 'date_of_birth-year': '', postcode: '' };

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  onPlan = await newChild(s, { given_name: 'Riley', family_name: 'Brennan', date_of_birth: '2019-05-12', nhs_number: '9991000003', address: address('4 Larch Close', 'NM1 2AB') });
  await allocate(s.database.db, onPlan, w.actors.worker.id, w.team, w.actors.manager.id);
  await s.database.db.transaction().execute((tx) => project(tx, onPlan, {
    ...emptyState(),
    cpPlans: [{ id: '00000000-0000-4000-8000-000000000001', start: '2026-02-03', initialCategory: 'neglect', latestCategory: 'neglect', leadId: w.actors.worker.id, reviews: [] }],
  }, w.la, 'england'));
  // The not-on-plan child of the world, with an address and an entry the check must not reveal.
  await newChild(s, { given_name: 'Morgan', family_name: 'Quillfeather', date_of_birth: '2020-08-09', nhs_number: '9991000011', address: address('17 Sorrel Lane', 'NM5 7QP') })
    .then(async (id) => {
      await allocate(s.database.db, id, w.actors.worker.id, w.team, w.actors.manager.id);
      const worker = await bearer(app, w.emails.worker);
      const res = await app.inject({ method: 'POST', url: `/api/children/${id}/entries`, headers: worker, payload: { kind: 'case_note', occurred_at: '2026-01-05T10:00:00Z', narrative: 'Grandmother mentioned the dog bit a neighbour last spring.' } });
      expect(res.statusCode, res.body).toBe(201);
    });
  hv = new Browser(app);
  await hv.signIn(w.emails.hv);
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

describe('the unscheduled-care check page', () => {
  it('is linked in the header for health practitioners only, and refused to others', async () => {
    const form = await hv.get('/unscheduled-care');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('href="/unscheduled-care"');
    const dsl = new Browser(app);
    await dsl.signIn(w.emails.dsl);
    expect((await dsl.get('/')).body).not.toContain('href="/unscheduled-care"');
    expect((await dsl.get('/unscheduled-care')).statusCode).toBe(403);
  });

  it('shows an error summary on bad input and keeps what was typed, recording nothing', async () => {
    await hv.get('/unscheduled-care');
    const before = await s.database.db.selectFrom('entries').select('id').where('kind', '=', 'unscheduled_care_check').execute();
    const none = await hv.post('/unscheduled-care', { ...blank, reason: '' });
    expect(none.statusCode).toBe(422);
    expect(textOf(none.body)).toContain('There is a problem');
    expect(textOf(none.body)).toContain('Enter an NHS number, or the child’s name, date of birth and postcode');
    expect(none.body).toContain('href="#setting"');
    const partial = await hv.post('/unscheduled-care', { ...blank, given_name: 'Riley', family_name: 'Brennan', 'date_of_birth-day': '31', 'date_of_birth-month': '2', 'date_of_birth-year': '2019', ...ed });
    expect(partial.statusCode).toBe(422);
    expect(textOf(partial.body)).toContain('Their date of birth must be a real date');
    expect(textOf(partial.body)).toContain('Enter a real postcode');
    expect(partial.body).toContain('value="Brennan"');
    expect(partial.body).toContain('Fall from a climbing frame');
    const badNhs = await hv.post('/unscheduled-care', { ...blank, nhs_number: '9991000004', ...ed });
    expect(badNhs.statusCode).toBe(422);
    expect(badNhs.body).toContain('href="#nhs_number"');
    expect((await hv.post('/unscheduled-care', { ...blank, nhs_number: '9991000003', ...ed }, { csrf: 'forged' })).statusCode).toBe(403);
    const after = await s.database.db.selectFrom('entries').select('id').where('kind', '=', 'unscheduled_care_check').execute();
    expect(after).toHaveLength(before.length);
  });

  it('answers a child on a plan with the plan, whom to call, and the earlier checks', async () => {
    await hv.get('/unscheduled-care');
    const first = await hv.post('/unscheduled-care', { ...blank, nhs_number: '999 100 0003', ...ed });
    expect(first.statusCode, first.body).toBe(200);
    const text = textOf(first.body);
    expect(text).toContain('This child is on a child protection plan');
    expect(text).toContain('3 February 2026');
    expect(text).toContain('Northmoor Council');
    expect(text).toContain('01000 000001');
    expect(text).toContain('01000 000002');
    expect(text).toContain('No earlier unscheduled-care checks');
    expect(text).not.toContain('neglect');
    await hv.get('/unscheduled-care');
    const again = await hv.post('/unscheduled-care', { ...blank, given_name: 'Riley', family_name: 'Brenan', 'date_of_birth-day': '12', 'date_of_birth-month': '5', 'date_of_birth-year': '2019', postcode: 'nm1 2ab', setting: 'walk_in_centre', reason: 'Burn to the hand' });
    expect(textOf(again.body)).toContain('This child is on a child protection plan');
    expect(textOf(again.body)).toMatch(/Emergency department\s+Northmoor NHS Trust/);
  });

  it('answers a looked-after child with the date of the care order and whom to call', async () => {
    const inCare = await newChild(s, { given_name: 'Sam', family_name: 'Carrow', date_of_birth: '2018-03-03', nhs_number: '9991000054' });
    await allocate(s.database.db, inCare, w.actors.worker.id, w.team, w.actors.manager.id);
    await s.database.db.transaction().execute((tx) => project(tx, inCare, {
      ...emptyState(), proceedings: { issued: '2025-09-01', concluded: '2026-02-20', outcome: 'care_order', extensions: 0 },
    }, w.la, 'england'));
    await hv.get('/unscheduled-care');
    const text = textOf((await hv.post('/unscheduled-care', { ...blank, nhs_number: '9991000054', ...ed })).body);
    expect(text).toContain('This child is looked after by the local authority (in care)');
    expect(text).not.toContain('This child is on a child protection plan');
    expect(text).toMatch(/Looked after\s+Yes, since 20 February 2026/);
    expect(text).toMatch(/Plan started\s+Not on a plan/);
    expect(text).toContain('01000 000002');
  });

  it('answers a child with no plan with only that, revealing nothing else the system holds', async () => {
    for (const who of [
      { nhs_number: '9991000011' },
      { given_name: 'Morgan', family_name: 'Quillfeather', 'date_of_birth-day': '9', 'date_of_birth-month': '8', 'date_of_birth-year': '2020', postcode: 'NM5 7QP' },
    ]) {
      await hv.get('/unscheduled-care');
      const res = await hv.post('/unscheduled-care', { ...blank, ...who, ...ed });
      expect(res.statusCode, res.body).toBe(200);
      const text = textOf(res.body);
      expect(text).toContain('Not on a child protection plan and not looked after');
      for (const held of ['Morgan', 'Quillfeather', 'Sorrel Lane', 'NM5 7QP', 'Grandmother', 'dog bit', 'Test worker', 'Northmoor Council', '01000', '9 August 2020', 'earlier']) {
        expect(text).not.toContain(held);
      }
    }
  });

  it('answers "no single confident match" when no one child matches', async () => {
    await hv.get('/unscheduled-care');
    const res = await hv.post('/unscheduled-care', { ...blank, given_name: 'Nobody', family_name: 'Atall', 'date_of_birth-day': '1', 'date_of_birth-month': '1', 'date_of_birth-year': '2018', postcode: 'ZZ9 9ZZ', ...ed });
    expect(textOf(res.body)).toContain('No single confident match');
    expect(textOf(res.body)).toContain('call the local authority');
  });

  it('tells the worker and manager with a notice that must be acknowledged', async () => {
    const told = await s.database.db.selectFrom('notifications').select(['recipient_id', 'must_acknowledge', 'entry_id']).where('child_id', '=', onPlan).where('kind', '=', 'unscheduled_care_check').execute();
    expect(new Set(told.map((t) => t.recipient_id))).toEqual(new Set([w.actors.worker.id, w.actors.manager.id]));
    expect(told).toHaveLength(4);
    expect(told.every((t) => t.must_acknowledge && t.entry_id)).toBe(true);
  });
});
