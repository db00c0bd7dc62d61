import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Services } from '../../src/app.js';
import { createApiToken } from '../../src/auth/store.js';
import { onPostgres, testServices } from '../support/db.js';
import type { World } from '../support/fixtures.js';
import { bearer, concernWorld, raiseByApi, staffing, stepByApi, tokens, type App } from './support.js';

/** The API's answers: problem+json for every refusal, idempotent creates, agency systems kept out. */
let s: Services;
let w: World;
let app: App;
let tok: Record<string, string>;
beforeAll(async () => {
  s = await testServices();
  w = await concernWorld(s);
  app = await buildApp(s);
  tok = await tokens(app, w);
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const rows = async () => Number((await sql<{ n: number }>`SELECT (SELECT count(*) FROM concerns) + (SELECT count(*) FROM concern_events) AS n`.execute(s.database.db)).rows[0].n);
const problem = (res: { statusCode: number; headers: Record<string, unknown>; json: () => { status: number; detail?: string } }, status: number) => {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json().status).toBe(status);
  return res.json();
};

describe(`concerns API (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('creates once per Idempotency-Key, and says when an answer is a replay', async () => {
    const first = await raiseByApi(app, tok.hv, staffing(w), 'raise-key-0001');
    const again = await raiseByApi(app, tok.hv, staffing(w), 'raise-key-0001');
    expect([first.statusCode, again.statusCode]).toEqual([201, 201]);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    problem(await raiseByApi(app, tok.hv, staffing(w, { what: 'Something different.' }), 'raise-key-0001'), 422);
    const before = await rows();
    const ack = await stepByApi(app, tok.head, first.json().id, { type: 'acknowledged' }, 'ack-key-0001');
    const ackAgain = await stepByApi(app, tok.head, first.json().id, { type: 'acknowledged' }, 'ack-key-0001');
    expect([ack.statusCode, ackAgain.statusCode, ackAgain.headers['idempotent-replayed']]).toEqual([201, 201, 'true']);
    expect(await rows()).toBe(before + 1);
  });

  it('answers input that does not fit the schema with 400 naming the fields, and refusals with 403, 404 or 409 and the reason; nothing is written', async () => {
    const before = await rows();
    const bad = problem(await raiseByApi(app, tok.worker, { agency_id: 'nope', category: 'gossip', what: '' }), 400) as unknown as { errors: { path: string }[] };
    expect(bad.errors.map((e) => e.path)).toEqual(['body.agency_id', 'body.category', 'body.what']);
    const c = (await raiseByApi(app, tok.worker, staffing(w, { subject_id: w.actors.manager.id }))).json();
    const afterRaise = await rows();
    expect(problem(await stepByApi(app, tok.manager, c.id, { type: 'closed', resolution: 'Fine.' }), 403).detail).toBe('A concern cannot be closed by the person it is about.');
    expect(problem(await stepByApi(app, tok.head, c.id, { type: 'action_plan', plan: 'Plan.' }), 409).detail).toBe('Acknowledge the concern before giving an action plan.');
    problem(await stepByApi(app, tok.police, c.id, { type: 'update', text: 'Hello.' }), 404);
    problem(await stepByApi(app, tok.head, c.id, { type: 'closed', resolution: '' }), 400);
    problem(await stepByApi(app, tok.head, randomUUID(), { type: 'acknowledged' }), 404);
    expect(await rows()).toBe(afterRaise);
    expect(afterRaise).toBe(before + 2);
  });

  it('is for signed-in practitioners: 401 without credentials, 403 for an agency system', async () => {
    problem(await app.inject({ method: 'GET', url: '/api/oversight/concerns' }), 401);
    const agencyToken = await createApiToken(s.database.db, { id: randomUUID(), agencyId: w.police, name: 'Police system', entryKinds: ['police_notification'], createdBy: w.actors.admin.id });
    expect(problem(await app.inject({ method: 'GET', url: '/api/concerns', headers: bearer(agencyToken) }), 403).detail).toContain('not agency systems');
  });

  it('documents the endpoints under the concerns tag', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const [path, method] of [['/api/concerns', 'post'], ['/api/concerns', 'get'], ['/api/concerns/{concernId}', 'get'], ['/api/concerns/{concernId}/steps', 'post'], ['/api/oversight/concerns', 'get']]) {
      expect(doc.paths[path]?.[method]?.tags, `${method} ${path}`).toEqual(['concerns']);
    }
  });
});
