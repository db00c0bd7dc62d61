import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { recordAll } from '../process/steps-support.js';
import { stepsFor } from '../process/step-builders.js';
import { expectProblem } from '../access/support.js';
import { rulesOf, signalsWorld, type SignalsWorld } from './rules-support.js';

let sw: SignalsWorld;
let baby: string;
let older: string;
beforeAll(async () => {
  sw = await signalsWorld();
  baby = await sw.child({ given_name: 'Bea', family_name: 'Trial', date_of_birth: '2025-09-10' });
  await sw.entry(baby, 'hv', bruise('2026-02-12T10:00:00Z'));
  older = await sw.child({ given_name: 'Olly', family_name: 'Trial', date_of_birth: '2025-06-01' });
  await sw.entry(older, 'hv', bruise('2026-02-12T10:00:00Z', { child_mobile: true }));
});
afterAll(() => sw.close());

function bruise(at: string, data: Record<string, unknown> = {}) {
  return { kind: 'injury', occurred_at: at, narrative: 'Bruise on the thigh.', data: { body_locations: ['thigh'], injury_type: 'bruise', explanation_consistent: 'yes', ...data } };
}
const post = (url: string, payload: object, who = 'admin', headers: Record<string, string> = {}) =>
  sw.auth(who).then((auth) => sw.app.inject({ method: 'POST', url, payload, headers: { ...auth, ...headers } }));

describe('GET /api/signals/rules', () => {
  it('lists R1–R11 with what each looks for, its source, parameters, severity and who is alerted', async () => {
    const res = await sw.call('GET', '/api/signals/rules', 'worker');
    expect(res.status).toBe(200);
    expect(res.body.map((r: { rule_id: string }) => r.rule_id)).toEqual(['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R9', 'R10', 'R11']);
    expect(res.body[3]).toMatchObject({
      rule_id: 'R4', severity: 'high', recipients: ['allocated_worker', 'manager'], enabled: true, local: false, status: 'unverified',
      parameters: { attendances: 3, window_days: 365 }, local_parameters: expect.arrayContaining(['attendances', 'window_days']),
    });
    expect(res.body[3].description).toContain('unverified');
  });
});

describe('POST /api/signals/rules/:id/trial', () => {
  it('replays the authority’s children through the rule: what it would raise, at which entry, and why; audited once naming the children', async () => {
    const res = await post('/api/signals/rules/R1/trial', {});
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.hits).toEqual([{
      rule_id: 'R1', child_name: 'Bea Trial', at: '2026-02-12T10:00:00.000Z', kind: 'injury', agency: 'Northmoor NHS Trust', reason: expect.stringContaining('aged 5 months'), first: true,
    }]);
    expect(body.current_hits).toBe(1);
    expect(body.children_read).toBeGreaterThanOrEqual(2);
    const audit = await sql<{ detail: { rule_id: string; children: string[] } }>`SELECT detail FROM audit_events WHERE action = 'signal_rule_trial'`.execute(sw.s.database.db);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].detail.children).toEqual(expect.arrayContaining([baby, older]));
  });

  it('shows what a changed parameter would raise, beside the count the rule in force gives', async () => {
    const res = await post('/api/signals/rules/R1/trial', { parameters: { infant_months: 9 } });
    expect(res.json().hits.map((h: { child_name: string }) => h.child_name).sort()).toEqual(['Bea Trial', 'Olly Trial']);
    expect(res.json()).toMatchObject({ current_hits: 1, rule: { parameters: { infant_months: 9 }, local: true } });
    const off = await post('/api/signals/rules/R1/trial', { enabled: false });
    expect(off.json().hits).toEqual([]);
  });

  it('lists an absence once, at the point the replay first finds it', async () => {
    const child = await sw.child({ given_name: 'Rae', family_name: 'Overdue' });
    await recordAll(sw, child, [stepsFor(sw.w).referral('2026-03-02')]);
    const hits = (await post('/api/signals/rules/R9/trial', {})).json().hits.filter((h: { child_name: string }) => h.child_name === 'Rae Overdue');
    // The decision (T1) went overdue first; the assessment (T2, 45 working days) later: each listed once, though every later step looks again.
    expect(hits.map((h: { reason: string }) => /\((T\d)\)/.exec(h.reason)?.[1])).toEqual(['T1', 'T2']);
    expect(hits[0]).toMatchObject({ kind: 'schedule', agency: null, reason: expect.stringContaining('(T1) was due by 3 March 2026'), first: true });
  });

  it('refuses parameters that do not fit the rule (409) and anyone but an administrator (403)', async () => {
    expectProblem(await post('/api/signals/rules/R1/trial', { parameters: { infant_months: 'six' } }), 409);
    const unknown = await post('/api/signals/rules/R4/trial', { parameters: { attendence: 2 } });
    expectProblem(unknown, 409);
    expect(unknown.body).toContain('parameters.attendence');
    expectProblem(await post('/api/signals/rules/R1/trial', {}, 'worker'), 403);
    expectProblem(await post('/api/signals/rules/R99/trial', {}), 404);
    expectProblem(await post('/api/signals/rules/R1/trial', { severity: 'extreme' }), 400);
  });
});

describe('POST /api/signals/rules/:id/versions', () => {
  it('puts the change in force for the authority from now, so the rule fires where it did not', async () => {
    const before = await sw.child({ date_of_birth: '2025-06-01' });
    const eight = await sw.entry(before, 'hv', bruise('2026-02-12T10:00:00Z', { child_mobile: true }));
    expect(rulesOf(await sw.onEntry(before, eight))).not.toContain('R1');
    const res = await post('/api/signals/rules/R1/versions', { parameters: { infant_months: 9 }, reason: 'Our NIM protocol covers babies up to 9 months.' }, 'admin', { 'idempotency-key': 'r1-nine-months' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ rule_id: 'R1', local: true, parameters: { infant_months: 9 }, change_reason: 'Our NIM protocol covers babies up to 9 months.' });
    const again = await post('/api/signals/rules/R1/versions', { parameters: { infant_months: 9 }, reason: 'Our NIM protocol covers babies up to 9 months.' }, 'admin', { 'idempotency-key': 'r1-nine-months' });
    expect(again.headers['idempotent-replayed']).toBe('true');
    const hits = (await sw.onEntry(before, eight)).filter((h) => h.rule_id === 'R1');
    expect(hits).toHaveLength(1);
    expect(hits[0].rule_version_id).toBe(res.json().version_id);
    const shown = await sw.call('GET', '/api/signals/rules/R1', 'worker');
    expect(shown.body.rule.version_id).toBe(res.json().version_id);
    expect(shown.body.versions).toHaveLength(2);
  });

  it('refuses bad parameters with 409 and a missing reason with 400, writing nothing', async () => {
    const count = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM signal_rules`.execute(sw.s.database.db)).rows[0].n);
    const n = await count();
    expectProblem(await post('/api/signals/rules/R4/versions', { parameters: { attendances: 0 }, reason: 'Every attendance should alert.' }), 409);
    expectProblem(await post('/api/signals/rules/R4/versions', { parameters: { attendances: 2 } }), 400);
    expectProblem(await post('/api/signals/rules/R4/versions', { parameters: { attendances: 2 }, reason: 'Two is enough here.' }, 'worker'), 403);
    expect(await count()).toBe(n);
  });

  it('keeps the versions as they were: rows cannot be changed or deleted', async () => {
    await expect(sql`UPDATE signal_rules SET enabled = false`.execute(sw.s.database.db)).rejects.toThrow();
    await expect(sql`DELETE FROM signal_rules`.execute(sw.s.database.db)).rejects.toThrow();
  });
});
