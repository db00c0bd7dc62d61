import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { buildApp, type Services } from '../../src/app.js';
import { allocate } from '../../src/people/store.js';
import { testServices } from '../support/db.js';
import { homeVisit, newChild, world, type World } from '../support/fixtures.js';
import { bearer, expectProblem } from '../access/support.js';

let s: Services;
let w: World;
let app: FastifyInstance;
let auth: Record<string, string>;
beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  auth = await bearer(app, w.emails.worker);
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const post = (key: string, payload: Record<string, unknown>, child = w.child) =>
  app.inject({ method: 'POST', url: `/api/children/${child}/entries`, headers: { ...auth, 'idempotency-key': key }, payload });
const withNarrative = async (narrative: string) =>
  (await sql<{ id: string }>`SELECT id FROM entries WHERE narrative = ${narrative}`.execute(s.database.db)).rows.map((r) => r.id);

describe('Idempotency-Key on POST /api/children/:id/entries', () => {
  it('a retry returns the same entry, marked replayed, and one row exists', async () => {
    const body = homeVisit({ narrative: 'Retried visit.' });
    const first = await post('retry-key-0001', body);
    const again = await post('retry-key-0001', body);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBe('false');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await withNarrative('Retried visit.')).toEqual([first.json().id]);
  });

  it('the same key with a different body answers 422 and records nothing', async () => {
    await post('reused-key-0001', homeVisit({ narrative: 'Original body.' }));
    const res = await post('reused-key-0001', homeVisit({ narrative: 'A different body.' }));
    expectProblem(res, 422);
    expect(await withNarrative('A different body.')).toEqual([]);
    // The same body for another child is a different request too.
    const other = await newChild(s);
    await allocate(s.database.db, other, w.actors.worker.id, w.team, null);
    expectProblem(await post('reused-key-0001', homeVisit({ narrative: 'Original body.' }), other), 422);
  });

  it('concurrent requests with the same key produce one entry', async () => {
    const body = homeVisit({ narrative: 'Sent five times at once.' });
    const all = await Promise.all(Array.from({ length: 5 }, () => post('concurrent-key-0001', body)));
    expect(all.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(all.map((r) => r.json().id)).size).toBe(1);
    expect(all.filter((r) => r.headers['idempotent-replayed'] === 'false')).toHaveLength(1);
    expect(await withNarrative('Sent five times at once.')).toHaveLength(1);
    expect(await s.integrity.verifyOne(null, w.child)).toMatchObject({ ok: true });
  });

  it('keys belong to their caller: another practitioner may use the same key', async () => {
    const teammate = await bearer(app, w.emails.teammate);
    const body = homeVisit({ narrative: 'Same key, two people.' });
    const mine = await post('shared-key-0001', body);
    const theirs = await app.inject({ method: 'POST', url: `/api/children/${w.child}/entries`, headers: { ...teammate, 'idempotency-key': 'shared-key-0001' }, payload: body });
    expect(theirs.statusCode).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBe('false');
    expect(theirs.json().id).not.toBe(mine.json().id);
  });
});
