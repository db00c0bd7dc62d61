import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp, type Services } from '../../src/app.js';
import { createApiToken } from '../../src/auth/store.js';
import { createTeam } from '../../src/agencies/store.js';
import { addGroupMember, allocate } from '../../src/people/store.js';
import { appendEntries } from '../../src/record/store.js';
import { draftFrom } from '../../src/record/service.js';
import { testServices } from '../support/db.js';
import { homeVisit, world, type World } from '../support/fixtures.js';
import { bearer, count, expectProblem, lastAudit, practitioner } from './support.js';

let s: Services;
let w: World;
let app: FastifyInstance;
/** Each caller's request headers and the id their audit rows carry. */
const callers: Record<string, { headers: Record<string, string>; id: string }> = {};

const contact = { kind: 'contact_referral', occurred_at: '2026-01-11T09:00:00Z', narrative: 'Worried about bruising seen at drop-off.', data: { source: 'school' } };
const roles = ['social_worker', 'team_manager', 'head_of_service', 'police_officer', 'health_visitor', 'paediatrician', 'gp', 'designated_safeguarding_lead', 'conference_chair', 'auditor', 'administrator'];
const hour = 3600_000;

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  const db = s.database.db;
  const as = async (key: string, email: string, id: string) => (callers[key] = { headers: await bearer(app, email), id });
  for (const k of ['worker', 'teammate', 'manager', 'head', 'otherworker']) await as(k, w.emails[k], w.actors[k].id);

  // A second, joint allocation whose worker's line manager sits outside every allocated team.
  const teamC = await createTeam(db, w.la, 'Assessment Team C');
  const line = await practitioner(s, { key: 'linemanager', agency: w.la, role: 'team_manager', manager: w.actors.head.id });
  const second = await practitioner(s, { key: 'secondworker', agency: w.la, role: 'social_worker', team: teamC, manager: line.id });
  await allocate(db, w.child, second.id, teamC, w.actors.manager.id);
  await as('line_manager', line.email, line.id);

  const core = await practitioner(s, { key: 'core', agency: w.health, role: 'paediatrician' });
  await addGroupMember(db, w.child, core.id, 'core_group', w.actors.manager.id);
  await as('core_group', core.email, core.id);
  await addGroupMember(db, w.child, w.actors.police.id, 'strategy_discussion', w.actors.manager.id);
  await as('strategy_discussion', w.emails.police, w.actors.police.id);

  // An entry written while a relationship held: the author keeps sight of the record.
  await db.transaction().execute((tx) => appendEntries(tx, s.sealer, [draftFrom(w.actors.dsl, w.child, { kind: 'school_concern', occurred_at: '2026-01-05T09:00:00Z', narrative: 'Missed five sessions.', data: { concern_type: 'attendance' }, concerns: [] })]));
  await as('author', w.emails.dsl, w.actors.dsl.id);

  const emergency = await practitioner(s, { key: 'emergency', agency: w.health, role: 'gp' });
  await s.door.grantEmergency({ ...w.actors.hv, id: emergency.id, name: 'Test emergency' }, w.child, 'Child brought to surgery out of hours with injuries', 4);
  await as('emergency_active', emergency.email, emergency.id);

  const expired = await practitioner(s, { key: 'expired', agency: w.health, role: 'health_visitor' });
  const now = Date.now();
  await db.insertInto('emergency_access').values({ id: randomUUID(), child_id: w.child, practitioner_id: expired.id, reason: 'Seen in clinic, needed history', granted_at: new Date(now - 10 * hour), expires_at: new Date(now - 6 * hour) }).execute();
  await as('emergency_expired', expired.email, expired.id);

  const former = await practitioner(s, { key: 'former', agency: w.la, role: 'social_worker' });
  await db.insertInto('allocations').values({ id: randomUUID(), child_id: w.child, practitioner_id: former.id, team_id: w.otherTeam, valid_from: new Date(now - 60 * 24 * hour), valid_to: new Date(now - 24 * hour) }).execute();
  await as('ended_allocation', former.email, former.id);

  await as('no_relationship', w.emails.hv, w.actors.hv.id);
  for (const role of roles) {
    const p = await practitioner(s, { key: `role-${role}`, agency: w.la, role });
    await as(`role:${role}`, p.email, p.id);
  }
  await as('role:auditor (fixture)', w.emails.auditor, w.actors.auditor.id);
  await as('role:administrator (fixture)', w.emails.admin, w.actors.admin.id);

  for (const [key, agencyId, kinds] of [['token:police', w.police, ['police_incident', 'contact_referral']], ['token:health', w.health, ['health_appointment']]] as const) {
    const id = randomUUID();
    const token = await createApiToken(db, { agencyId, name: `${key} system`, entryKinds: [...kinds], createdBy: w.actors.admin.id, id });
    callers[key] = { headers: { authorization: `Bearer ${token}` }, id };
  }
  // One entry from each of two agencies, so that an agency system's view can be told apart.
  await s.record.append(w.actors.worker, w.child, homeVisit());
  const incident = { kind: 'police_incident', occurred_at: '2026-01-09T22:00:00Z', narrative: 'Called to a disturbance at the address.', data: { incident_type: 'domestic_abuse' } };
  const r = await app.inject({ method: 'POST', url: `/api/children/${w.child}/entries`, headers: callers['token:police'].headers, payload: incident });
  expect(r.statusCode, r.body).toBe(201);
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

type Outcome = { status: 200 | 201; basis: string } | { status: 403 | 404 };
interface Row {
  who: string;
  read: Outcome;
  homeVisit: Outcome;
  contact: Outcome;
}
const reach = (basis: string): Pick<Row, 'read' | 'homeVisit' | 'contact'> => ({ read: { status: 200, basis }, homeVisit: { status: 201, basis }, contact: { status: 201, basis } });
const unreachable: Pick<Row, 'read' | 'homeVisit' | 'contact'> = { read: { status: 404 }, homeVisit: { status: 404 }, contact: { status: 201, basis: 'front_door' } };

const matrix: Row[] = [
  { who: 'worker', ...reach('allocated_worker') },
  { who: 'teammate', ...reach('allocated_team') },
  { who: 'line_manager', ...reach('manager') },
  { who: 'head', ...reach('manager') },
  // The fixture's team manager is also a member of the allocated team, which the policy ranks first.
  { who: 'manager', ...reach('allocated_team') },
  { who: 'core_group', ...reach('core_group') },
  { who: 'strategy_discussion', ...reach('strategy_discussion') },
  { who: 'author', ...reach('author') },
  { who: 'emergency_active', ...reach('emergency') },
  { who: 'emergency_expired', ...unreachable },
  { who: 'ended_allocation', ...unreachable },
  { who: 'no_relationship', ...unreachable },
  { who: 'otherworker', ...unreachable },
  ...roles.map((r) => ({ who: `role:${r}`, ...unreachable })),
  { who: 'role:auditor (fixture)', ...unreachable },
  { who: 'role:administrator (fixture)', ...unreachable },
  // Agency systems: their own agency's entries only, and only the kinds their token names.
  { who: 'token:police', read: { status: 200, basis: 'own_agency_entries' }, homeVisit: { status: 403 }, contact: { status: 201, basis: 'own_agency_entries' } },
  { who: 'token:health', read: { status: 200, basis: 'own_agency_entries' }, homeVisit: { status: 403 }, contact: { status: 403 } },
];

async function attempt(row: Row, what: 'read' | 'homeVisit' | 'contact') {
  const c = callers[row.who];
  const want = row[what];
  const [auditsBefore, entriesBefore] = [await count(s, 'audit_events'), await count(s, 'entries')];
  const res =
    what === 'read'
      ? await app.inject({ method: 'GET', url: `/api/children/${w.child}/entries`, headers: c.headers })
      : await app.inject({ method: 'POST', url: `/api/children/${w.child}/entries`, headers: c.headers, payload: what === 'contact' ? contact : homeVisit({ narrative: `Visit by ${row.who}.` }) });
  if (!('basis' in want)) {
    expectProblem(res, want.status);
    expect(res.json()).not.toHaveProperty('entries');
    expect(await count(s, 'audit_events')).toBe(auditsBefore);
    expect(await count(s, 'entries')).toBe(entriesBefore);
    return res;
  }
  expect(res.statusCode, res.body).toBe(want.status);
  const audit = await lastAudit(s, w.child, c.id);
  expect(audit).toMatchObject({ action: what === 'read' ? 'read_chronology' : 'append_entry', basis: want.basis });
  expect(audit!.emergency_access_id !== null).toBe(want.basis === 'emergency');
  if (what === 'read') expect(res.json().basis).toBe(want.basis);
  else expect(res.json().id).toBe(audit!.detail.entry_id);
  return res;
}

describe('who may read and write a child record', () => {
  describe.each(matrix)('$who', (row) => {
    it(`reads the chronology: ${row.read.status}`, () => attempt(row, 'read'));
    it(`writes a home visit: ${row.homeVisit.status}`, () => attempt(row, 'homeVisit'));
    it(`writes a contact or referral: ${row.contact.status}`, () => attempt(row, 'contact'));
  });

  it("an agency system reads only its own agency's entries", async () => {
    const police = (await app.inject({ method: 'GET', url: `/api/children/${w.child}/entries`, headers: callers['token:police'].headers })).json();
    expect(police.entries.length).toBeGreaterThanOrEqual(2);
    expect(police.entries.every((e: { author: { agency_id: string } }) => e.author.agency_id === w.police)).toBe(true);
    const health = (await app.inject({ method: 'GET', url: `/api/children/${w.child}/entries`, headers: callers['token:health'].headers })).json();
    expect(health.entries.length).toBeGreaterThan(0);
    expect(health.entries.every((e: { author: { agency_id: string } }) => e.author.agency_id === w.health)).toBe(true);
    const worker = (await app.inject({ method: 'GET', url: `/api/children/${w.child}/entries`, headers: callers.worker.headers })).json();
    const agencies = new Set(worker.entries.map((e: { author: { agency_id: string } }) => e.author.agency_id));
    for (const a of [w.la, w.police, w.school]) expect(agencies.has(a)).toBe(true);
    // Even asking for another agency's entries by filter returns only its own.
    const asked = (await app.inject({ method: 'GET', url: `/api/children/${w.child}/entries?agency=${w.la}`, headers: callers['token:police'].headers })).json();
    expect(asked.entries.every((e: { author: { agency_id: string } }) => e.author.agency_id === w.police)).toBe(true);
  });

  it('a child the caller may not see answers exactly as a child that does not exist', async () => {
    const hidden = await app.inject({ method: 'GET', url: `/api/children/${w.child}/entries`, headers: callers.no_relationship.headers });
    const missing = await app.inject({ method: 'GET', url: `/api/children/${randomUUID()}/entries`, headers: callers.no_relationship.headers });
    expect({ ...hidden.json(), instance: undefined }).toEqual({ ...missing.json(), instance: undefined });
  });

  it('a referral about a child who has a record, or an entry written under emergency access, gives no lasting sight of it', async () => {
    // The matrix above already had these callers write; authorship earned that way must not count.
    for (const who of ['no_relationship', 'role:gp', 'role:auditor']) expectProblem(await app.inject({ method: 'GET', url: `/api/children/${w.child}/entries`, headers: callers[who].headers }), 404);
    const later = new Date(Date.now() + 5 * hour);
    const rels = await s.database.db.transaction().execute(async (tx) => {
      const { relationshipsOf } = await import('../../src/access/store.js');
      return relationshipsOf(tx, callers.emergency_active.id, w.child, later);
    });
    expect(rels).toEqual([]);
  });

  it('allocation, membership and emergency access count only while they last', async () => {
    const p = await practitioner(s, { key: 'future', agency: w.la, role: 'social_worker' });
    const h = await bearer(app, p.email);
    await allocate(s.database.db, w.child, p.id, w.otherTeam, null, new Date(Date.now() + 24 * hour));
    expectProblem(await app.inject({ method: 'GET', url: `/api/children/${w.child}/entries`, headers: h }), 404);
  });
});
