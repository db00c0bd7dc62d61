import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, type Services } from '../../src/app.js';
import { testServices } from '../support/db.js';
import { world, type World } from '../support/fixtures.js';
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

const auditCount = async (action: string) =>
  (await s.database.db.selectFrom('audit_events').select('id').where('action', '=', action).execute()).length;

describe('administering agencies, teams and practitioners', () => {
  it('an administrator creates an agency, a team and a practitioner who can then sign in', async () => {
    const agency = await app.inject({
      method: 'POST', url: '/api/agencies', headers: { ...admin, 'idempotency-key': 'agency-key-1' },
      payload: { kind: 'local_authority', name: 'Southvale Council', code: 'SVC', office_hours_phone: '01632 960 100' },
    });
    expect(agency.statusCode, agency.body).toBe(201);
    const agencyId = agency.json().id;
    const replay = await app.inject({
      method: 'POST', url: '/api/agencies', headers: { ...admin, 'idempotency-key': 'agency-key-1' },
      payload: { kind: 'local_authority', name: 'Southvale Council', code: 'SVC', office_hours_phone: '01632 960 100' },
    });
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().id).toBe(agencyId);

    const team = await app.inject({ method: 'POST', url: `/api/agencies/${agencyId}/teams`, headers: admin, payload: { name: 'Duty Team' } });
    expect(team.statusCode, team.body).toBe(201);
    const teamId = team.json().id;

    const shown = await app.inject({ method: 'GET', url: `/api/agencies/${agencyId}`, headers: admin });
    expect(shown.json()).toMatchObject({ name: 'Southvale Council', code: 'SVC', teams: [{ id: teamId, name: 'Duty Team' }] });

    const created = await app.inject({
      method: 'POST', url: '/api/practitioners', headers: { ...admin, 'idempotency-key': 'practitioner-key-1' },
      payload: { agency_id: agencyId, team_id: teamId, email: 'New.Worker@example.test', display_name: 'Nadia Worker', role: 'social_worker', qualified_social_worker: true, password: 'a long initial password' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ email: 'new.worker@example.test', team_name: 'Duty Team', agency_name: 'Southvale Council', active: true, locked: false });
    expect(created.body).not.toContain('password');

    const signIn = await app.inject({ method: 'POST', url: '/api/auth/token', payload: { email: 'new.worker@example.test', password: 'a long initial password' } });
    expect(signIn.statusCode).toBe(201);
    expect(signIn.json().practitioner).toMatchObject({ id: created.json().id, agencyId, teamId, qualifiedSocialWorker: true });
    expect(await auditCount('practitioner_created')).toBe(1);
  });

  it('updates an agency’s contact numbers and refuses a malformed one', async () => {
    const ok = await app.inject({ method: 'PATCH', url: `/api/agencies/${w.la}`, headers: admin, payload: { out_of_hours_phone: '01000 999 999', office_hours_phone: null } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ out_of_hours_phone: '01000 999 999', office_hours_phone: null });
    const bad = await app.inject({ method: 'PATCH', url: `/api/agencies/${w.la}`, headers: admin, payload: { out_of_hours_phone: 'call us' } });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses everyone but an administrator with 403 problem+json, and nothing is written', async () => {
    const manager = await bearer(app, w.emails.manager);
    const before = (await s.database.db.selectFrom('agencies').select('id').execute()).length;
    const calls = [
      { method: 'POST' as const, url: '/api/agencies', payload: { kind: 'school', name: 'Oak School', code: 'OAK' } },
      { method: 'POST' as const, url: `/api/agencies/${w.la}/teams`, payload: { name: 'Shadow Team' } },
      { method: 'GET' as const, url: '/api/practitioners' },
      { method: 'POST' as const, url: `/api/practitioners/${w.actors.worker.id}/deactivate` },
      { method: 'PATCH' as const, url: `/api/practitioners/${w.actors.worker.id}`, payload: { role: 'administrator' } },
      { method: 'GET' as const, url: '/api/api-tokens' },
    ];
    for (const c of calls) isProblem(await app.inject({ ...c, headers: manager }), 403);
    expect((await s.database.db.selectFrom('agencies').select('id').execute()).length).toBe(before);
    const me = await s.database.db.selectFrom('practitioners').select(['role', 'active']).where('id', '=', w.actors.worker.id).executeTakeFirstOrThrow();
    expect(me).toEqual({ role: 'social_worker', active: true });
    // Any signed-in practitioner may read the agencies; nobody unsigned may.
    expect((await app.inject({ method: 'GET', url: '/api/agencies', headers: manager })).statusCode).toBe(200);
    isProblem(await app.inject({ method: 'GET', url: '/api/agencies' }), 401);
  });

  it('rejects a team from another agency, a manager from another agency and a QSW flag outside a local authority (422)', async () => {
    const policeTeam = await app.inject({ method: 'POST', url: `/api/agencies/${w.police}/teams`, headers: admin, payload: { name: 'Public Protection Unit' } });
    const base = { agency_id: w.la, display_name: 'Casey Newstarter', role: 'social_worker', password: 'another long password' };
    const cases = [
      { payload: { ...base, email: 'c1@example.test', team_id: policeTeam.json().id }, path: 'team_id' },
      { payload: { ...base, email: 'c2@example.test', manager_id: w.actors.police.id }, path: 'manager_id' },
      { payload: { ...base, email: 'c3@example.test', agency_id: w.police, role: 'police_officer', qualified_social_worker: true }, path: 'qualified_social_worker' },
      { payload: { ...base, email: 'c4@example.test', agency_id: w.school }, path: 'role' },
    ];
    for (const c of cases) {
      const res = await app.inject({ method: 'POST', url: '/api/practitioners', headers: admin, payload: c.payload });
      isProblem(res, 422);
      expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(c.path);
    }
    const made = await s.database.db.selectFrom('practitioners').select('id').where('email', 'like', 'c_@example.test').execute();
    expect(made).toHaveLength(0);
    const move = await app.inject({ method: 'PATCH', url: `/api/practitioners/${w.actors.worker.id}`, headers: admin, payload: { team_id: policeTeam.json().id } });
    isProblem(move, 422);
    const loop = await app.inject({ method: 'PATCH', url: `/api/practitioners/${w.actors.head.id}`, headers: admin, payload: { manager_id: w.actors.worker.id } });
    isProblem(loop, 422);
    expect(loop.json().errors[0]).toMatchObject({ path: 'manager_id' });
  });

  it('refuses a second account with the same email (409) whatever its case', async () => {
    const res = await app.inject({
      method: 'POST', url: '/api/practitioners', headers: admin,
      payload: { agency_id: w.health, email: w.emails.hv.toUpperCase(), display_name: 'Duplicate', role: 'gp', password: 'yet another long password' },
    });
    isProblem(res, 409);
    expect(res.json().errors[0].path).toBe('email');
  });

  it('changes role, team and manager, deactivates (ending sessions) and reactivates', async () => {
    const id = w.actors.teammate.id;
    const changed = await app.inject({ method: 'PATCH', url: `/api/practitioners/${id}`, headers: admin, payload: { role: 'team_manager', team_id: w.otherTeam, manager_id: w.actors.head.id } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ role: 'team_manager', team_id: w.otherTeam, manager_id: w.actors.head.id, manager_name: 'Test head' });

    const theirs = await bearer(app, w.emails.teammate);
    expect((await app.inject({ method: 'GET', url: '/api/me', headers: theirs })).statusCode).toBe(200);
    const off = await app.inject({ method: 'POST', url: `/api/practitioners/${id}/deactivate`, headers: admin });
    expect(off.json().active).toBe(false);
    isProblem(await app.inject({ method: 'GET', url: '/api/me', headers: theirs }), 401);
    isProblem(await app.inject({ method: 'POST', url: '/api/auth/token', payload: { email: w.emails.teammate, password: 'correct horse battery staple' } }), 401);
    const on = await app.inject({ method: 'POST', url: `/api/practitioners/${id}/reactivate`, headers: admin });
    expect(on.json().active).toBe(true);
    await bearer(app, w.emails.teammate);
  });

  it('an administrator cannot deactivate themselves or drop their own role', async () => {
    isProblem(await app.inject({ method: 'POST', url: `/api/practitioners/${w.actors.admin.id}/deactivate`, headers: admin }), 422);
    isProblem(await app.inject({ method: 'PATCH', url: `/api/practitioners/${w.actors.admin.id}`, headers: admin, payload: { role: 'auditor' } }), 422);
  });

  it('unlocks an account locked after failed sign-ins, and resets a password', async () => {
    for (let i = 0; i < 5; i++) {
      await app.inject({ method: 'POST', url: '/api/auth/token', payload: { email: w.emails.dsl, password: 'wrong password' } });
    }
    isProblem(await app.inject({ method: 'POST', url: '/api/auth/token', payload: { email: w.emails.dsl, password: 'correct horse battery staple' } }), 423);
    const listed = await app.inject({ method: 'GET', url: `/api/practitioners?agency=${w.school}`, headers: admin });
    expect(listed.json()).toEqual([expect.objectContaining({ id: w.actors.dsl.id, locked: true })]);
    const unlocked = await app.inject({ method: 'POST', url: `/api/practitioners/${w.actors.dsl.id}/unlock`, headers: admin });
    expect(unlocked.json()).toMatchObject({ locked: false, locked_until: null });
    await bearer(app, w.emails.dsl);

    const reset = await app.inject({ method: 'POST', url: `/api/practitioners/${w.actors.dsl.id}/password`, headers: admin, payload: { password: 'a brand new password' } });
    expect(reset.statusCode).toBe(200);
    isProblem(await app.inject({ method: 'POST', url: '/api/auth/token', payload: { email: w.emails.dsl, password: 'correct horse battery staple' } }), 401);
    await bearer(app, w.emails.dsl, 'a brand new password');
    expect(await auditCount('practitioner_password_reset')).toBe(1);
  });
});
