import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { buildApp, type Services } from '../../src/app.js';
import { testServices } from '../support/db.js';
import { homeVisit, world, type World } from '../support/fixtures.js';
import { bearer, count, lastAudit, practitioner } from './support.js';

let s: Services;
let w: World;
let app: FastifyInstance;
const as: Record<string, Record<string, string>> = {};
const NARRATIVE = 'Visited; the kitchen had no food and the heating was off.';

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  for (const k of ['worker', 'auditor']) as[k] = await bearer(app, w.emails[k]);
  as.gp = await bearer(app, (await practitioner(s, { key: 'gp', agency: w.health, role: 'gp' })).email);
  await s.record.append(w.actors.worker, w.child, homeVisit({ narrative: NARRATIVE }));
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

/**
 * Every API read of one child's data, from the OpenAPI document, so read routes added by other
 * capabilities are covered as they appear. Integrity (auditors only, no content) is checked apart.
 */
function childReads(): string[] {
  const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths)
    .filter(([path, ops]) => 'get' in ops && /^\/api\/children\/\{childId\}(\/[a-z-]+)?$/.test(path) && !path.endsWith('/integrity'))
    .map(([path]) => path.replace('{childId}', w.child));
}

const refuseAudits = sql`
  CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN RAISE EXCEPTION 'the audit trail is unavailable'; END $$;
  CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION test_refuse_audit();`;
const allowAudits = sql`DROP TRIGGER test_refuse_audit ON audit_events; DROP FUNCTION test_refuse_audit();`;

function expectFailedWithoutData(res: { statusCode: number; headers: Record<string, unknown>; body: string }, label: string) {
  expect(res.statusCode, `${label}: ${res.body}`).toBeGreaterThanOrEqual(500);
  expect(String(res.headers['content-type']), label).toContain('application/problem+json');
  expect(Object.keys(JSON.parse(res.body)).sort(), label).toEqual(['detail', 'instance', 'status', 'title', 'type']);
  expect(res.body, label).not.toContain('Alex');
  expect(res.body, label).not.toContain('kitchen');
}

describe('every read is audited in the same transaction', () => {
  it('finds the child read routes, including the chronology and the access log', () => {
    const paths = childReads().map((p) => p.replace(w.child, ':id'));
    expect(paths).toEqual(expect.arrayContaining(['/api/children/:id/entries', '/api/children/:id/access-log']));
  });

  it('each read writes one audit row naming the child, the action and the basis', async () => {
    for (const path of childReads()) {
      const before = await count(s, 'audit_events');
      const res = await app.inject({ method: 'GET', url: path, headers: as.worker });
      expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
      expect(await count(s, 'audit_events'), path).toBe(before + 1);
      const row = await lastAudit(s, w.child, w.actors.worker.id);
      expect(row, path).toMatchObject({ basis: 'allocated_worker', action: expect.stringMatching(/^read_/) });
    }
  });

  it('when the audit row cannot be written, every read fails with problem+json and returns no data', async () => {
    await refuseAudits.execute(s.database.db);
    try {
      for (const path of childReads()) expectFailedWithoutData(await app.inject({ method: 'GET', url: path, headers: as.worker }), path);
      expectFailedWithoutData(await app.inject({ method: 'GET', url: `/api/children/${w.child}/integrity`, headers: as.auditor }), 'integrity');

      // Writes fail whole too: no entry, no emergency grant, no notice.
      const [entries, grants, notices] = [await count(s, 'entries'), await count(s, 'emergency_access'), await count(s, 'notifications')];
      expectFailedWithoutData(await app.inject({ method: 'POST', url: `/api/children/${w.child}/entries`, headers: as.worker, payload: homeVisit() }), 'append');
      expectFailedWithoutData(await app.inject({ method: 'POST', url: `/api/children/${w.child}/emergency-access`, headers: as.gp, payload: { reason: 'Needed the history at the walk-in centre' } }), 'emergency');
      expect([await count(s, 'entries'), await count(s, 'emergency_access'), await count(s, 'notifications')]).toEqual([entries, grants, notices]);
    } finally {
      await allowAudits.execute(s.database.db);
    }
    expect((await app.inject({ method: 'GET', url: `/api/children/${w.child}/entries`, headers: as.worker })).statusCode).toBe(200);
  });
});
