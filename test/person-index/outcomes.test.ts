import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildApp, type Services } from '../../src/app.js';
import { allocate } from '../../src/people/store.js';
import { testServices } from '../support/db.js';
import { newChild, world, type World } from '../support/fixtures.js';
import { bearer, expectProblem } from '../access/support.js';

let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
let dsl: Record<string, string>;
let manager: Record<string, string>;
let jordan: string;

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  dsl = await bearer(app, w.emails.dsl);
  manager = await bearer(app, w.emails.manager);
  jordan = await newChild(s, { given_name: 'Jordan', family_name: 'Kowalski', date_of_birth: '2018-06-14', address: { line1: '4 Mill Lane', postcode: 'NM1 4AB', valid_from: '2020-01-01' } });
  await allocate(s.database.db, jordan, w.actors.worker.id, w.team, w.actors.manager.id);
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const submit = (payload: object, headers = dsl, key?: string) =>
  app.inject({ method: 'POST', url: '/api/person-index/records', headers: { ...headers, ...(key ? { 'idempotency-key': key } : {}) }, payload });
const jordanAt = (over: object) => ({ kind: 'child', given_name: 'Jordan', family_name: 'Kowalski', date_of_birth: '2018-06-14', ...over });
const events = async (recordId: string) =>
  (await sql<{ action: string; actor_practitioner_id: string | null; reason: string | null; probability: number | null; person_id: string | null; detail: Record<string, unknown> }>`
    SELECT action, actor_practitioner_id, reason, probability, person_id, detail FROM person_index_events WHERE agency_record_id = ${recordId} ORDER BY seq`.execute(s.database.db)).rows;
const localIds = async (personId: string) =>
  (await sql<{ value: string }>`SELECT value FROM person_identifiers WHERE person_id = ${personId} AND scheme = 'local' ORDER BY value`.execute(s.database.db)).rows.map((r) => r.value);

describe('POST /api/person-index/records: three outcomes', () => {
  it('links a record with a typo in the given name to the child Sightline knows, and says why', async () => {
    const res = await submit(jordanAt({ local_id: 'ESP-001', given_name: 'Jordon', postcode: 'NM1 4AB', address: ['4 Mill Lane'] }), dsl, 'pi-typo-0001');
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ outcome: 'linked', person_id: jordan, via: 'matcher', record: { local_id: 'ESP-001', version: 1, agency_id: w.school } });
    const e = body.explanation;
    expect(e.match_probability).toBeGreaterThanOrEqual(0.99);
    expect(e.fields.find((f: { role: string }) => f.role === 'given_name')).toMatchObject({ level: expect.not.stringMatching(/^exact$/), m: expect.any(Number), u: expect.any(Number) });
    const sum = e.fields.reduce((n: number, f: { weight: number }) => n + f.weight, e.prior_weight);
    expect(sum).toBeCloseTo(e.match_weight, 9);
    expect(await localIds(jordan)).toEqual(['ESP-001']);
    expect(await events(body.record.id)).toMatchObject([{ action: 'linked', person_id: jordan, probability: e.match_probability, detail: { via: 'matcher' } }]);
    const replay = await submit(jordanAt({ local_id: 'ESP-001', given_name: 'Jordon', postcode: 'NM1 4AB', address: ['4 Mill Lane'] }), dsl, 'pi-typo-0001');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().record.id).toBe(body.record.id);
  });

  it('a resubmission of the same local id is a new version, linked through the id the person now holds', async () => {
    const res = await submit(jordanAt({ local_id: 'ESP-001', given_name: 'Jordan', postcode: 'NM7 7XX' }));
    expect(res.json()).toMatchObject({ outcome: 'linked', person_id: jordan, via: 'local_id', record: { version: 2 } });
  });

  it('queues an uncertain record for review, holding it unlinked and naming no one', async () => {
    const res = await submit(jordanAt({ local_id: 'ESP-002', postcode: 'ZZ9 9ZZ' }));
    const body = res.json();
    expect(body).toMatchObject({ outcome: 'queued', via: 'matcher', review_id: expect.any(String) });
    expect(body.person_id).toBeUndefined();
    expect(body.explanation.match_probability).toBeGreaterThanOrEqual(0.5);
    expect(body.explanation.match_probability).toBeLessThan(0.99);
    expect(await localIds(jordan)).toEqual(['ESP-001']);
    const links = await sql`SELECT 1 FROM agency_record_links WHERE agency_record_id = ${body.record.id}`.execute(s.database.db);
    expect(links.rows).toHaveLength(0);
  });

  it('creates a new child from a record that matches no one, with the submitter as author', async () => {
    const res = await submit({ local_id: 'ESP-003', kind: 'child', given_name: 'Morgan', family_name: 'Lindqvist', date_of_birth: '2017-02-02', nhs_number: '9990000026', sex: 'female' });
    const body = res.json();
    expect(body).toMatchObject({ outcome: 'created', via: 'new_person', person_id: expect.any(String) });
    const child = await app.inject({ method: 'GET', url: `/api/children/${body.person_id}`, headers: dsl });
    expect(child.statusCode, child.body).toBe(200);
    expect(child.json().child).toMatchObject({ kind: 'child', date_of_birth: '2017-02-02', sex: 'female', name: { given_name: 'Morgan', family_name: 'Lindqvist' } });
    expect(child.json().child.identifiers).toEqual(expect.arrayContaining([
      expect.objectContaining({ scheme: 'nhs_number', value: '9990000026' }), expect.objectContaining({ scheme: 'local', value: 'ESP-003', agency_id: w.school }),
    ]));
    expect((await events(body.record.id)).map((e) => e.action)).toEqual(['created', 'linked']);
  });

  it('answers bad input with problem+json and stores nothing', async () => {
    const before = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM agency_records`.execute(s.database.db)).rows[0].n;
    expectProblem(await submit({ local_id: 'ESP-009', given_name: 'No', kind: 'child' }), 400);
    expectProblem(await submit({ local_id: 'ESP-009', given_name: 'No', family_name: 'Birthday', kind: 'child' }), 400);
    expectProblem(await submit({ local_id: 'ESP-009', given_name: 'A', family_name: 'B', date_of_birth: '2018-02-30' }), 400);
    expectProblem(await app.inject({ method: 'POST', url: '/api/person-index/records', payload: jordanAt({ local_id: 'X' }) }), 401);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM agency_records`.execute(s.database.db)).rows[0].n).toBe(before);
  });
});

describe('the review queue over the API', () => {
  it('is for managers, heads of service and administrators of a local authority', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/api/person-index/reviews', headers: dsl }), 403);
    expectProblem(await app.inject({ method: 'GET', url: '/api/person-index/reviews', headers: await bearer(app, w.emails.worker) }), 403);
    const admin = await app.inject({ method: 'GET', url: '/api/person-index/reviews', headers: await bearer(app, w.emails.admin) });
    expect(admin.statusCode).toBe(200);
  });

  it('"same person" links the record, recording who and why; a second decision is refused', async () => {
    const queued = (await submit(jordanAt({ local_id: 'ESP-010', postcode: 'ZZ1 1ZZ' }))).json();
    const list = (await app.inject({ method: 'GET', url: '/api/person-index/reviews', headers: manager })).json().items;
    expect(list.map((i: { id: string }) => i.id)).toContain(queued.review_id);
    const view = await app.inject({ method: 'GET', url: `/api/person-index/reviews/${queued.review_id}`, headers: manager });
    expect(view.json()).toMatchObject({ status: 'open', candidate: { type: 'person', person_id: jordan }, record: { local_id: 'ESP-010', agency: 'Elm Street Primary' } });
    const audit = await sql`SELECT 1 FROM audit_events WHERE action = 'read_review_item' AND child_id = ${jordan} AND actor_practitioner_id = ${w.actors.manager.id}`.execute(s.database.db);
    expect(audit.rows).toHaveLength(1);
    expectProblem(await app.inject({ method: 'POST', url: `/api/person-index/reviews/${queued.review_id}/decision`, headers: manager, payload: { decision: 'same' } }), 400);
    const decided = await app.inject({ method: 'POST', url: `/api/person-index/reviews/${queued.review_id}/decision`, headers: manager, payload: { decision: 'same', reason: 'Same school, moved house in the summer' } });
    expect(decided.statusCode, decided.body).toBe(201);
    expect(decided.json()).toEqual({ review_id: queued.review_id, decision: 'same', person_id: jordan });
    expect(await localIds(jordan)).toContain('ESP-010');
    expect(await events(queued.record.id)).toMatchObject([
      { action: 'queued' },
      { action: 'decided', actor_practitioner_id: w.actors.manager.id, reason: 'Same school, moved house in the summer', detail: { decision: 'same' } },
      { action: 'linked', actor_practitioner_id: w.actors.manager.id, person_id: jordan, detail: { via: 'review' } },
    ]);
    expectProblem(await app.inject({ method: 'POST', url: `/api/person-index/reviews/${queued.review_id}/decision`, headers: manager, payload: { decision: 'different', reason: 'Changed my mind' } }), 409);
    expect((await app.inject({ method: 'GET', url: `/api/person-index/reviews/${queued.review_id}`, headers: manager })).json().decision).toMatchObject({ decision: 'same', by: 'Test manager' });
  });

  it('"different people" creates a new child from the record, recording who and why', async () => {
    const queued = (await submit(jordanAt({ local_id: 'ESP-011', postcode: 'ZZ2 2ZZ' }))).json();
    const decided = await app.inject({ method: 'POST', url: `/api/person-index/reviews/${queued.review_id}/decision`, headers: manager, payload: { decision: 'different', reason: 'A cousin of the same name and birthday' } });
    expect(decided.statusCode, decided.body).toBe(201);
    const personId = decided.json().person_id;
    expect(personId).not.toBe(jordan);
    expect(await localIds(personId)).toEqual(['ESP-011']);
    expect((await events(queued.record.id)).map((e) => [e.action, e.actor_practitioner_id])).toEqual([
      ['queued', w.actors.dsl.id], ['decided', w.actors.manager.id], ['created', w.actors.manager.id], ['linked', w.actors.manager.id],
    ]);
    expectProblem(await app.inject({ method: 'GET', url: '/api/person-index/reviews/00000000-0000-4000-8000-000000000000', headers: manager }), 404);
  });
});

describe('agency systems', () => {
  it("send records with an API token: linked under the token's agency; a new child needs the token to write contacts", async () => {
    const admin = await bearer(app, w.emails.admin);
    const token = async (kinds: string[]) => {
      const res = await app.inject({ method: 'POST', url: '/api/api-tokens', headers: admin, payload: { agency_id: w.health, name: `Hospital PAS ${kinds.join()}`, entry_kinds: kinds } });
      expect(res.statusCode, res.body).toBe(201);
      return { authorization: `Bearer ${res.json().secret}` };
    };
    const pas = await token(['hospital_attendance']);
    // (Any Jordan Kowalski born that day now has a rival: the cousin created above. Alex has none.)
    const linked = await submit({ local_id: 'RXH-1', given_name: 'Alex', family_name: 'Testchild', date_of_birth: '2025-03-01', nhs_number: '999 000 0018' }, pas);
    expect(linked.json()).toMatchObject({ outcome: 'linked', person_id: w.child, record: { agency_id: w.health } });
    const cousinRival = await submit(jordanAt({ local_id: 'RXH-3', postcode: 'NM1 4AB' }), pas);
    expect(cousinRival.json().outcome).toBe('queued');
    const before = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM agency_records`.execute(s.database.db)).rows[0].n;
    expectProblem(await submit({ local_id: 'RXH-2', given_name: 'Quinn', family_name: 'Unknownson', date_of_birth: '2020-10-10' }, pas), 403);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM agency_records`.execute(s.database.db)).rows[0].n).toBe(before);
    const created = await submit({ local_id: 'RXH-2', given_name: 'Quinn', family_name: 'Unknownson', date_of_birth: '2020-10-10' }, await token(['hospital_attendance', 'contact_referral']));
    expect(created.json()).toMatchObject({ outcome: 'created', via: 'new_person' });
  });
});

describe('the API documentation', () => {
  it('names every person-index route, with the record schema', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    for (const [path, method] of [['/api/person-index/records', 'post'], ['/api/person-index/reviews', 'get'], ['/api/person-index/reviews/{id}', 'get'],
      ['/api/person-index/reviews/{id}/decision', 'post'], ['/api/people/{id}/merge', 'post'], ['/api/people/{id}/unmerge', 'post'], ['/api/children/{id}/person-index', 'get']]) {
      expect(doc.paths[path]?.[method]?.tags, `${method} ${path}`).toEqual(['person index']);
    }
    expect(JSON.stringify(doc.paths['/api/person-index/records'].post.requestBody)).toContain('local_id');
  });
});
