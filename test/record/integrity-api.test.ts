import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { buildApp, type Services } from '../../src/app.js';
import { createApiToken } from '../../src/auth/store.js';
import { chainOf } from '../../src/record/store.js';
import { testServices } from '../support/db.js';
import { homeVisit, world, type World } from '../support/fixtures.js';
import { asAttacker } from '../support/tamper.js';
import { bearer, expectProblem, lastAudit } from '../access/support.js';

let s: Services;
let w: World;
let app: FastifyInstance;
const as: Record<string, Record<string, string>> = {};
beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  for (const k of ['auditor', 'worker', 'admin', 'manager']) as[k] = await bearer(app, w.emails[k]);
  const token = await createApiToken(s.database.db, { agencyId: w.police, name: 'Police system', entryKinds: ['police_incident'], createdBy: w.actors.admin.id, id: randomUUID() });
  as.token = { authorization: `Bearer ${token}` };
  for (const n of [1, 2, 3]) await s.record.append(w.actors.worker, w.child, homeVisit({ narrative: `Visit ${n}.` }));
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const one = (who: string) => app.inject({ method: 'GET', url: `/api/children/${w.child}/integrity`, headers: as[who] });
const all = (who: string) => app.inject({ method: 'GET', url: '/api/integrity', headers: as[who] });

describe('integrity over the API', () => {
  it('an auditor proves a record intact, and the check is audited', async () => {
    const res = await one('auditor');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ child_id: w.child, ok: true, entries: 3 });
    expect(await lastAudit(s, w.child, w.actors.auditor.id)).toMatchObject({ action: 'verify_integrity', basis: 'auditor', detail: { ok: true } });
    expect((await all('auditor')).json()).toMatchObject({ ok: true, children: 1, entries: 3, failures: [] });
  });

  it('only auditors may verify (403 for everyone else)', async () => {
    for (const who of ['worker', 'manager', 'admin', 'token']) {
      expectProblem(await one(who), 403);
      expectProblem(await all(who), 403);
    }
    expectProblem(await app.inject({ method: 'GET', url: '/api/integrity' }), 401);
  });

  it('an unknown child is 404', async () => {
    expectProblem(await app.inject({ method: 'GET', url: `/api/children/${randomUUID()}/integrity`, headers: as.auditor }), 404);
  });

  it('names the first bad entry of a tampered record', async () => {
    const links = await chainOf(s.database.db, w.child);
    await asAttacker(s.database.db, (tx) => sql`UPDATE entries SET occurred_at = occurred_at - interval '3 days' WHERE id = ${links[1].id}`.execute(tx));
    const res = await one('auditor');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ child_id: w.child, ok: false, problem: 'modified', firstBadEntryId: links[1].id, firstBadSeq: 2 });
    const every = (await all('auditor')).json();
    expect(every).toMatchObject({ ok: false, children: 1, failures: [{ child_id: w.child, problem: 'modified', firstBadEntryId: links[1].id, firstBadSeq: 2 }] });
  });
});
