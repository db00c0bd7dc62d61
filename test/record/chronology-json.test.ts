import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src/app.js';
import { buildApp } from '../../src/app.js';
import { actorFromToken, createApiToken } from '../../src/auth/store.js';
import { chronologyList } from '../../src/record/routes.js';
import { asSent } from '../support/chronology.js';
import { testServices } from '../support/db.js';
import { homeVisit, newChild, PASSWORD, world, type World } from '../support/fixtures.js';

let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
let bearer: string;
let policeToken: string;

const get = (url: string, token = bearer) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  bearer = (await app.inject({ method: 'POST', url: '/api/auth/token', payload: { email: w.emails.worker, password: PASSWORD } })).json().token;
  policeToken = await createApiToken(s.database.db, { agencyId: w.police, name: 'Police system', entryKinds: ['police_incident'], createdBy: w.actors.admin.id, id: randomUUID() });
  const police = (await actorFromToken(s.database.db, policeToken))!;
  const first = await s.record.append(w.actors.worker, w.child, homeVisit({
    occurred_at: '2026-01-10T10:00:00.123+01:00',
    narrative: 'Quotes "like this", a back\\slash, a tab\there, a new\nline, \u0001, é, 😀, \u2028 and </script>.',
    concerns: [randomUUID(), randomUUID()],
    data: { child_seen: true, child_seen_alone: false, present: ['Mother', 'Gran "Nan"'] },
  }));
  await s.record.append(w.actors.worker, w.child, { kind: 'case_note', occurred_at: '2026-01-11T09:00:00Z', narrative: 'Note.', data: {} });
  await s.record.append(w.actors.worker, w.child, homeVisit({ narrative: 'Corrected visit.', supersedes_id: first.body.id, correction_reason: 'The time was wrong' }));
  await s.record.appendBatch(police, [
    { child_id: w.child, kind: 'police_incident', occurred_at: '2025-12-31T23:59:59.999Z', narrative: 'Incident one.', data: { incident_type: 'assault', reference: 'R/1' } },
    { child_id: w.child, kind: 'police_incident', occurred_at: '2026-01-10T09:00:00.123Z', narrative: 'Same time as the visit.', data: { incident_type: 'other' } },
  ]);
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

describe('the chronology sent by the API', () => {
  it('is exactly the service chronology (every field, the order, corrections), as JSON', async () => {
    const res = await get(`/api/children/${w.child}/entries`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    const sent = res.json();
    const expected = asSent(await s.record.chronology(w.actors.worker, w.child, {}));
    expect(sent).toEqual(expected);
    expect(chronologyList.parse(sent)).toEqual(sent);
    expect(Object.keys(sent.agencies).sort()).toEqual([w.la, w.police].sort());
    expect(sent.entries).toHaveLength(5);
    expect(sent.entries.find((e: { superseded_by: string | null }) => e.superseded_by)).toBeTruthy();
    expect(sent.entries.map((e: { occurred_at: string }) => e.occurred_at)).toContain('2026-01-10T09:00:00.123Z');
  });

  it('stays valid JSON, equal to the service, when stored text needs escaping (a tampered hash, odd data keys)', async () => {
    const odd = await newChild(s, { given_name: 'Odd' });
    await s.database.db.insertInto('allocations').values({ id: randomUUID(), child_id: odd, practitioner_id: w.actors.worker.id, team_id: w.team }).execute();
    await s.database.db.insertInto('entries').values({
      id: randomUUID(), child_id: odd, seq: 1, kind: 'case_note', occurred_at: new Date('2026-02-01T00:00:00.5Z'), recorded_at: new Date('2026-02-01T00:00:01Z'),
      author_id: null, author_name: 'Someone "odd"\\', author_role: 'agency_system', author_agency_id: w.police, via_token_id: null, concerns: [],
      narrative: 'x', data: JSON.stringify({ 'é': [1.5, { x: null }], 'a"b': 'c', n: -0.25, big: 12345678901 }),
      supersedes_id: null, correction_reason: null, prev_hash: '0'.repeat(64), hash: 'not "hex" \\ at all', seal: 'x',
    }).execute();
    const res = await get(`/api/children/${odd}/entries`);
    expect(res.json()).toEqual(asSent(await s.record.chronology(w.actors.worker, odd, {})));
    expect(res.json().entries[0].hash).toBe('not "hex" \\ at all');
  });

  it('applies the agency and kind filters, and an agency system sees only its own entries', async () => {
    for (const query of [`?agency=${w.police}`, '?kind=home_visit', '?kind=home_visit&kind=case_note']) {
      const res = await get(`/api/children/${w.child}/entries${query}`);
      const params = new URLSearchParams(query.slice(1));
      const filter = { agencyId: params.get('agency') ?? undefined, kinds: params.getAll('kind').length ? params.getAll('kind') : undefined };
      expect(res.json()).toEqual(asSent(await s.record.chronology(w.actors.worker, w.child, filter)));
    }
    const own = await get(`/api/children/${w.child}/entries`, policeToken);
    expect(own.json().basis).toBe('own_agency_entries');
    expect(Object.keys(own.json().agencies)).toEqual([w.police]);
    expect(own.json().entries.map((e: { kind: string }) => e.kind)).toEqual(['police_incident', 'police_incident']);
  });

  it('keeps the order across chunks of the answer (over 100 entries, many at the same time, some recorded late), filtered or not', async () => {
    const long = await newChild(s, { given_name: 'Long' });
    await s.database.db.insertInto('allocations').values({ id: randomUUID(), child_id: long, practitioner_id: w.actors.worker.id, team_id: w.team }).execute();
    // 7 distinct times for 250 entries: ties are ordered by place in the chain, newest first.
    const items = Array.from({ length: 250 }, (_, i) => ({
      child_id: long, kind: i % 2 ? 'case_note' : 'home_visit', occurred_at: `2026-01-0${1 + ((i * 3) % 7)}T10:00:00Z`, narrative: `Entry ${i}.`,
      data: i % 2 ? {} : { child_seen: true, child_seen_alone: false, present: ['Mother'] },
    }));
    await s.record.appendBatch(w.actors.worker, items);
    for (const [query, filter] of [['', {}], ['?kind=case_note', { kinds: ['case_note'] }]] as [string, { kinds?: string[] }][]) {
      const sent = (await get(`/api/children/${long}/entries${query}`)).json();
      expect(sent).toEqual(asSent(await s.record.chronology(w.actors.worker, long, filter)));
      expect(sent.entries).toHaveLength(query ? 125 : 250);
    }
  });

  it('answers an empty list for a child with no entries, 404 for a child the caller cannot see, and audits the read', async () => {
    const other = await newChild(s, { given_name: 'Nobody' });
    expect((await get(`/api/children/${other}/entries`)).statusCode).toBe(404);
    const auditBefore = await s.database.db.selectFrom('audit_events').select('id').where('action', '=', 'read_chronology').execute();
    const mine = await newChild(s, { given_name: 'Empty' });
    await s.database.db.insertInto('allocations').values({ id: randomUUID(), child_id: mine, practitioner_id: w.actors.worker.id, team_id: w.team }).execute();
    const res = await get(`/api/children/${mine}/entries`);
    expect(res.json()).toEqual({ basis: 'allocated_worker', agencies: {}, entries: [] });
    const audits = await s.database.db.selectFrom('audit_events').select(['child_id', 'detail']).where('action', '=', 'read_chronology').execute();
    expect(audits.length).toBe(auditBefore.length + 1);
    expect(audits.find((a) => a.child_id === mine)?.detail).toMatchObject({ entries: 0 });
  });
});
