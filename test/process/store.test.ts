import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Services } from '../../src/app.js';
import { createAgency, createPractitioner } from '../../src/agencies/store.js';
import { ProcessRules } from '../../src/process/service.js';
import { insertRule, loadCalendar, loadRules } from '../../src/process/rules-store.js';
import type { Actor } from '../../src/access/actor.js';
import { onPostgres, testServices } from '../support/db.js';
import { world, type World } from '../support/fixtures.js';
import { HOLIDAYS, SUBSTITUTES } from './calendar-data.js';

let s: Services;
let w: World;
let rules: ProcessRules;
// Rules are added "today"; a fixed clock keeps the effective-date checks independent of the real date.
const TODAY = new Date('2026-03-15T12:00:00Z');
beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  rules = new ProcessRules(s.database.db, () => TODAY);
});
afterAll(() => s.database.close());

const ruleCount = async () => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM timescale_rules`.execute(s.database.db)).rows[0].n);

describe(`migration 0010 (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('holds the England and Wales bank holidays of spec §8.2, substitute days named, 2028 marked unverified', async () => {
    const cal = await loadCalendar(s.database.db, 'england');
    expect(cal).toMatchObject({ code: 'england-and-wales', weekend: [6, 7], coversFrom: '2024-01-01', coversTo: '2028-12-31' });
    expect(cal.holidays.map((h) => h.date)).toEqual(HOLIDAYS.map((h) => h.date));
    for (const h of cal.holidays) {
      const name = HOLIDAYS.find((x) => x.date === h.date)!.name;
      expect(h.name).toBe(SUBSTITUTES.includes(h.date) ? `${name} (substitute day)` : name);
      expect(h.source).toMatch(h.date >= '2028' ? /Expected.*\[unverified\]/ : /\[verified S30\]/);
    }
    expect(await loadCalendar(s.database.db, 'wales')).toEqual(cal);
  });

  it('seeds England’s and Wales’s national rule sets', async () => {
    // Local practice for disagreements (migration 0019), concerns about a service (0018) and alerts (0024), the same in both jurisdictions.
    const localPractice = [
      // Alerts from the red-flag rules (migration 0024).
      'AH1 1 working_days working-days:t0-is-day-0 local', 'AH2 1 working_days working-days:t0-is-day-0 local',
      'AM1 3 working_days working-days:t0-is-day-0 local', 'AM2 3 working_days working-days:t0-is-day-0 local', 'AU1 4 hours hours local', 'AU2 4 hours hours local',
      'E1 2 working_days working-days:t0-is-day-0 local', 'E2 5 working_days working-days:t0-is-day-0 local',
      'E3 2 working_days working-days:t0-is-day-0 local', 'E4 10 working_days working-days:t0-is-day-0 local',
      'EU1 4 hours hours local', 'EU2 4 hours hours local', 'EU3 4 hours hours local', 'EU4 8 hours hours local',
      'LPM 10 working_days working-days:t0-is-day-0 local',
      'WB1 2 working_days working-days:t0-is-day-0 local', 'WB2 10 working_days working-days:t0-is-day-0 local',
    ];
    const shape = async (j: 'england' | 'wales') =>
      (await rules.rules(j)).map((r) => `${r.code} ${r.amount} ${r.unit} ${r.convention}${r.local_practice ? ' local' : ''}`);
    expect(await shape('england')).toEqual([
      'T1 1 working_days working-days:t0-is-day-0', 'T2 45 working_days working-days:t0-is-day-0',
      'T5 15 working_days working-days:t0-is-day-0', 'T6 10 working_days working-days:t0-is-day-0',
      'T8 3 months calendar', 'T9 6 months calendar', 'T11 10 working_days working-days:t0-is-day-0 local',
      'T12 6 weeks calendar', 'T12 1 weeks calendar', 'T13 3 months calendar local',
      'EP1 72 hours hours', 'EP2 8 calendar_days calendar:beginning-with', 'EP3 7 calendar_days calendar',
      'CP1 26 weeks calendar:beginning-with', 'CP2 8 weeks calendar',
      ...localPractice,
    ]);
    expect(await shape('wales')).toEqual([
      'T6 10 working_days working-days:t0-is-day-0', 'T8 3 months calendar', 'T9 6 months calendar', 'W1 42 working_days working-days:t0-is-day-0',
      'EP1 72 hours hours', 'EP2 8 calendar_days calendar:beginning-with', 'EP3 7 calendar_days calendar',
      'CP1 26 weeks calendar:beginning-with', 'CP2 8 weeks calendar',
      ...localPractice,
    ]);
    for (const r of await loadRules(s.database.db, 'england')) {
      expect(r).toMatchObject({ locality: null, effective_from: '2024-01-01' });
      // Each cites the spec's section ("spec §5", or "the spec (§5)").
      expect(r.source).toMatch(/spec\b.*§\d/);
    }
  });

  it('refuses to change or delete a rule row (versions are added, never rewritten)', async () => {
    await expect(sql`UPDATE timescale_rules SET amount = 99 WHERE code = 'T2'`.execute(s.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM timescale_rules WHERE code = 'T2'`.execute(s.database.db)).rejects.toThrow(/append-only/);
  });
});

describe('due dates from the seeded rules (worked by hand in due-dates.test.ts)', () => {
  it.each([
    ['england', 'T1', '2026-12-24', '2026-12-29'],
    ['england', 'T2', '2026-04-01', '2026-06-09'],
    ['england', 'T5', '2027-12-17', '2028-01-12'],
    ['england', 'T6', '2027-03-24', '2027-04-09'],
    ['england', 'T8', '2026-11-30', '2027-02-28'],
    ['england', 'T9', '2026-03-31', '2026-09-30'],
    ['england', 'T11', '2026-08-21', '2026-09-07'],
    ['england', 'T13', '2027-11-30', '2028-02-29'],
    ['england', 'EP1', '2026-03-27T18:00', '2026-03-30T19:00:00+01:00'],
    ['england', 'EP2', '2026-03-27', '2026-04-03'],
    ['england', 'EP3', '2026-04-03', '2026-04-10'],
    ['england', 'CP1', '2026-01-05', '2026-07-05'],
    ['england', 'CP2', '2026-07-05', '2026-08-30'],
    ['wales', 'W1', '2026-08-03', '2026-10-01'],
    ['wales', 'T6', '2027-03-24', '2027-04-09'],
    ['wales', 'EP1', '2026-10-23T18:00', '2026-10-26T17:00:00+00:00'],
  ] as const)('%s %s from %s → %s', async (jurisdiction, rule, start, due) => {
    const d = await rules.due({ rule, start, jurisdiction });
    expect(d.due).toBe(due);
    expect(d.rule).toMatchObject({ code: rule, jurisdiction, locality: null });
  });

  it('has no England-only rule in Wales', async () => {
    await expect(rules.due({ rule: 'T2', start: '2026-01-05', jurisdiction: 'wales' })).rejects.toMatchObject({ status: 404 });
  });

  it('a later national version leaves due dates for earlier triggers as they were', async () => {
    const { id: _id, recorded_at: _at, ...t2 } = (await loadRules(s.database.db, 'england')).find((r) => r.code === 'T2')!;
    await insertRule(s.database.db, { ...t2, amount: 40, effective_from: '2027-01-04' }, null);
    // Thu 31 Dec 2026: 45 working days (1 Jan 2027 off) → Fri 5 Mar 2027, as before the change.
    expect((await rules.due({ rule: 'T2', start: '2026-12-31' })).due).toBe('2027-03-05');
    // Mon 4 Jan 2027: the new 40 working days (8 weeks) → Mon 1 Mar 2027.
    expect(await rules.due({ rule: 'T2', start: '2027-01-04' })).toMatchObject({ due: '2027-03-01', amount: 40 });
  });
});

describe('a local authority’s own timescale', () => {
  const t11 = { code: 'T11', amount: 20, unit: 'calendar_days', convention: 'calendar', source: 'Northmoor LSCP procedures 2026, 4.3: visits at least every 20 days', effective_from: '2026-04-01' } as const;
  const admin = () => w.actors.admin;

  it('is added by the authority’s administrator, audited, and applies to its triggers from its date', async () => {
    const rule = await rules.addLocalOverride(admin(), { ...t11, locality: w.la });
    expect(rule).toMatchObject({ code: 'T11', locality: w.la, status: 'local', step: 'Child protection visit by the lead social worker, child seen alone', trigger_event: 'cp_plan_started' });
    const audit = await s.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'add_timescale_override').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_practitioner_id: admin().id, child_id: null, detail: { rule_id: rule.id, code: 'T11', locality: w.la } });
    // Before its date the national 10 working days still apply (Tue 31 Mar 2026 → Thu 16 Apr, over Easter).
    expect(await rules.due({ rule: 'T11', start: '2026-03-31', locality: w.la })).toMatchObject({ due: '2026-04-16', rule: { locality: null } });
    expect(await rules.due({ rule: 'T11', start: '2026-04-01', locality: w.la })).toMatchObject({ due: '2026-04-21', convention: 'calendar', rule: { id: rule.id } });
    // Without the locality, the national rule: Wed 1 Apr + 10 working days over Easter → Fri 17 Apr.
    expect(await rules.due({ rule: 'T11', start: '2026-04-01' })).toMatchObject({ due: '2026-04-17', rule: { locality: null } });
  });

  it('is refused, with nothing written, when it breaks a rule', async () => {
    const before = await ruleCount();
    const otherLa = await createAgency(s.database.db, { kind: 'local_authority', name: 'Southvale Council', code: 'SVC', jurisdiction: 'england' });
    const otherAdminId = await createPractitioner(s.database.db, { agency_id: otherLa, email: 'sv-admin@example.test', display_name: 'Test sv-admin', role: 'administrator', qualified_social_worker: false, password: 'not used here' });
    const otherAdmin: Actor = { ...admin(), id: otherAdminId, agencyId: otherLa };
    const attempts: [Actor, object, number, RegExp][] = [
      [w.actors.worker, { ...t11, locality: w.la }, 403, /administrator/],
      [otherAdmin, { ...t11, locality: w.la }, 403, /Northmoor Council/],
      [admin(), { ...t11, locality: w.police }, 422, /not a local authority/],
      [admin(), { ...t11, locality: w.la, effective_from: '2026-03-14' }, 422, /cannot start before today/],
      [admin(), { ...t11, locality: w.la, code: 'T2' }, 422, /set nationally/],
      [admin(), { ...t11, locality: w.la, code: 'T99' }, 422, /no england rule T99/],
      [admin(), { ...t11, locality: w.la, convention: 'working-days:t0-is-day-0' }, 422, /counted with calendar/],
      [admin(), { ...t11, locality: w.la }, 409, /already has its own T11 from 2026-04-01/],
    ];
    for (const [actor, input, status, message] of attempts) {
      const e = await rules.addLocalOverride(actor, input as never).then(() => null, (err: unknown) => err);
      expect(e, JSON.stringify(input)).toMatchObject({ status, message: expect.stringMatching(message) });
    }
    expect(await ruleCount()).toBe(before);
    // Today itself is allowed.
    await rules.addLocalOverride(otherAdmin, { ...t11, locality: otherLa, effective_from: '2026-03-15' });
    expect(await ruleCount()).toBe(before + 1);
  });
});
