import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src/app.js';
import { buildApp } from '../../src/app.js';
import { agencyCapability } from '../../src/agencies/routes.js';
import { createPractitioner } from '../../src/agencies/store.js';
import { allocate } from '../../src/people/store.js';
import { testServices } from '../support/db.js';
import { PASSWORD, newChild, world, type World } from '../support/fixtures.js';
import { bearer } from '../agencies/support.js';
import { Browser, textOf } from './session.js';

let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const db = () => s.database.db;
const page = (child: string) => `/children/${child}/working-with`;
const as = async (key: string) => {
  const b = new Browser(app);
  await b.signIn(w.emails[key]);
  return b;
};
/** A child allocated to the fixture's worker in team A, by its manager. */
const allocatedChild = async (given: string) => {
  const child = await newChild(s, { given_name: given });
  await allocate(db(), child, w.actors.worker.id, w.team, w.actors.manager.id);
  return child;
};
const allocationsOf = (child: string) => db().selectFrom('allocations').selectAll().where('child_id', '=', child).orderBy('valid_from').execute();
const membersOf = (child: string) => db().selectFrom('group_members').selectAll().where('child_id', '=', child).execute();
const audits = (child: string, action: string) => db().selectFrom('audit_events').select('id').where('child_id', '=', child).where('action', '=', action).execute();
/** Whether an <option> for `value` is marked selected (GOV.UK renders `value="…" selected`). */
const selected = (html: string, value: string) => new RegExp(`<option value="${value}"[^>]*\\bselected\\b`).test(html);

describe('the practitioner directory', () => {
  it('lists active practitioners for anyone signed in, with no email or account state; filters by agency, team and name', async () => {
    const gone = await createPractitioner(db(), { agency_id: w.la, team_id: w.team, email: 'gone@example.test', display_name: 'Test gone', role: 'social_worker', qualified_social_worker: true, password: PASSWORD });
    await db().updateTable('practitioners').set({ active: false }).where('id', '=', gone).execute();
    await db().updateTable('practitioners').set({ locked_until: new Date(Date.now() + 3600_000), failed_sign_ins: 5 }).where('id', '=', w.actors.teammate.id).execute();
    const police = await bearer(app, w.emails.police);
    const get = (q = '') => app.inject({ method: 'GET', url: `/api/directory/practitioners${q}`, headers: police });

    const all = await get();
    expect(all.statusCode, all.body).toBe(200);
    expect(all.body).not.toContain('@example.test');
    const people = all.json() as Record<string, unknown>[];
    expect(people.map((p) => p.id)).not.toContain(gone);
    for (const p of people) expect(Object.keys(p).sort()).toEqual(['agency_id', 'agency_name', 'id', 'name', 'role', 'team_id', 'team_name']);
    // A locked account is still someone to work with, but the lock is not shown.
    expect(people.find((p) => p.id === w.actors.teammate.id)).toEqual({
      id: w.actors.teammate.id, name: 'Test teammate', role: 'social_worker', agency_id: w.la, agency_name: 'Northmoor Council', team_id: w.team, team_name: 'Assessment Team A',
    });

    const names = async (q: string) => ((await get(q)).json() as { name: string }[]).map((p) => p.name);
    expect(await names(`?agency=${w.police}`)).toEqual(['Test police']);
    expect(await names(`?team=${w.team}`)).toEqual(['Test manager', 'Test teammate', 'Test worker']);
    expect(await names('?q=WORKER')).toEqual(['Test worker', 'Test otherworker']);
    expect(await names('?q=%25')).toEqual([]);
    expect((await get('?team=not-a-team')).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/directory/practitioners' })).statusCode).toBe(401);

    const token = await agencyCapability(db()).tokens.create(w.actors.admin, { agency_id: w.police, name: 'Police case system', entry_kinds: ['police_incident'] });
    const bySystem = await app.inject({ method: 'GET', url: '/api/directory/practitioners', headers: { authorization: `Bearer ${token.body.secret}` } });
    expect(bySystem.statusCode).toBe(403);
    await db().updateTable('practitioners').set({ locked_until: null, failed_sign_ins: 0 }).where('id', '=', w.actors.teammate.id).execute();
  });
});

describe('allocating through the page', () => {
  it('a team manager allocates to a worker in another team: the new worker reaches the child, the previous worker gets 404', async () => {
    const child = await allocatedChild('Robin');
    const manager = await as('manager');
    expect((await manager.get(`/children/${child}`)).body).toContain(`href="${page(child)}"`);
    const first = await manager.get(page(child));
    expect(first.statusCode).toBe(200);
    const text = textOf(first.body);
    expect(text).toContain('People working with Robin');
    expect(text).toMatch(/Worker Test worker Team Assessment Team A Since \d+ \w+ \d{4} Allocated by Test manager/);
    // Choosing a team (a GET form, no JavaScript) lists its active workers.
    const picked = await manager.get(`${page(child)}?team=${w.otherTeam}`);
    expect(selected(picked.body, w.otherTeam)).toBe(true);
    expect(picked.body).toContain(`<option value="${w.actors.otherworker.id}"`);
    expect(picked.body).not.toContain(`<option value="${w.actors.teammate.id}"`);
    expect(picked.body).not.toContain('@example.test');

    const idem = randomUUID();
    const res = await manager.post(`${page(child)}/allocation`, { _idem: idem, team_id: w.otherTeam, practitioner_id: w.actors.otherworker.id });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe(`${page(child)}?done=allocated`);
    // A double-click sends the same form again: one change.
    expect((await manager.post(`${page(child)}/allocation`, { _idem: idem, team_id: w.otherTeam, practitioner_id: w.actors.otherworker.id })).statusCode).toBe(303);
    const rows = await allocationsOf(child);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ practitioner_id: w.actors.otherworker.id, team_id: w.otherTeam, recorded_by: w.actors.manager.id, valid_to: null });
    expect(rows[0]).toMatchObject({ practitioner_id: w.actors.worker.id, ended_by: w.actors.manager.id });
    expect(await audits(child, 'allocation_changed')).toHaveLength(1);

    // The manager moved the child out of their own team, so they are told why they cannot see it now.
    const after = await manager.get(res.headers.location as string);
    expect(after.statusCode).toBe(200);
    expect(textOf(after.body)).toContain('Your change was saved');
    expect(after.body).not.toContain('Robin');

    const newWorker = await as('otherworker');
    const reached = await newWorker.get(`/children/${child}`);
    expect(reached.statusCode).toBe(200);
    expect(textOf(reached.body)).toContain('Your access: Allocated worker');
    expect((await (await as('worker')).get(`/children/${child}`)).statusCode).toBe(404);
  });

  it('ends an allocation from the page, leaving the child unallocated', async () => {
    const child = await allocatedChild('Sky');
    const head = await as('head');
    const shown = await head.get(page(child));
    expect(textOf(shown.body)).toContain('End this allocation');
    const res = await head.post(`${page(child)}/allocation/end`, {});
    expect(res.statusCode, res.body).toBe(303);
    expect((await allocationsOf(child))[0].valid_to).not.toBeNull();
    expect(await audits(child, 'allocation_ended')).toHaveLength(1);
    expect((await (await as('worker')).get(`/children/${child}`)).statusCode).toBe(404);
  });
});

describe('core group and strategy discussion through the page', () => {
  it('adding a police officer to the core group gives them access; removing them ends it', async () => {
    const child = await allocatedChild('Jamie');
    const police = await as('police');
    expect((await police.get(`/children/${child}`)).statusCode).toBe(404);

    const manager = await as('manager');
    const picked = await manager.get(`${page(child)}?agency=${w.police}`);
    expect(selected(picked.body, w.police)).toBe(true);
    expect(picked.body).toContain(`<option value="${w.actors.police.id}"`);
    expect(picked.body).not.toContain('@example.test');
    const added = await manager.post(`${page(child)}/members`, { _idem: randomUUID(), agency_id: w.police, practitioner_id: w.actors.police.id, group_kind: 'core_group' });
    expect(added.statusCode, added.body).toBe(303);
    const listed = textOf((await manager.get(added.headers.location as string)).body);
    expect(listed).toContain('Added to the group');
    expect(listed).toMatch(/Core group members Name and role Agency Since .*Test police Police officer Northmoor Police/);

    const reached = await police.get(`/children/${child}`);
    expect(reached.statusCode).toBe(200);
    expect(textOf(reached.body)).toContain('Your access: Core group member');
    // The officer sees who else works with the child, read-only.
    const theirs = await police.get(page(child));
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain(`action="${page(child)}/`);

    const [membership] = await membersOf(child);
    const removed = await manager.post(`${page(child)}/members/${membership.id}/end`, {});
    expect(removed.statusCode, removed.body).toBe(303);
    expect(removed.headers.location).toBe(`${page(child)}?done=removed`);
    expect((await police.get(`/children/${child}`)).statusCode).toBe(404);
    const history = textOf((await manager.get(page(child))).body);
    expect(history).toContain('No one is in Jamie’s core group.');
    expect(history).toContain('Earlier group members (1)');
    expect(await audits(child, 'group_member_added')).toHaveLength(1);
    expect(await audits(child, 'group_member_removed')).toHaveLength(1);
  });
});

describe('who may change them', () => {
  it('a social worker sees the lists with no forms, and a POST answers 403; someone who cannot reach the child gets 404', async () => {
    const child = await allocatedChild('Kit');
    const worker = await as('worker');
    const shown = await worker.get(`${page(child)}?team=${w.otherTeam}&agency=${w.police}`);
    expect(shown.statusCode).toBe(200);
    expect(textOf(shown.body)).toContain('Only a local authority team manager or head of service can change who works with a child.');
    expect(textOf(shown.body)).toContain('Test worker');
    expect(shown.body).not.toContain(`action="${page(child)}`);
    expect(shown.body).not.toContain('name="practitioner_id"');

    const tries = [
      [`${page(child)}/allocation`, { team_id: w.otherTeam, practitioner_id: w.actors.otherworker.id }],
      [`${page(child)}/allocation`, { team_id: '', practitioner_id: '' }],
      [`${page(child)}/allocation/end`, {}],
      [`${page(child)}/members`, { agency_id: w.police, practitioner_id: w.actors.police.id, group_kind: 'core_group' }],
    ] as const;
    for (const [url, form] of tries) {
      const res = await worker.post(url, { ...form });
      expect(res.statusCode, url).toBe(403);
      expect(textOf(res.body)).toContain('You cannot do that');
    }
    const police = await as('police');
    expect((await police.get(page(child))).statusCode).toBe(404);
    const refused = await police.post(`${page(child)}/members`, { agency_id: w.police, practitioner_id: w.actors.police.id, group_kind: 'core_group' });
    expect(refused.statusCode).toBe(404);
    expect(refused.body).not.toContain('Kit');
    expect(await allocationsOf(child)).toHaveLength(1);
    expect(await membersOf(child)).toHaveLength(0);
  });

  it('a manager on emergency access alone sees no forms and cannot change anything', async () => {
    const child = await allocatedChild('Eden');
    const id = await createPractitioner(db(), { agency_id: w.la, email: 'edt@example.test', display_name: 'Test edt', role: 'team_manager', qualified_social_worker: true, password: PASSWORD });
    await s.door.grantEmergency({ type: 'practitioner', id, name: 'Test edt', role: 'team_manager', agencyId: w.la, teamId: null, qualifiedSocialWorker: true }, child, 'Out of hours call from police about the child', 1);
    const edt = new Browser(app);
    await edt.signIn('edt@example.test');
    const shown = await edt.get(page(child));
    expect(shown.statusCode).toBe(200);
    expect(textOf(shown.body)).toContain('Emergency access does not allow changing who works with a child.');
    expect(shown.body).not.toContain(`action="${page(child)}`);
    expect((await edt.post(`${page(child)}/allocation`, { team_id: w.otherTeam, practitioner_id: w.actors.otherworker.id })).statusCode).toBe(403);
    expect(await allocationsOf(child)).toHaveLength(1);
  });

  it('refuses a form without its CSRF token, and writes nothing', async () => {
    const child = await allocatedChild('Ash');
    const manager = await as('manager');
    await manager.get(page(child));
    const missing = await manager.post(`${page(child)}/allocation`, { team_id: w.otherTeam, practitioner_id: w.actors.otherworker.id }, { csrf: null });
    expect(missing.statusCode).toBe(403);
    expect(textOf(missing.body)).toContain('This form has expired');
    const wrong = await manager.post(`${page(child)}/members`, { agency_id: w.police, practitioner_id: w.actors.police.id, group_kind: 'core_group' }, { csrf: 'x'.repeat(43) });
    expect(wrong.statusCode).toBe(403);
    expect(await allocationsOf(child)).toHaveLength(1);
    expect(await membersOf(child)).toHaveLength(0);
  });
});

describe('bad input', () => {
  it('shows a GOV.UK error summary, keeps the choices made, and writes nothing', async () => {
    const child = await allocatedChild('Rowan');
    const manager = await as('manager');
    await manager.get(page(child));

    const noWorker = await manager.post(`${page(child)}/allocation`, { team_id: w.otherTeam, practitioner_id: '' });
    expect(noWorker.statusCode).toBe(422);
    expect(textOf(noWorker.body)).toContain('There is a problem');
    expect(noWorker.body).toContain('href="#worker"');
    expect(textOf(noWorker.body)).toContain('Choose the worker to allocate');
    expect(selected(noWorker.body, w.otherTeam)).toBe(true);
    expect(noWorker.body).toContain(`<option value="${w.actors.otherworker.id}"`);

    const noTeam = await manager.post(`${page(child)}/allocation`, { team_id: '', practitioner_id: w.actors.otherworker.id });
    expect(noTeam.statusCode).toBe(422);
    expect(noTeam.body).toContain('href="#team"');

    // Checked by the service: someone outside the local authority, and the allocation it already has.
    const outsider = await manager.post(`${page(child)}/allocation`, { team_id: w.team, practitioner_id: w.actors.police.id });
    expect(outsider.statusCode).toBe(422);
    expect(textOf(outsider.body)).toContain('Choose an active worker in your own local authority');
    const same = await manager.post(`${page(child)}/allocation`, { team_id: w.team, practitioner_id: w.actors.worker.id });
    expect(same.statusCode).toBe(422);
    expect(textOf(same.body)).toContain('already allocated to this worker and team');
    expect(selected(same.body, w.actors.worker.id)).toBe(true);

    const noGroup = await manager.post(`${page(child)}/members`, { agency_id: w.police, practitioner_id: w.actors.police.id, group_kind: '' });
    expect(noGroup.statusCode).toBe(422);
    expect(noGroup.body).toContain('href="#group"');
    expect(textOf(noGroup.body)).toContain('Choose the core group or the strategy discussion');
    expect(selected(noGroup.body, w.police)).toBe(true);
    expect(selected(noGroup.body, w.actors.police.id)).toBe(true);

    const noMember = await manager.post(`${page(child)}/members`, { agency_id: w.health, practitioner_id: '', group_kind: 'strategy_discussion' });
    expect(noMember.statusCode).toBe(422);
    expect(noMember.body).toContain('href="#member"');
    expect(selected(noMember.body, w.health)).toBe(true);
    expect(noMember.body).toMatch(/value="strategy_discussion"[^>]*checked/);

    expect(await allocationsOf(child)).toHaveLength(1);
    expect((await allocationsOf(child))[0].valid_to).toBeNull();
    expect(await membersOf(child)).toHaveLength(0);
    expect(await audits(child, 'allocation_changed')).toHaveLength(0);
    expect(await audits(child, 'group_member_added')).toHaveLength(0);

    // Someone already in the group: said on the practitioner field, nothing added twice.
    const form = { agency_id: w.health, practitioner_id: w.actors.hv.id, group_kind: 'core_group' };
    expect((await manager.post(`${page(child)}/members`, { ...form, _idem: randomUUID() })).statusCode).toBe(303);
    const twice = await manager.post(`${page(child)}/members`, { ...form, _idem: randomUUID() });
    expect(twice.statusCode).toBe(422);
    expect(twice.body).toContain('href="#member"');
    expect(textOf(twice.body)).toContain('already a member of that group');
    expect(await membersOf(child)).toHaveLength(1);
  });
});

describe('the work list of a manager', () => {
  it('also lists the children allocated to the people they manage, audited', async () => {
    const report = await createPractitioner(db(), { agency_id: w.la, team_id: w.otherTeam, manager_id: w.actors.manager.id, email: 'report@example.test', display_name: 'Test report', role: 'social_worker', qualified_social_worker: true, password: PASSWORD });
    const child = await newChild(s, { given_name: 'Morgan', family_name: 'Managed' });
    await allocate(db(), child, report, w.otherTeam, w.actors.manager.id);

    const manager = textOf((await (await as('manager')).get('/')).body);
    expect(manager).toMatch(/Children allocated to people you manage Child Allocated worker Allocated since Morgan Managed Test report/);
    // Their own team's children stay under their team, not repeated.
    expect(manager.split('Children allocated to people you manage')[1]).not.toContain('Test worker');
    // A head of service reaches further down the line.
    const head = textOf((await (await as('head')).get('/')).body);
    expect(head).toContain('Morgan Managed');
    expect(head).toContain('Alex Testchild');
    const audit = await db().selectFrom('audit_events').select('detail').where('action', '=', 'list_caseload').where('actor_practitioner_id', '=', w.actors.head.id).execute();
    expect(audit.some((a) => [child, w.child].every((c) => (a.detail as { children: string[] }).children.includes(c)))).toBe(true);
    // Opening one still passes the door, on the manager basis.
    expect(textOf((await (await as('head')).get(`/children/${child}`)).body)).toContain('Your access: Manager of the allocated worker');

    const worker = textOf((await (await as('worker')).get('/')).body);
    expect(worker).not.toContain('people you manage');
  });
});
