import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src/app.js';
import { buildApp } from '../../src/app.js';
import { createPractitioner, createTeam } from '../../src/agencies/store.js';
import { testServices } from '../support/db.js';
import { PASSWORD, newChild, world, type World } from '../support/fixtures.js';
import { allocate } from '../../src/people/store.js';

/** A local authority's front-door team sees children nobody is allocated to yet, and only those. */
let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
let screener: string;
let policeScreener: string;

const bearer = async (email: string) =>
  `Bearer ${(await app.inject({ method: 'POST', url: '/api/auth/token', payload: { email, password: PASSWORD } })).json().token}`;

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  const mash = await createTeam(s.database.db, w.la, 'Front Door', true);
  await createPractitioner(s.database.db, { agency_id: w.la, team_id: mash, email: 'screener@example.test', display_name: 'Test screener', role: 'social_worker', qualified_social_worker: true, password: PASSWORD });
  const policeTeam = await createTeam(s.database.db, w.police, 'Police screening', true);
  await createPractitioner(s.database.db, { agency_id: w.police, team_id: policeTeam, email: 'pscreener@example.test', display_name: 'Test police screener', role: 'police_officer', qualified_social_worker: false, password: PASSWORD });
  screener = await bearer('screener@example.test');
  policeScreener = await bearer('pscreener@example.test');
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const chronology = (childId: string, auth: string) => app.inject({ method: 'GET', url: `/api/children/${childId}/entries`, headers: { authorization: auth } });

describe('front-door screening team', () => {
  it('reaches an unallocated child, and records the basis in the audit row', async () => {
    const child = await newChild(s, { nhs_number: '9990000026' });
    const res = await chronology(child, screener);
    expect(res.statusCode).toBe(200);
    expect(res.json().basis).toBe('screening_team');
  });

  it('loses sight of the child once someone is allocated', async () => {
    const child = await newChild(s, { nhs_number: '9990000034' });
    expect((await chronology(child, screener)).statusCode).toBe(200);
    await allocate(s.database.db, child, w.actors.worker.id, w.team, null);
    expect((await chronology(child, screener)).statusCode).toBe(404);
  });

  it('is a local-authority role: a screening team in another agency reaches nothing', async () => {
    const child = await newChild(s, { nhs_number: '9990000042' });
    expect((await chronology(child, policeScreener)).statusCode).toBe(404);
  });

  it('only a local authority can have one', async () => {
    const admin = await bearer(w.emails.admin);
    const bad = await app.inject({ method: 'POST', url: `/api/agencies/${w.school}/teams`, headers: { authorization: admin }, payload: { name: 'School screening', screening: true } });
    expect(bad.statusCode).toBe(422);
    const ok = await app.inject({ method: 'POST', url: `/api/agencies/${w.la}/teams`, headers: { authorization: admin }, payload: { name: 'MASH', screening: true } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().screening).toBe(true);
  });
});
