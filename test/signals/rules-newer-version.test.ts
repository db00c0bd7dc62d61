import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgency, createPractitioner } from '../../src/agencies/store.js';
import { insertSignalRule, loadSignalRules } from '../../src/signals/rules-store.js';
import type { SignalRule } from '../../src/signals/rules.js';
import type { Hit } from '../../src/signals/hit.js';
import { PASSWORD } from '../support/fixtures.js';
import { recordAll } from '../process/steps-support.js';
import { stepsFor, type Steps } from '../process/step-builders.js';
import { Browser, textOf } from '../web/session.js';
import { signalsWorld, type SignalsWorld } from './rules-support.js';

let sw: SignalsWorld;
let b: Steps;
beforeAll(async () => { sw = await signalsWorld(); b = stepsFor(sw.w); });
afterAll(() => sw.close());

const BABY_PARAMS = ['baby_under_months', 'baby_seen_awake_undressed_days'];
const OLD_PARAMS = { visit_codes: ['T11'], seen_alone_days: 21, seen_alone_from_years: 2 };

/**
 * An authority's own R8 saved in June 2026 from the 2024 default (seen alone every 21 days), before
 * migration 0026's default added the baby check: what an authority that changed R8 early has today.
 */
async function oldOwnR8(la: string): Promise<SignalRule> {
  const r8 = (await loadSignalRules(sw.s.database.db)).find((r) => r.rule_id === 'R8' && r.locality === null && !('baby_under_months' in r.parameters))!;
  const { id: _, recorded_at: __, ...row } = r8;
  return insertSignalRule(sw.s.database.db, {
    ...row, parameters: OLD_PARAMS, locality: la, jurisdiction: 'england', effective_from: new Date('2026-06-01T09:00:00Z'),
    recorded_by: null, change_reason: 'Our practice: children on a plan are seen alone every three weeks.',
  });
}

const ownR8Rows = async (la: string) => (await sql<{ id: string; parameters: Record<string, unknown> }>`
  SELECT id, parameters FROM signal_rules WHERE rule_id = 'R8' AND locality = ${la} ORDER BY effective_from`.execute(sw.s.database.db)).rows;

describe('an authority’s own R8 older than the default with the baby check, through the API', () => {
  let old: SignalRule;
  beforeAll(async () => { old = await oldOwnR8(sw.w.la); });

  it('says a newer version is available and what it adds, and what a change would start from', async () => {
    const res = await sw.call('GET', '/api/signals/rules/R8', 'admin');
    expect(res.status).toBe(200);
    expect(res.body.rule).toEqual(expect.objectContaining({ version_id: old.id, local: true, parameters: OLD_PARAMS }));
    expect(res.body.newer_version).toEqual(expect.objectContaining({
      jurisdiction: null, effective_from: '2026-11-27T00:00:00.000Z', adds: BABY_PARAMS, drops: [],
      parameters: { ...OLD_PARAMS, baby_under_months: 12, baby_seen_awake_undressed_days: null },
    }));
    expect(res.body.newer_version.local_parameters).toEqual(expect.arrayContaining(BABY_PARAMS));
    const list = await sw.call('GET', '/api/signals/rules', 'worker');
    expect(list.body.find((r: { rule_id: string }) => r.rule_id === 'R8').newer_version.adds).toEqual(BABY_PARAMS);
    expect(list.body.find((r: { rule_id: string }) => r.rule_id === 'R1').newer_version).toBeNull();
  });

  it('keeps the authority’s version in force until an administrator saves: no baby check yet', async () => {
    const child = await sw.child({ date_of_birth: '2026-06-01' });
    await recordAll(sw, child, onPlan());
    const hits = r8(await sw.onSchedule(child, new Date('2026-12-02T12:00:00Z')));
    expect(hits.map((h) => h.pattern_key.split(':')[0])).toEqual(['not-seen']);
    expect(hits[0].rule_version_id).toBe(old.id);
  });

  it('accepts the parameters the newer version added, and saves a new row with them; the old row is untouched', async () => {
    const unknown = await sw.call('POST', '/api/signals/rules/R8/trial', 'admin', { parameters: { baby_under_years: 1 } });
    expect(unknown.status).toBe(409);
    expect(unknown.body.detail).toContain('R8 has no parameter "baby_under_years"');
    const tried = await sw.call('POST', '/api/signals/rules/R8/trial', 'admin', { parameters: { baby_under_months: 24 } });
    expect(tried.status, JSON.stringify(tried.body)).toBe(200);
    expect(tried.body.rule.parameters).toEqual({ ...OLD_PARAMS, baby_under_months: 24, baby_seen_awake_undressed_days: null });

    const saved = await sw.call('POST', '/api/signals/rules/R8/versions', 'admin', { parameters: { baby_under_months: 24 }, reason: 'Take up the baby check; our babies are checked to two years.' });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body).toEqual(expect.objectContaining({
      local: true, name: 'Child on a plan not seen, not seen alone, or a baby not seen awake and undressed',
      parameters: { ...OLD_PARAMS, baby_under_months: 24, baby_seen_awake_undressed_days: null },
    }));
    expect(saved.body.local_parameters).toEqual(expect.arrayContaining(BABY_PARAMS));
    expect(await ownR8Rows(sw.w.la)).toEqual([{ id: old.id, parameters: OLD_PARAMS }, { id: saved.body.version_id, parameters: saved.body.parameters }]);
    expect((await sw.call('GET', '/api/signals/rules/R8', 'admin')).body.newer_version).toBeNull();

    // Now the baby check runs under the authority's own version, with its own 21 days kept.
    const child = await sw.child({ date_of_birth: '2026-06-01' });
    await recordAll(sw, child, onPlan());
    const at = new Date(Math.max(Date.parse('2026-12-02T12:00:00Z'), Date.parse(saved.body.effective_from) + 60_000));
    const hits = r8(await sw.onSchedule(child, at));
    expect(hits.map((h) => h.pattern_key.split(':')[0])).toContain('not-seen-awake-undressed');
    expect(new Set(hits.map((h) => h.rule_version_id))).toEqual(new Set([saved.body.version_id]));
  });
});

describe('the administrator’s page for an authority whose own R8 is older', () => {
  let admin: Browser;
  let la: string;
  beforeAll(async () => {
    const db = sw.s.database.db;
    la = await createAgency(db, { kind: 'local_authority', name: 'Eastbrook Council', code: 'EBC', jurisdiction: 'england' });
    await createPractitioner(db, { agency_id: la, email: 'admin@eastbrook.example.test', display_name: 'Eastbrook admin', role: 'administrator' as never, qualified_social_worker: false, password: PASSWORD });
    await oldOwnR8(la);
    admin = new Browser(sw.app);
    await admin.signIn('admin@eastbrook.example.test');
  });

  it('says so, and offers the new parameters at their defaults beside the authority’s values', async () => {
    const list = textOf((await admin.get('/admin/signals')).body);
    expect(list).toContain('R8: Child on a plan not seen, or not seen alone Your authority’s own version; a newer version is available');
    const page = await admin.get('/admin/signals/R8');
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('A newer version of this rule is available from the default, in force from 27 November 2026: it adds baby_under_months, baby_seen_awake_undressed_days.');
    expect(text).toContain('Your authority’s own version stays in force until you put a change in force.');
    expect(page.body).toMatch(/name="p_seen_alone_days"[^>]*value="21"/);
    expect(page.body).toMatch(/name="p_baby_under_months"[^>]*value="12"/);
    expect(text).toContain('Now: not in your authority’s version (new: 12 in the newer version)');
  });

  it('saves a new version of the authority’s own with the new parameters, the authority’s values kept', async () => {
    const form = { p_visit_codes: 'T11', p_seen_alone_days: '21', p_seen_alone_from_years: '2', p_baby_under_months: '12', p_baby_seen_awake_undressed_days: '', severity: 'high', enabled: 'yes' };
    const tried = await admin.post('/admin/signals/R8/trial', form);
    expect(tried.statusCode, textOf(tried.body).slice(0, 400)).toBe(200);
    const saved = await admin.post('/admin/signals/R8/versions', { ...form, reason: 'Take up the baby check at the default age.', _idem: '3f0c9a52-7d1e-4c55-9a0b-2e6f1d4c8a10' });
    expect(saved.statusCode, textOf(saved.body).slice(0, 400)).toBe(303);
    const rows = await ownR8Rows(la);
    expect(rows).toHaveLength(2);
    expect(rows[0].parameters).toEqual(OLD_PARAMS);
    expect(rows[1].parameters).toEqual({ ...OLD_PARAMS, baby_under_months: 12, baby_seen_awake_undressed_days: null });
    const after = textOf((await admin.get('/admin/signals/R8?done=enabled')).body);
    expect(after).toContain('The change is in force for your authority from now');
    expect(after).not.toContain('A newer version of this rule is available');
    expect(after).toContain('Now: 12');
  });
});

/** A plan from Monday 9 November 2026 (first visit, T11, due by 23 November), as in r8-baby.test.ts. */
const onPlan = () => [b.referral('2026-11-02'), b.decision('strategy_discussion', '2026-11-02'), b.strategy('2026-11-03'), b.s47Concluded('2026-11-06'), b.icpc('2026-11-09')];
const r8 = (hits: Hit[]) => hits.filter((h) => h.rule_id === 'R8');
