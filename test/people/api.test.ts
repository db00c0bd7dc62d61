import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Services } from '../../src/app.js';
import { testServices } from '../support/db.js';
import { PASSWORD, world, type World } from '../support/fixtures.js';
import { freshNhsNumber } from './helpers.js';

let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  for (const who of ['dsl', 'police', 'worker']) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/token', payload: { email: w.emails[who], password: PASSWORD } });
    tokens[who] = res.json().token;
  }
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const as = (who: string, headers: Record<string, string> = {}) => ({ authorization: `Bearer ${tokens[who]}`, ...headers });
const referral = { occurred_at: '2026-01-05T09:00:00Z', narrative: 'Teacher noticed a burn on the hand.', data: { source: 'school' } };
const newChild = (over: Record<string, unknown> = {}) => ({ given_name: 'Kit', family_name: 'Apitest', date_of_birth: '2020-10-10', nhs_number: freshNhsNumber(), ...over });
const rows = async () => {
  const n = async (t: 'persons' | 'entries' | 'audit_events') => Number((await s.database.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return [await n('persons'), await n('entries'), await n('audit_events')];
};

describe('people API', () => {
  it('creates a child once per Idempotency-Key; the creator reads it, others get 404', async () => {
    const payload = { person: newChild(), first_entry: referral };
    const res = await app.inject({ method: 'POST', url: '/api/children', headers: as('dsl', { 'idempotency-key': 'api-child-0001' }), payload });
    expect(res.statusCode).toBe(201);
    const id = res.json().child.id;
    expect(res.headers.location).toBe(`/api/children/${id}`);
    const again = await app.inject({ method: 'POST', url: '/api/children', headers: as('dsl', { 'idempotency-key': 'api-child-0001' }), payload });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().child.id).toBe(id);

    const mine = await app.inject({ method: 'GET', url: `/api/children/${id}`, headers: as('dsl') });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ basis: 'author', child: { id, kind: 'child', name: { given_name: 'Kit' } }, household: { current: [], previous: [] } });
    const theirs = await app.inject({ method: 'GET', url: `/api/children/${id}`, headers: as('police') });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(theirs.body).not.toContain('Apitest');
    const household = await app.inject({ method: 'GET', url: `/api/children/${id}/household`, headers: as('police') });
    expect(household.statusCode).toBe(404);
  });

  it('search: a stub for a child the caller cannot see, the match for one they can; 422 without enough identifiers', async () => {
    const nhs = freshNhsNumber();
    await app.inject({ method: 'POST', url: '/api/children', headers: as('dsl'), payload: { person: newChild({ given_name: 'Ash', nhs_number: nhs }), first_entry: referral } });
    const theirs = await app.inject({ method: 'GET', url: `/api/children?nhs_number=${nhs.slice(0, 3)}%20${nhs.slice(3)}`, headers: as('police') });
    expect(theirs.statusCode).toBe(200);
    expect(theirs.json().results).toEqual([{ child_id: expect.any(String), accessible: false, name: null, date_of_birth: null }]);
    const mine = await app.inject({ method: 'GET', url: '/api/children?family_name=apitest&given_name=ash&date_of_birth=2020-10-10', headers: as('dsl') });
    expect(mine.json().results).toEqual([expect.objectContaining({ accessible: true, name: 'Ash Apitest', basis: 'author' })]);
    const vague = await app.inject({ method: 'GET', url: '/api/children?family_name=Apitest', headers: as('police') });
    expect(vague.statusCode).toBe(422);
    expect(vague.headers['content-type']).toMatch(/application\/problem\+json/);
    const unsigned = await app.inject({ method: 'GET', url: `/api/children?nhs_number=${nhs}` });
    expect(unsigned.statusCode).toBe(401);
  });

  it('bad input answers 4xx problem+json and writes nothing', async () => {
    const before = await rows();
    const bad = [
      { person: newChild({ nhs_number: '9434765918' }), first_entry: referral },
      { person: newChild({ date_of_birth: undefined }), first_entry: referral },
      { person: newChild(), first_entry: { ...referral, data: { source: 'nobody' } } },
      { person: newChild(), first_entry: { ...referral, kind: 'home_visit', data: { child_seen: true, child_seen_alone: false } } },
    ];
    for (const payload of bad) {
      const res = await app.inject({ method: 'POST', url: '/api/children', headers: as('dsl'), payload });
      expect(res.statusCode, JSON.stringify(payload)).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect(await rows()).toEqual(before);
  });

  it('a duplicate NHS number is 409 and says only that the child exists', async () => {
    const nhs = freshNhsNumber();
    await app.inject({ method: 'POST', url: '/api/children', headers: as('dsl'), payload: { person: newChild({ nhs_number: nhs }), first_entry: referral } });
    const before = await rows();
    const res = await app.inject({ method: 'POST', url: '/api/children', headers: as('police'), payload: { person: newChild({ given_name: 'Different', nhs_number: nhs }), first_entry: { ...referral, data: { source: 'police' } } } });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ status: 409, detail: 'A child with that NHS number already exists.' });
    expect(await rows()).toEqual(before);
  });

  it('links an adult to the household, changes their address, and ends the relationship', async () => {
    const adult = await app.inject({ method: 'POST', url: '/api/adults', headers: as('worker', { 'idempotency-key': 'api-adult-0001' }), payload: { given_name: 'Pat', family_name: 'Carer' } });
    expect(adult.statusCode).toBe(201);
    const rel = await app.inject({ method: 'POST', url: `/api/children/${w.child}/relationships`, headers: as('worker'), payload: { other_person_id: adult.json().id, kind: 'carer', lives_with_child: true, valid_from: '2025-04-01' } });
    expect(rel.statusCode).toBe(201);
    const addr = await app.inject({ method: 'POST', url: `/api/children/${w.child}/addresses`, headers: as('worker'), payload: { person_id: adult.json().id, line1: '9 Canal Side', postcode: 'NM9 9ZZ', valid_from: '2025-04-01' } });
    expect(addr.statusCode).toBe(201);
    const name = await app.inject({ method: 'POST', url: `/api/children/${w.child}/names`, headers: as('worker'), payload: { given_name: 'Alexa', family_name: 'Testchild', valid_from: '2025-05-01' } });
    expect(name.json()).toMatchObject({ id: w.child, name: { given_name: 'Alexa' }, names: [{ given_name: 'Alex', valid_to: '2025-05-01' }] });
    const ident = await app.inject({ method: 'POST', url: `/api/children/${w.child}/identifiers`, headers: as('worker'), payload: { scheme: 'local', agency_id: w.la, value: 'LA-0042' } });
    expect(ident.statusCode).toBe(201);
    expect(ident.json().identifiers).toContainEqual({ scheme: 'local', agency_id: w.la, agency_name: 'Northmoor Council', value: 'LA-0042' });

    const end = await app.inject({ method: 'POST', url: `/api/children/${w.child}/relationships/${rel.json().relationship_id}/end`, headers: as('worker'), payload: { valid_to: '2025-11-30' } });
    expect(end.statusCode).toBe(200);
    const h = (await app.inject({ method: 'GET', url: `/api/children/${w.child}/household`, headers: as('worker') })).json();
    expect(h.household.current).toEqual([]);
    expect(h.household.previous).toEqual([expect.objectContaining({ kind: 'carer', valid_to: '2025-11-30', person: expect.objectContaining({ addresses: [expect.objectContaining({ line1: '9 Canal Side' })] }) })]);
    const outsider = await app.inject({ method: 'POST', url: `/api/children/${w.child}/names`, headers: as('police'), payload: { given_name: 'X', family_name: 'Y' } });
    expect(outsider.statusCode).toBe(404);
  });

  it('records someone new and links them in one step; a bad link writes neither', async () => {
    const person = { given_name: 'Lee', family_name: 'Newpartner' };
    const before = await rows();
    const bad = await app.inject({ method: 'POST', url: `/api/children/${w.child}/people`, headers: as('worker'), payload: { person, relationship: { kind: 'partner_of_carer', lives_with_child: true, valid_from: 'not-a-date' } } });
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
    expect(bad.statusCode).toBeLessThan(500);
    expect(await rows()).toEqual(before);
    const ok = await app.inject({ method: 'POST', url: `/api/children/${w.child}/people`, headers: as('worker', { 'idempotency-key': 'new-person-0001' }), payload: { person, relationship: { kind: 'partner_of_carer', lives_with_child: true, valid_from: '2026-02-01' } } });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ kind: 'partner_of_carer', lives_with_child: true, person: { name: { family_name: 'Newpartner' } } });
    const again = await app.inject({ method: 'POST', url: `/api/children/${w.child}/people`, headers: as('worker', { 'idempotency-key': 'new-person-0001' }), payload: { person, relationship: { kind: 'partner_of_carer', lives_with_child: true, valid_from: '2026-02-01' } } });
    expect(again.json().relationship_id).toBe(ok.json().relationship_id);
    const household = await app.inject({ method: 'GET', url: `/api/children/${w.child}/household`, headers: as('worker') });
    expect(household.json().household.current.filter((m: { person: { name: { family_name: string } } }) => m.person.name.family_name === 'Newpartner')).toHaveLength(1);
    const outsider = await app.inject({ method: 'POST', url: `/api/children/${w.child}/people`, headers: as('police'), payload: { person, relationship: { kind: 'visitor', lives_with_child: false, valid_from: '2026-02-01' } } });
    expect(outsider.statusCode).toBe(404);
  });

  it('documents the people routes in OpenAPI', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const [path, method] of [['/api/children', 'post'], ['/api/children', 'get'], ['/api/adults', 'post'], ['/api/children/{childId}', 'get'], ['/api/children/{childId}/relationships/{relationshipId}/end', 'post']]) {
      expect(doc.paths[path]?.[method]?.tags, `${method} ${path}`).toEqual(['people']);
    }
    expect(doc.paths['/api/children'].get.parameters.map((p: { name: string }) => p.name)).toContain('nhs_number');
  });
});
