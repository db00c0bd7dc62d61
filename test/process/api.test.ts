import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { buildApp, type Services } from '../../src/app.js';
import { createApiToken } from '../../src/auth/store.js';
import { testServices } from '../support/db.js';
import { world, type World } from '../support/fixtures.js';
import { bearer, expectProblem } from '../access/support.js';

let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
let worker: Record<string, string>;
let police: Record<string, string>;
beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  worker = await bearer(app, w.emails.worker);
  police = await bearer(app, w.emails.police);
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const get = (url: string, headers: Record<string, string> = worker) => app.inject({ method: 'GET', url, headers });

describe('GET /api/process/rules', () => {
  it('lists a jurisdiction’s rules with their source and effective date, to any signed-in practitioner', async () => {
    const res = await get('/api/process/rules?jurisdiction=wales', police);
    expect(res.statusCode).toBe(200);
    const rules = res.json() as { code: string; jurisdiction: string; source: string; effective_from: string; status: string }[];
    expect(rules.map((r) => r.code)).toEqual(['T6', 'T8', 'T9', 'W1', 'EP1', 'EP2', 'EP3', 'CP1', 'CP2', 'AH1', 'AH2', 'AM1', 'AM2', 'AU1', 'AU2', 'E1', 'E2', 'E3', 'E4', 'EU1', 'EU2', 'EU3', 'EU4', 'LPM', 'WB1', 'WB2']);
    expect(rules[3]).toMatchObject({ code: 'W1', jurisdiction: 'wales', amount: 42, unit: 'working_days', status: 'verified', effective_from: '2024-01-01', source: expect.stringContaining('42 working days') });
    const england = ((await get('/api/process/rules')).json() as { code: string }[]).map((r) => r.code);
    expect(england).toContain('T2');
    // T12 (migration 0027, England): the first visit in a placement, then each next visit.
    expect(england.filter((c) => c === 'T12')).toHaveLength(2);
  });
  it('answers 400 for an unknown jurisdiction, 401 without credentials and 403 to an agency system', async () => {
    expect((await get('/api/process/rules?jurisdiction=scotland')).statusCode).toBe(400);
    expectProblem(await app.inject({ method: 'GET', url: '/api/process/rules' }), 401);
    const token = await createApiToken(s.database.db, { id: randomUUID(), agencyId: w.police, name: 'Police system', entryKinds: ['police_notification'], createdBy: w.actors.admin.id });
    expectProblem(await get('/api/process/rules', { authorization: `Bearer ${token}` }), 403);
  });
});

describe('API documentation', () => {
  it('documents both read-only endpoints under the process tag', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const p of ['/api/process/rules', '/api/process/due']) expect(doc.paths[p]?.get?.tags, p).toEqual(['process']);
    expect(doc.paths['/api/process/due'].get.parameters.map((x: { name: string }) => x.name).sort()).toEqual(['event', 'jurisdiction', 'locality', 'rule', 'start']);
  });
});

describe('GET /api/process/due', () => {
  it('gives the due date, the convention, where counting started and the bank holidays on the way', async () => {
    const res = await get('/api/process/due?rule=t1&start=2026-12-24');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      due: '2026-12-29', start: '2026-12-24', amount: 1, unit: 'working_days', convention: 'working-days:t0-is-day-0', counted_from: '2026-12-24',
      holidays_passed: [{ date: '2026-12-25', name: 'Christmas Day' }, { date: '2026-12-28', name: 'Boxing Day (substitute day)' }],
      rule: { code: 'T1', jurisdiction: 'england', locality: null, source: expect.stringContaining('[secondary S8,S10]') },
    });
  });
  it('gives an exact instant for hours, with the UK offset', async () => {
    const res = await get(`/api/process/due?rule=EP1&start=${encodeURIComponent('2026-03-27T18:00:00Z')}`);
    expect(res.json()).toMatchObject({ due: '2026-03-30T19:00:00+01:00', start: '2026-03-27T18:00:00+00:00', unit: 'hours', convention: 'hours' });
  });
  it('takes the jurisdiction from the locality', async () => {
    const res = await get(`/api/process/due?rule=T2&start=2026-01-05&locality=${w.la}`);
    expect(res.json()).toMatchObject({ due: '2026-03-09', rule: { jurisdiction: 'england' } });
    const clash = await get(`/api/process/due?rule=T2&start=2026-01-05&locality=${w.la}&jurisdiction=wales`);
    expectProblem(clash, 422);
    expect(clash.json().errors).toEqual([{ path: 'jurisdiction', message: 'Northmoor Council follows the england rules' }]);
    expectProblem(await get(`/api/process/due?rule=T2&start=2026-01-05&locality=${w.police}`), 422);
  });
  it('answers problem+json for a rule that does not exist, a date that is not one, or an hours rule without a time', async () => {
    const none = await get('/api/process/due?rule=T2&start=2026-01-05&jurisdiction=wales');
    expectProblem(none, 404);
    expect(none.json().detail).toBe('There is no rule T2 in force in wales on 2026-01-05.');
    expectProblem(await get('/api/process/due?rule=T2&start=2026-02-30'), 422);
    expectProblem(await get('/api/process/due?rule=T2&start=2030-01-07'), 422);
    const noTime = await get('/api/process/due?rule=EP1&start=2026-03-27');
    expectProblem(noTime, 422);
    expect(noTime.json().errors[0].path).toBe('start');
    expectProblem(await get('/api/process/due?rule=T-2&start=2026-01-05'), 400);
  });
});
