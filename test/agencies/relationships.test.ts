import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, type Services } from '../../src/app.js';
import { createPractitioner } from '../../src/agencies/store.js';
import { allocate } from '../../src/people/store.js';
import { testServices } from '../support/db.js';
import { PASSWORD, newChild, world, type World } from '../support/fixtures.js';
import { bearer, isProblem } from './support.js';

let s: Services;
let w: World;
let app: FastifyInstance;
const as: Record<string, Record<string, string>> = {};
beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  for (const k of ['manager', 'worker', 'otherworker', 'police', 'admin', 'head']) as[k] = await bearer(app, w.emails[k]);
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

/** How (and whether) `who` reaches the child now: the basis, or the status when refused. */
const reach = async (who: string, child: string) => {
  const res = await app.inject({ method: 'GET', url: `/api/children/${child}/entries`, headers: as[who] });
  return res.statusCode === 200 ? res.json().basis : res.statusCode;
};
const audits = (child: string, action: string) =>
  s.database.db.selectFrom('audit_events').selectAll().where('child_id', '=', child).where('action', '=', action).execute();

describe('allocating a child', () => {
  it('only a local authority manager who can reach the child may allocate', async () => {
    const body = { practitioner_id: w.actors.otherworker.id };
    isProblem(await app.inject({ method: 'POST', url: `/api/children/${w.child}/allocation`, headers: as.worker, payload: body }), 403);
    // No relationship: the child is not there for them (an administrator included).
    isProblem(await app.inject({ method: 'POST', url: `/api/children/${w.child}/allocation`, headers: as.police, payload: body }), 404);
    isProblem(await app.inject({ method: 'POST', url: `/api/children/${w.child}/allocation`, headers: as.admin, payload: body }), 404);
    expect(await audits(w.child, 'allocation_changed')).toHaveLength(0);
  });

  it('refuses a worker or team outside the manager’s local authority (422)', async () => {
    const police = await app.inject({ method: 'POST', url: `/api/children/${w.child}/allocation`, headers: as.manager, payload: { practitioner_id: w.actors.police.id } });
    isProblem(police, 422);
    expect(police.json().errors[0].path).toBe('practitioner_id');
    const [policeTeam] = await s.database.db.insertInto('teams').values({ id: crypto.randomUUID(), agency_id: w.police, name: 'CID' }).returning('id').execute();
    isProblem(await app.inject({ method: 'POST', url: `/api/children/${w.child}/allocation`, headers: as.manager, payload: { practitioner_id: w.actors.otherworker.id, team_id: policeTeam.id } }), 422);
  });

  it('grants access to the new worker and ends the old one’s allocated-worker access', async () => {
    expect(await reach('worker', w.child)).toBe('allocated_worker');
    expect(await reach('otherworker', w.child)).toBe(404);

    const headers = { ...as.manager, 'idempotency-key': 'allocate-0001' };
    const res = await app.inject({ method: 'POST', url: `/api/children/${w.child}/allocation`, headers, payload: { practitioner_id: w.actors.otherworker.id } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ practitioner_id: w.actors.otherworker.id, team_id: w.otherTeam, recorded_by_name: 'Test manager', valid_to: null });
    const replay = await app.inject({ method: 'POST', url: `/api/children/${w.child}/allocation`, headers, payload: { practitioner_id: w.actors.otherworker.id } });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().id).toBe(res.json().id);

    expect(await reach('otherworker', w.child)).toBe('allocated_worker');
    expect(await reach('worker', w.child)).toBe(404);

    const shown = await app.inject({ method: 'GET', url: `/api/children/${w.child}/allocation`, headers: as.otherworker });
    expect(shown.json().current).toMatchObject({ id: res.json().id, practitioner_name: 'Test otherworker', team_id: w.otherTeam });
    expect(shown.json().history).toHaveLength(2);
    expect(shown.json().history[1]).toMatchObject({ practitioner_id: w.actors.worker.id, ended_by_name: 'Test manager' });
    expect(shown.json().history[1].valid_to).toBe(res.json().valid_from);

    // One audit row for the change (the manager is in the allocated team); the replay changed nothing.
    const rows = await audits(w.child, 'allocation_changed');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_practitioner_id: w.actors.manager.id, basis: 'allocated_team' });
    expect(rows[0].detail).toMatchObject({ allocation_id: res.json().id, ended: [shown.json().history[1].id] });
    // The manager's own access ended with the move to another team, yet the retry was answered.
    expect(await reach('manager', w.child)).toBe(404);
    // Recorded as a relationship change, not as an entry in the chronology.
    expect(await s.database.db.selectFrom('entries').select('id').where('child_id', '=', w.child).execute()).toHaveLength(0);
  });

  it('ends an allocation, leaving the child unallocated', async () => {
    const child = await newChild(s, { given_name: 'Robin' });
    await allocate(s.database.db, child, w.actors.worker.id, w.team, w.actors.manager.id);
    isProblem(await app.inject({ method: 'POST', url: `/api/children/${child}/allocation`, headers: as.manager, payload: { practitioner_id: w.actors.worker.id } }), 409);
    const ended = await app.inject({ method: 'DELETE', url: `/api/children/${child}/allocation`, headers: as.head });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json()).toMatchObject({ practitioner_id: w.actors.worker.id, ended_by_name: 'Test head' });
    expect(await reach('worker', child)).toBe(404);
    expect(await reach('head', child)).toBe(404);
  });

  it('emergency access alone does not let a manager change allocations', async () => {
    const id = await createPractitioner(s.database.db, { agency_id: w.la, email: 'edt.manager@example.test', display_name: 'EDT Manager', role: 'team_manager', qualified_social_worker: true, password: PASSWORD });
    as.edt = await bearer(app, 'edt.manager@example.test');
    const me = { type: 'practitioner' as const, id, name: 'EDT Manager', role: 'team_manager', agencyId: w.la, teamId: null, qualifiedSocialWorker: true };
    await s.door.grantEmergency(me, w.child, 'Out of hours call from police about the child', 2);
    expect(await reach('edt', w.child)).toBe('emergency');
    const res = await app.inject({ method: 'POST', url: `/api/children/${w.child}/allocation`, headers: as.edt, payload: { practitioner_id: id } });
    isProblem(res, 403);
    expect(res.json().detail).toMatch(/Emergency access/);
  });
});

describe('core group and strategy discussion members', () => {
  it('adding a member grants access; removing them ends it; all of it visible and audited', async () => {
    const child = await newChild(s, { given_name: 'Jamie' });
    await allocate(s.database.db, child, w.actors.worker.id, w.team, w.actors.manager.id);
    expect(await reach('police', child)).toBe(404);

    const url = `/api/children/${child}/group-members`;
    const added = await app.inject({ method: 'POST', url, headers: { ...as.manager, 'idempotency-key': 'group-0001' }, payload: { practitioner_id: w.actors.police.id, group_kind: 'strategy_discussion' } });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ practitioner_name: 'Test police', agency_name: 'Northmoor Police', group_kind: 'strategy_discussion', recorded_by_name: 'Test manager' });
    expect(await reach('police', child)).toBe('strategy_discussion');
    isProblem(await app.inject({ method: 'POST', url, headers: as.manager, payload: { practitioner_id: w.actors.police.id, group_kind: 'strategy_discussion' } }), 409);

    const listed = await app.inject({ method: 'GET', url, headers: as.police });
    expect(listed.json().current.map((m: { practitioner_id: string }) => m.practitioner_id)).toEqual([w.actors.police.id]);

    isProblem(await app.inject({ method: 'DELETE', url: `${url}/${added.json().id}`, headers: as.worker }), 403);
    const removed = await app.inject({ method: 'DELETE', url: `${url}/${added.json().id}`, headers: as.manager });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toMatchObject({ ended_by_name: 'Test manager' });
    expect(await reach('police', child)).toBe(404);
    isProblem(await app.inject({ method: 'DELETE', url: `${url}/${added.json().id}`, headers: as.manager }), 409);

    const after = await app.inject({ method: 'GET', url, headers: as.worker });
    expect(after.json()).toMatchObject({ current: [], past: [{ id: added.json().id }] });
    expect(await audits(child, 'group_member_added')).toHaveLength(1);
    expect(await audits(child, 'group_member_removed')).toHaveLength(1);
    // A membership is ended only through its own child.
    const elsewhere = await newChild(s, { given_name: 'Kit' });
    await allocate(s.database.db, elsewhere, w.actors.worker.id, w.team, w.actors.manager.id);
    isProblem(await app.inject({ method: 'DELETE', url: `/api/children/${elsewhere}/group-members/${added.json().id}`, headers: as.manager }), 404);
  });
});
