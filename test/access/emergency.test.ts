import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { buildApp, buildServices, type Services } from '../../src/app.js';
import { ChildDoor } from '../../src/access/door.js';
import { createApiToken } from '../../src/auth/store.js';
import { RecordService } from '../../src/record/service.js';
import { testServices, TEST_SEAL_KEY } from '../support/db.js';
import { homeVisit, world, type World } from '../support/fixtures.js';
import { bearer, count, expectProblem, lastAudit, practitioner } from './support.js';

let s: Services;
let w: World;
let app: FastifyInstance;
const HOURS = 2;
const as: Record<string, Record<string, string>> = {};
let gp: { id: string; email: string };
beforeAll(async () => {
  const base = await testServices();
  // The configured EMERGENCY_ACCESS_HOURS, not the default of 4, must set the expiry.
  s = buildServices(base.database, { ...base.config, EMERGENCY_ACCESS_HOURS: HOURS }, TEST_SEAL_KEY);
  w = await world(s);
  app = await buildApp(s);
  gp = await practitioner(s, { key: 'gp', agency: w.health, role: 'gp' });
  as.gp = await bearer(app, gp.email);
  for (const k of ['worker', 'manager', 'police']) as[k] = await bearer(app, w.emails[k]);
  const token = await createApiToken(s.database.db, { agencyId: w.police, name: 'Police system', entryKinds: ['police_incident'], createdBy: w.actors.admin.id, id: randomUUID() });
  as.token = { authorization: `Bearer ${token}` };
  await s.record.append(w.actors.worker, w.child, homeVisit());
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const grant = (who: string, reason: unknown, child = w.child, key?: string) =>
  app.inject({ method: 'POST', url: `/api/children/${child}/emergency-access`, headers: { ...as[who], ...(key ? { 'idempotency-key': key } : {}) }, payload: { reason } });
const chronology = (who: string) => app.inject({ method: 'GET', url: `/api/children/${w.child}/entries`, headers: as[who] });
const accessLog = (who: string) => app.inject({ method: 'GET', url: `/api/children/${w.child}/access-log`, headers: as[who] });
const REASON = 'Child brought to the surgery at night with a burn';

describe('emergency access', () => {
  it('is refused without a real reason, to agency systems, and for unknown children, recording nothing', async () => {
    const before = await count(s, 'emergency_access');
    expectProblem(await grant('gp', 'urgent'), 400);
    expectProblem(await grant('token', REASON), 403);
    expectProblem(await grant('gp', REASON, randomUUID()), 404);
    expect(await count(s, 'emergency_access')).toBe(before);
  });

  it('opens the record for the configured hours, tells the allocated worker and their manager, and is audited', async () => {
    expectProblem(await chronology('gp'), 404);
    const started = Date.now();
    const res = await grant('gp', REASON, w.child, 'emergency-key-0001');
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ id: expect.any(String), child_id: w.child, notified: 2 });
    const expires = new Date(body.expires_at).getTime();
    expect(expires).toBeGreaterThanOrEqual(started + HOURS * 3600_000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + HOURS * 3600_000);

    const told = await sql<{ recipient_id: string; body: string }>`SELECT recipient_id, body FROM notifications WHERE kind = 'emergency_access' AND child_id = ${w.child}`.execute(s.database.db);
    expect(told.rows.map((r) => r.recipient_id).sort()).toEqual([w.actors.worker.id, w.actors.manager.id].sort());
    expect(told.rows[0].body).toContain(REASON);
    expect(await lastAudit(s, w.child, gp.id)).toMatchObject({ action: 'emergency_access_granted', basis: 'emergency', emergency_access_id: body.id });

    const read = await chronology('gp');
    expect(read.statusCode).toBe(200);
    expect(read.json().basis).toBe('emergency');
    expect(await lastAudit(s, w.child, gp.id)).toMatchObject({ action: 'read_chronology', basis: 'emergency', emergency_access_id: body.id });

    // A retry with the same key is the same grant: one row, nobody told twice.
    const again = await grant('gp', REASON, w.child, 'emergency-key-0001');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(body.id);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM emergency_access WHERE practitioner_id = ${gp.id}`.execute(s.database.db)).rows[0].n).toBe(1);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM notifications WHERE kind = 'emergency_access'`.execute(s.database.db)).rows[0].n).toBe(2);
  });

  it('expires after EMERGENCY_ACCESS_HOURS', async () => {
    const at = (ms: number) => new RecordService(new ChildDoor(s.database.db, () => new Date(Date.now() + ms)), s.sealer);
    const gpActor = { type: 'practitioner' as const, id: gp.id, name: 'Test gp', role: 'gp', agencyId: w.health, teamId: null, qualifiedSocialWorker: false };
    await expect(at(HOURS * 3600_000 - 60_000).chronology(gpActor, w.child, {})).resolves.toMatchObject({ basis: 'emergency' });
    await expect(at(HOURS * 3600_000 + 60_000).chronology(gpActor, w.child, {})).rejects.toMatchObject({ status: 404 });
  });
});

describe('who has looked at this record', () => {
  it('lists every look, newest first, with name, role, agency, action, basis, time and any emergency reason', async () => {
    await chronology('worker');
    const res = await accessLog('worker');
    expect(res.statusCode, res.body).toBe(200);
    const lines = res.json().entries as { at: string; actor: { name: string; role: string; agency: string }; action: string; basis: string; emergency_reason: string | null }[];
    expect(lines[0]).toMatchObject({ actor: { name: 'Test worker', role: 'social_worker', agency: 'Northmoor Council' }, action: 'read_chronology', basis: 'allocated_worker', emergency_reason: null });
    const byGp = lines.filter((l) => l.actor.name === 'Test gp');
    expect(byGp.map((l) => l.action)).toEqual([...byGp.slice(1).map(() => 'read_chronology'), 'emergency_access_granted']);
    expect(byGp.length).toBeGreaterThanOrEqual(2);
    expect(byGp.every((l) => l.basis === 'emergency' && l.emergency_reason === REASON && l.actor.agency === 'Northmoor NHS Trust' && l.actor.role === 'gp')).toBe(true);
    const times = lines.map((l) => Date.parse(l.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('is itself read through the door and audited', async () => {
    await accessLog('manager');
    expect(await lastAudit(s, w.child, w.actors.manager.id)).toMatchObject({ action: 'read_access_log', basis: 'allocated_team' });
    const next = (await accessLog('worker')).json().entries;
    expect(next[0]).toMatchObject({ action: 'read_access_log', actor: { name: 'Test manager' } });
    const before = await count(s, 'audit_events');
    expectProblem(await accessLog('police'), 404);
    expectProblem(await app.inject({ method: 'GET', url: `/api/children/${randomUUID()}/access-log`, headers: as.worker }), 404);
    expectProblem(await accessLog('token'), 403);
    expect(await count(s, 'audit_events')).toBe(before);
  });
});
