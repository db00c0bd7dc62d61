import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp, type Services } from '../../src/app.js';
import { hashToken } from '../../src/auth/secrets.js';
import { testServices } from '../support/db.js';
import { homeVisit, world, type World } from '../support/fixtures.js';
import { bearer, isProblem } from './support.js';

let s: Services;
let w: World;
let app: FastifyInstance;
let admin: Record<string, string>;
beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  admin = await bearer(app, w.emails.admin);
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const incident = {
  kind: 'police_incident',
  occurred_at: '2026-01-12T22:15:00Z',
  narrative: 'Officers attended a report of shouting at the address. Child present and asleep.',
  data: { incident_type: 'domestic_abuse', investigation_status: 'open' },
};
const createToken = (key?: string) =>
  app.inject({
    method: 'POST', url: '/api/api-tokens', headers: { ...admin, ...(key ? { 'idempotency-key': key } : {}) },
    payload: { agency_id: w.police, name: 'Police case system', entry_kinds: ['police_incident'] },
  });

describe('API tokens for agency systems', () => {
  it('shows the secret once and stores only its hash', async () => {
    const res = await createToken('token-key-0001');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const { id, secret } = res.json();
    expect(secret).toMatch(/^slt_[A-Za-z0-9_-]{43}$/);

    const row = await s.database.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(secret));
    // Nowhere in the database holds the secret itself (the idempotency record included).
    const dump = await sql<{ t: string }>`SELECT concat_ws('|', (SELECT string_agg(k::text, '|') FROM api_tokens k), (SELECT string_agg(i::text, '|') FROM idempotency_keys i), (SELECT string_agg(a::text, '|') FROM audit_events a)) AS t`.execute(s.database.db);
    expect(dump.rows[0].t).toContain(id);
    expect(dump.rows[0].t).not.toContain(secret);

    const replay = await createToken('token-key-0001');
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().id).toBe(id);
    expect(replay.json().secret).toBeUndefined();

    for (const url of ['/api/api-tokens', `/api/api-tokens?agency=${w.police}`, `/api/api-tokens/${id}`]) {
      const listed = await app.inject({ method: 'GET', url, headers: admin });
      expect(listed.statusCode).toBe(200);
      expect(listed.body).toContain('Police case system');
      expect(listed.body).not.toContain(secret);
      expect(listed.body).not.toContain(row.token_hash);
    }
    expect((await s.database.db.selectFrom('api_tokens').select('id').execute())).toHaveLength(1);
  });

  it('a token writes only its own entry kinds (403 otherwise)', async () => {
    const { id, secret } = (await createToken()).json();
    const auth = { authorization: `Bearer ${secret}` };
    const ok = await app.inject({ method: 'POST', url: `/api/children/${w.child}/entries`, headers: auth, payload: incident });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ kind: 'police_incident', author: { agency_id: w.police, role: 'agency_system', via_token_id: id } });
    isProblem(await app.inject({ method: 'POST', url: `/api/children/${w.child}/entries`, headers: auth, payload: homeVisit() }), 403);
    const kinds = await s.database.db.selectFrom('entries').select('kind').where('child_id', '=', w.child).execute();
    expect(kinds.map((k) => k.kind)).toEqual(['police_incident']);
    // An agency system cannot manage accounts or relationships either.
    isProblem(await app.inject({ method: 'GET', url: '/api/practitioners', headers: auth }), 403);
    isProblem(await app.inject({ method: 'GET', url: `/api/children/${w.child}/allocation`, headers: auth }), 403);
  });

  it('a revoked token gets 401 at once', async () => {
    const { id, secret } = (await createToken()).json();
    const auth = { authorization: `Bearer ${secret}` };
    expect((await app.inject({ method: 'GET', url: '/api/me', headers: auth })).statusCode).toBe(200);
    const revoked = await app.inject({ method: 'POST', url: `/api/api-tokens/${id}/revoke`, headers: admin });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ id, revoked_by_name: 'Test admin' });
    expect(revoked.json().revoked_at).toBeTruthy();
    isProblem(await app.inject({ method: 'GET', url: '/api/me', headers: auth }), 401);
    isProblem(await app.inject({ method: 'POST', url: `/api/children/${w.child}/entries`, headers: auth, payload: incident }), 401);
    const again = await app.inject({ method: 'POST', url: `/api/api-tokens/${id}/revoke`, headers: admin });
    expect(again.json().revoked_at).toBe(revoked.json().revoked_at);
  });

  it('only an administrator creates or revokes tokens, and only for real agencies and entry kinds', async () => {
    const police = await bearer(app, w.emails.police);
    isProblem(await app.inject({ method: 'POST', url: '/api/api-tokens', headers: police, payload: { agency_id: w.police, name: 'Mine', entry_kinds: ['case_note'] } }), 403);
    const [some] = await s.database.db.selectFrom('api_tokens').select('id').execute();
    isProblem(await app.inject({ method: 'POST', url: `/api/api-tokens/${some.id}/revoke`, headers: police }), 403);
    isProblem(await app.inject({ method: 'POST', url: '/api/api-tokens', headers: admin, payload: { agency_id: w.police, name: 'Bad', entry_kinds: ['gossip'] } }), 400);
    const noAgency = await app.inject({ method: 'POST', url: '/api/api-tokens', headers: admin, payload: { agency_id: '00000000-0000-4000-8000-000000000000', name: 'Nowhere', entry_kinds: ['case_note'] } });
    isProblem(noAgency, 422);
  });
});
