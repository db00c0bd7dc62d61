import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { buildApp, type Services } from '../../src/app.js';
import { createPractitioner } from '../../src/agencies/store.js';
import { createApiToken } from '../../src/auth/store.js';
import { addGroupMember } from '../../src/people/store.js';
import { onPostgres, testServices } from '../support/db.js';
import { newChild, PASSWORD, world, type World } from '../support/fixtures.js';
import { Browser, textOf } from '../web/session.js';

/**
 * Who sees which disagreement on the oversight board and in the work lists: the partnership's chair
 * and auditors all, managers those with a party from their agency, others their own; each listing
 * audited with the children it showed; open ones overdue first with their trail, closed ones with
 * how they were resolved.
 */
let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
let second: string;
const bearer: Record<string, string> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  const db = s.database.db;
  for (const [key, agency, role] of [['chair', w.la, 'partnership_chair'], ['director', w.la, 'director']] as const) {
    ids[key] = await createPractitioner(db, { agency_id: agency, email: `${key}@example.test`, display_name: `Test ${key}`, role, qualified_social_worker: false, password: PASSWORD } as never);
  }
  await addGroupMember(db, w.child, w.actors.police.id, 'strategy_discussion', w.actors.worker.id);
  // A second child, known to health and the school only: social care takes no part in its disagreement.
  second = await newChild(s, { given_name: 'Casey', family_name: 'Example', nhs_number: '9990000026' });
  await addGroupMember(db, second, w.actors.hv.id, 'core_group', w.actors.worker.id);
  await addGroupMember(db, second, w.actors.dsl.id, 'core_group', w.actors.worker.id);
  app = await buildApp(s);
  const emails = { ...w.emails, chair: 'chair@example.test', director: 'director@example.test' };
  for (const who of ['worker', 'police', 'manager', 'head', 'hv', 'dsl', 'auditor', 'chair', 'director', 'teammate']) {
    bearer[who] = (await app.inject({ method: 'POST', url: '/api/auth/token', payload: { email: emails[who as keyof typeof emails], password: PASSWORD } })).json().token;
  }

  // Three disagreements: one overdue (opened by a dissent three weeks ago), one answered and accepted, one on the second child.
  const post = async (who: string, url: string, payload: object) => {
    const res = await app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${bearer[who]}` }, payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const decided = await post('worker', `/api/children/${w.child}/decisions`, {
    occurred_at: '2026-11-02T10:00:00Z', question: 'Should Alex stay at home?', outcome: 'Stays at home with support', rationale: 'Parents engaging with the plan.',
    participants: [{ practitioner_id: w.actors.police.id, name: 'Test police', position: 'dissent', reason: 'Repeated incidents at the address.' }],
  });
  ids.overdue = decided.disagreements[0].id;
  ids.resolved = (await post('police', `/api/children/${w.child}/disagreements`, { respondent_id: w.actors.worker.id, matter: 'No strategy discussion after the last incident.' })).id;
  await post('worker', `/api/children/${w.child}/disagreements/${ids.resolved}/responses`, { response: 'Strategy discussion booked for Monday with police and health.' });
  await post('police', `/api/children/${w.child}/disagreements/${ids.resolved}/answer`, { accept: true });
  ids.health = (await post('hv', `/api/children/${second}/disagreements`, { respondent_id: w.actors.dsl.id, matter: 'Attendance concerns not shared with health.', urgent: true })).id;
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const get = async (who: string, url: string) => {
  const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer[who]}` } });
  return { status: res.statusCode, body: res.json() };
};
type Item = { id: string; trail: { action: string; text: string | null }[]; resolution: { outcome: string; response: string | null } | null; overdue: boolean };
const seen = (board: { open: Item[]; closed: Item[] }) => [...board.open, ...board.closed].map((i) => i.id).sort();
const sorted = (...keys: string[]) => keys.map((k) => ids[k]).sort();

describe(`the oversight board (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('shows the partnership chair and auditors every disagreement, managers their agency’s, others their own', async () => {
    const expected: Record<string, { basis: string; ids: string[] }> = {
      chair: { basis: 'partnership_chair', ids: sorted('overdue', 'resolved', 'health') },
      auditor: { basis: 'auditor', ids: sorted('overdue', 'resolved', 'health') },
      manager: { basis: 'agency_oversight', ids: sorted('overdue', 'resolved') },
      head: { basis: 'agency_oversight', ids: sorted('overdue', 'resolved') },
      director: { basis: 'agency_oversight', ids: sorted('overdue', 'resolved') },
      police: { basis: 'disagreement_party', ids: sorted('overdue', 'resolved') },
      dsl: { basis: 'disagreement_party', ids: sorted('health') },
      teammate: { basis: 'disagreement_party', ids: [] },
    };
    for (const [who, want] of Object.entries(expected)) {
      const { status, body } = await get(who, '/api/oversight/disagreements');
      expect(status, who).toBe(200);
      expect({ who, basis: body.basis, ids: seen(body) }).toEqual({ who, ...want });
    }
  });

  it('lists open ones overdue first with their trail, counts them by stage, and says how closed ones were resolved', async () => {
    const { body } = await get('chair', '/api/oversight/disagreements');
    expect(body.open.map((i: Item) => i.id)).toEqual([ids.overdue, ids.health]);
    expect(body.open[0]).toMatchObject({ overdue: true, stage: 1, status: 'awaiting_response', child_name: 'Alex Testchild', raiser: { name: 'Test police', agency: 'Northmoor Police' } });
    expect(body.open[0].age_days).toBeGreaterThanOrEqual(24);
    expect(body.open[0].answering_now).toEqual([{ id: w.actors.worker.id, name: 'Test worker', agency: 'Northmoor Council' }]);
    expect(body.open[0].trail.map((t: { action: string }) => t.action)).toEqual(['opened']);
    expect(body.open[1]).toMatchObject({ overdue: false, urgent: true, child_name: 'Casey Example' });
    expect(body.by_stage[0]).toMatchObject({ stage: 1, open: 2, overdue: 1 });
    expect(body.by_stage.slice(1).every((s: { open: number }) => s.open === 0)).toBe(true);
    const [closed] = body.closed;
    expect(closed.trail.map((t: Item['trail'][number]) => t.action)).toEqual(['opened', 'responded', 'accepted']);
    expect(closed.resolution).toMatchObject({ outcome: 'Resolved: the raiser accepted the response', response: 'Strategy discussion booked for Monday with police and health.' });
  });

  it('audits every listing with no child, naming the children and disagreements it showed', async () => {
    await get('manager', '/api/oversight/disagreements');
    const rows = await sql<{ child_id: string | null; basis: string; detail: { children: string[]; disagreements: string[] } }>`SELECT child_id, basis, detail FROM audit_events
      WHERE actor_practitioner_id = ${w.actors.manager.id} AND action = 'oversight_disagreements' ORDER BY id DESC LIMIT 1`.execute(s.database.db);
    expect(rows.rows[0]).toMatchObject({ child_id: null, basis: 'agency_oversight' });
    expect(rows.rows[0].detail.children).toEqual([w.child]);
    expect([...rows.rows[0].detail.disagreements].sort()).toEqual(sorted('overdue', 'resolved'));
  });

  it('refuses agency systems', async () => {
    const token = await createApiToken(s.database.db, { agencyId: w.police, name: 'Police system', entryKinds: ['police_incident'], createdBy: w.actors.admin.id, id: randomUUID() });
    const res = await app.inject({ method: 'GET', url: '/api/oversight/disagreements', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect((await app.inject({ method: 'GET', url: '/api/disagreements?scope=mine', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(403);
  });
});

describe('my disagreements, the work list', () => {
  it('lists the open disagreements I take part in, overdue first, names and dates only, and audits the listing', async () => {
    const { status, body } = await get('worker', '/api/disagreements?scope=mine');
    expect(status).toBe(200);
    expect(body).toEqual([expect.objectContaining({ id: ids.overdue, child_name: 'Alex Testchild', overdue: true, parts: ['respondent', 'responder'], raiser_name: 'Test police' })]);
    expect(JSON.stringify(body)).not.toContain('Repeated incidents');
    const hv = (await get('hv', '/api/disagreements')).body;
    expect(hv.map((r: { id: string }) => r.id)).toEqual([ids.health]);
    expect(hv[0]).toMatchObject({ parts: ['raiser', 'told'], urgent: true });
    expect((await get('manager', '/api/disagreements')).body).toEqual([]);
    const audit = await sql<{ detail: { children: string[] } }>`SELECT detail FROM audit_events WHERE actor_practitioner_id = ${w.actors.hv.id} AND action = 'list_disagreements_mine' AND child_id IS NULL`.execute(s.database.db);
    expect(audit.rows.at(-1)?.detail.children).toEqual([second]);
  });
});

describe('the oversight page', () => {
  it('shows the Professional disagreements section: counts, open with the trail, closed with the resolution', async () => {
    const chair = new Browser(app);
    expect((await chair.signIn('chair@example.test')).statusCode).toBe(303);
    const page = await chair.get('/oversight');
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('Professional disagreements You see every disagreement, as the partnership’s independent chair.');
    expect(text).toMatch(/Stage 1: practitioner to practitioner 2 1/);
    expect(text).toMatch(/Open, overdue responses first Alex Testchild: Stage 1: practitioner to practitioner Overdue .*Casey Example: Stage 1: practitioner to practitioner Urgent/);
    expect(text).toMatch(/Waiting for Test worker \(Northmoor Council\) Response due by the end of \d+ November 2026/);
    expect(text).toMatch(/Closed, and how each was resolved Alex Testchild: closed at stage 1: practitioner to practitioner .*Outcome Resolved: the raiser accepted the response.* Last response Strategy discussion booked for Monday/);
    const teammate = new Browser(app);
    await teammate.signIn(w.emails.teammate);
    const none = textOf((await teammate.get('/oversight')).body);
    expect(none).toContain('You see the disagreements you take part in.');
    expect(none).toContain('No professional disagreement is open.');
  });
});
