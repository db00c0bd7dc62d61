import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Services } from '../../src/app.js';
import { addGroupMember, allocate } from '../../src/people/store.js';
import { testServices } from '../support/db.js';
import { homeVisit, newChild, world, type World } from '../support/fixtures.js';
import { bearer, expectProblem } from '../access/support.js';
import { Browser } from '../web/session.js';

let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
let h: Record<string, Record<string, string>>;
let survivor: string;
let merged: string;

const keys = ['worker', 'otherworker', 'manager', 'head', 'teammate', 'police', 'dsl', 'auditor'] as const;
const address = (line1: string, postcode: string) => ({ line1, postcode, valid_from: '2021-01-01' });

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  h = {};
  for (const k of keys) h[k] = await bearer(app, w.emails[k]);
  // One child recorded twice: once by the assessment team, once (as Kasey, from a school's contact) by another team.
  survivor = await newChild(s, { given_name: 'Casey', family_name: 'Hartley', date_of_birth: '2019-04-04', address: address('12 Brook Road', 'NM2 3CD'), local_ids: [{ agency_id: w.police, value: 'NMP-77' }] });
  merged = await newChild(s, { given_name: 'Kasey', family_name: 'Hartley', date_of_birth: '2019-04-04', nhs_number: '9990010005', address: address('Flat 2, 9 Canal Street', 'NM4 5EF'), local_ids: [{ agency_id: w.school, value: 'ESP-B' }] });
  await allocate(s.database.db, survivor, w.actors.worker.id, w.team, w.actors.manager.id);
  await allocate(s.database.db, merged, w.actors.otherworker.id, w.otherTeam, w.actors.manager.id);
  await addGroupMember(s.database.db, merged, w.actors.manager.id, 'core_group', w.actors.manager.id);
  const post = async (url: string, headers: Record<string, string>, payload: object) => {
    const res = await app.inject({ method: 'POST', url, headers, payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  await post(`/api/children/${survivor}/entries`, h.worker, homeVisit({ occurred_at: '2026-01-10T10:00:00Z' }));
  await post(`/api/children/${merged}/entries`, h.otherworker, homeVisit({ occurred_at: '2026-01-10T10:00:00Z', narrative: 'Seen at home with her aunt.' }));
  await post(`/api/children/${merged}/entries`, h.otherworker, { kind: 'case_note', occurred_at: '2026-01-12T09:00:00Z', narrative: 'Spoke to the school.' });
  await post(`/api/children/${merged}/names`, h.otherworker, { given_name: 'Kacey', family_name: 'Hartley', name_type: 'known_as' });
  await post(`/api/children/${merged}/people`, h.otherworker, { person: { given_name: 'Dana', family_name: 'Hartley' }, relationship: { kind: 'relative', lives_with_child: true, valid_from: '2024-01-01' } });
  await post('/api/person-index/records', h.dsl, { local_id: 'ESP-B', given_name: 'Kasey', family_name: 'Hartley', date_of_birth: '2019-04-04' });
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const get = (url: string, headers: Record<string, string>) => app.inject({ method: 'GET', url, headers });

/** Everything about a child that a merge must not change: via the API, as one who may see it. */
async function snapshot(id: string, as: Record<string, string>) {
  const summary = (await get(`/api/children/${id}`, as)).json();
  const entries = (await get(`/api/children/${id}/entries`, as)).json().entries;
  const index = (await get(`/api/children/${id}/person-index`, as)).json();
  const seeing: Record<string, number> = {};
  for (const k of keys) seeing[k] = (await get(`/api/children/${id}`, h[k])).statusCode;
  // Process state, decisions and alerts are read from each record's own chain (test/person-index/merged-reads.test.ts).
  const process = (await get(`/api/children/${id}/process`, as)).json();
  const decisions = (await get(`/api/children/${id}/decisions`, as)).json();
  const alerts = (await get(`/api/children/${id}/alerts`, as)).json();
  return {
    names: summary.child.names, identifiers: summary.child.identifiers, addresses: summary.child.addresses,
    relationships: [...summary.household.current, ...summary.household.previous, ...summary.relationships],
    entries, linked: index.linked, seeing, process, decisions, alerts,
  };
}

describe('merge and unmerge', () => {
  it('merges as an event, shows both records on the survivor, and unmerging restores everything', async () => {
    const before = { survivor: await snapshot(survivor, h.worker), merged: await snapshot(merged, h.otherworker) };
    // The two entries, and the R6 alert raised when the unchecked aunt was recorded as living with her.
    expect(before.merged.entries.map((e: { kind: string }) => e.kind)).toEqual(['alert', 'case_note', 'home_visit']);
    expect(before.merged.linked).toHaveLength(1);
    expect(before.survivor.seeing.otherworker).toBe(404);

    const m = await app.inject({ method: 'POST', url: `/api/people/${merged}/merge`, headers: { ...h.manager, 'idempotency-key': 'merge-casey-01' }, payload: { into: survivor, reason: 'Same child: school and assessment team recorded her separately' } });
    expect(m.statusCode, m.body).toBe(201);
    const replay = await app.inject({ method: 'POST', url: `/api/people/${merged}/merge`, headers: { ...h.manager, 'idempotency-key': 'merge-casey-01' }, payload: { into: survivor, reason: 'Same child: school and assessment team recorded her separately' } });
    expect(replay.headers['idempotent-replayed']).toBe('true');

    // The survivor shows both; the merged id redirects (to whoever may see the survivor) and is plain 404 otherwise.
    const both = await snapshot(survivor, h.worker);
    expect(both.entries.map((e: { id: string }) => e.id).sort()).toEqual([...before.survivor.entries, ...before.merged.entries].map((e) => e.id).sort());
    expect(both.names).toEqual(expect.arrayContaining([...before.survivor.names, ...before.merged.names]));
    expect(both.identifiers).toHaveLength(before.survivor.identifiers.length + before.merged.identifiers.length);
    expect(both.addresses).toHaveLength(2);
    expect(both.relationships.map((r: { person: { name: { given_name: string } } }) => r.person.name.given_name)).toContain('Dana');
    expect(both.linked).toEqual(before.merged.linked);
    expect(both.alerts.map((x: { id: string }) => x.id).sort()).toEqual([...before.survivor.alerts, ...before.merged.alerts].map((x) => x.id).sort());
    expect(both.alerts.filter((x: { child_id: string }) => x.child_id === merged)).toHaveLength(before.merged.alerts.length);
    expect(both.process.merged_records).toMatchObject([{ child_id: merged, process: { stage: before.merged.process.stage } }]);
    expect(both.seeing.otherworker).toBe(200);
    const gone = await get(`/api/children/${merged}`, h.otherworker);
    expectProblem(gone, 404);
    expect(gone.json().merged_into).toBe(survivor);
    const stranger = await get(`/api/children/${merged}`, h.police);
    expectProblem(stranger, 404);
    expect(stranger.json()).not.toHaveProperty('merged_into');
    const browser = new Browser(app);
    await browser.signIn(w.emails.otherworker);
    const page = await browser.get(`/children/${merged}`);
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe(`/children/${survivor}`);
    expectProblem(await app.inject({ method: 'POST', url: `/api/children/${merged}/entries`, headers: h.otherworker, payload: homeVisit() }), 404);
    const found = (await get('/api/children?nhs_number=9990010005', h.otherworker)).json().results;
    expect(found).toMatchObject([{ child_id: survivor, accessible: true }]);

    // Recorded on the survivor while merged: stays with the survivor. (Written by the survivor's own worker:
    // had the merged child's worker written it, authorship would rightly keep their access after unmerging.)
    const added = await app.inject({ method: 'POST', url: `/api/children/${survivor}/entries`, headers: h.worker, payload: { kind: 'case_note', occurred_at: '2026-02-01T09:00:00Z', narrative: 'Records merged; one plan.' } });
    expect(added.statusCode, added.body).toBe(201);

    const history = (await get(`/api/children/${survivor}/person-index`, h.worker)).json();
    expect(history.merges).toMatchObject([{ action: 'merged', merged_id: merged, into: survivor, by: 'Test manager' }]);

    const un = await app.inject({ method: 'POST', url: `/api/people/${merged}/unmerge`, headers: h.manager, payload: { reason: 'Two different children after all: a cousin' } });
    expect(un.statusCode, un.body).toBe(201);

    const after = { survivor: await snapshot(survivor, h.worker), merged: await snapshot(merged, h.otherworker) };
    expect(after.merged).toEqual(before.merged);
    const { entries, ...rest } = after.survivor;
    const { entries: beforeEntries, ...beforeRest } = before.survivor;
    expect(rest).toEqual(beforeRest);
    expect(entries.map((e: { id: string }) => e.id)).toEqual([added.json().id, ...beforeEntries.map((e: { id: string }) => e.id)]);
    expect(entries.slice(1)).toEqual(beforeEntries);
    for (const id of [survivor, merged]) {
      const v = await get(`/api/children/${id}/integrity`, h.auditor);
      expect(v.json(), id).toMatchObject({ ok: true });
    }
    expect((await get(`/api/children/${merged}/person-index`, h.otherworker)).json().merges.map((e: { action: string }) => e.action)).toEqual(['merged', 'unmerged']);
  });

  it('refuses what it must: the wrong role, oneself, a merged record, unknown ids, bad input', async () => {
    const merge = (headers: Record<string, string>, id: string, payload: object) => app.inject({ method: 'POST', url: `/api/people/${id}/merge`, headers, payload });
    const reason = 'Looks like the same child';
    expectProblem(await merge(h.worker, merged, { into: survivor, reason }), 403);
    expectProblem(await merge(h.manager, merged, { into: merged, reason }), 409);
    expectProblem(await merge(h.manager, merged, { into: survivor }), 400);
    expectProblem(await merge(h.manager, merged, { into: 'not-a-uuid', reason }), 400);
    const unseen = await newChild(s, { given_name: 'Robin', family_name: 'Unseen' });
    expectProblem(await merge(h.manager, unseen, { into: survivor, reason }), 404);
    expectProblem(await app.inject({ method: 'POST', url: `/api/people/${merged}/unmerge`, headers: h.manager, payload: { reason } }), 404);
    // Merged into the survivor, a record cannot take another merge, nor be merged again.
    expect((await merge(h.manager, merged, { into: survivor, reason })).statusCode).toBe(201);
    expectProblem(await merge(h.manager, survivor, { into: merged, reason }), 404);
    const other = await newChild(s, { given_name: 'Ali', family_name: 'Other' });
    await allocate(s.database.db, other, w.actors.worker.id, w.team, w.actors.manager.id);
    expectProblem(await merge(h.manager, survivor, { into: other, reason }), 409);
    expect((await app.inject({ method: 'POST', url: `/api/people/${merged}/unmerge`, headers: h.manager, payload: { reason: 'Tidy up after the test' } })).statusCode).toBe(201);
  });
});
