import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildApp, type Services } from '../../src/app.js';
import { addDays, londonDate } from '../../src/process/dates.js';
import { onPostgres, testServices } from '../support/db.js';
import { world, type World } from '../support/fixtures.js';
import { bearer, expectProblem } from '../access/support.js';

let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
let admin: Record<string, string>;
let worker: Record<string, string>;
beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  admin = await bearer(app, w.emails.admin);
  worker = await bearer(app, w.emails.worker);
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const ruleCount = async () => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM timescale_rules`.execute(s.database.db)).rows[0].n);
const auditCount = async () => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_events WHERE action = 'add_timescale_override'`.execute(s.database.db)).rows[0].n);
// A local timescale cannot start before today, whenever this runs.
const tomorrow = addDays(londonDate(new Date()), 1);
const t13 = { code: 't13', amount: 8, unit: 'weeks', convention: 'calendar', source: 'Northmoor CIN procedures 2026, 2.1: reviews every 8 weeks', effective_from: tomorrow };
const post = (payload: object, headers: Record<string, string> = admin) =>
  app.inject({ method: 'POST', url: '/api/process/rules/overrides', payload, headers });

describe(`POST /api/process/rules/overrides (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('adds the caller’s authority’s own timescale (201), and a retry with the same Idempotency-Key writes nothing more', async () => {
    const before = await ruleCount();
    const headers = { ...admin, 'idempotency-key': 'override-t13-first-try' };
    const res = await post(t13, headers);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['idempotent-replayed']).toBe('false');
    const rule = res.json();
    expect(rule).toMatchObject({ code: 'T13', jurisdiction: 'england', locality: w.la, amount: 8, unit: 'weeks', convention: 'calendar', status: 'local', local_practice: true, effective_from: tomorrow, source: t13.source, step: expect.stringContaining('review') });

    const again = await post(t13, headers);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(rule);
    expect(await ruleCount()).toBe(before + 1);

    // The same key for something else is refused; a new key for the same step and date is a 409.
    expectProblem(await post({ ...t13, amount: 9 }, headers), 422);
    const clash = await post(t13, { ...admin, 'idempotency-key': 'override-t13-second-try' });
    expectProblem(clash, 409);
    expect(clash.json().detail).toBe(`Northmoor Council already has its own T13 from ${tomorrow}.`);
    expect(await ruleCount()).toBe(before + 1);

    // And the deadline for the authority's triggers from that date follows it.
    const due = await app.inject({ method: 'GET', url: `/api/process/due?rule=T13&start=${tomorrow}&locality=${w.la}`, headers: worker });
    expect(due.json()).toMatchObject({ due: addDays(tomorrow, 56), rule: { id: rule.id } });
  });

  it('answers 403 to anyone but an administrator, and 422 for a step set nationally or a bad body, writing nothing', async () => {
    const before = await ruleCount();
    const audits = await auditCount();
    const notAdmin = await post({ ...t13, effective_from: addDays(tomorrow, 1) }, worker);
    expectProblem(notAdmin, 403);
    expect(notAdmin.json().detail).toContain('Only an administrator');
    expectProblem(await post({ ...t13, effective_from: addDays(tomorrow, 1) }, {}), 401);

    const t2 = await post({ ...t13, code: 'T2', unit: 'working_days', convention: 'working-days:t0-is-day-0' });
    expectProblem(t2, 422);
    expect(t2.json().errors).toEqual([{ path: 'code', message: 'Choose a rule left to local practice' }]);
    expectProblem(await post({ ...t13, effective_from: addDays(tomorrow, -2) }), 422);
    expectProblem(await post({ ...t13, convention: 'hours' }), 422);
    expectProblem(await post({ ...t13, amount: 0 }), 400);
    expect(await ruleCount()).toBe(before);
    expect(await auditCount()).toBe(audits);
  });

  it('is documented under the process tag, with the Idempotency-Key header', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const op = doc.paths['/api/process/rules/overrides'].post;
    expect(op.tags).toEqual(['process']);
    expect(op.parameters.map((p: { name: string }) => p.name)).toContain('idempotency-key');
    expect(Object.keys(op.requestBody.content['application/json'].schema.properties).sort()).toEqual(['amount', 'code', 'convention', 'effective_from', 'source', 'unit']);
    expect(Object.keys(op.responses)).toContain('201');
  });
});
