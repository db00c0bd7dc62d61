import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { factEntries, lookBackFrom } from '../../src/signals/facts-store.js';
import { onPostgres } from '../support/db.js';
import { processWorld, type Answer, type Body, type ProcessWorld } from '../process/steps-support.js';

/**
 * Alerts about the adults around a child (issue 6, R6 and R11): recording the link itself (a
 * relationship, or an address shared with the child) raises the alert in the same transaction and
 * tells the people alerted; it is not left until an entry names the adult.
 */
let pw: ProcessWorld;
const db = () => pw.s.database.db;

beforeAll(async () => {
  pw = await processWorld();
});
afterAll(async () => pw.close());

const ok = (res: Answer) => {
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const alertsOf = async (child: string) => (await pw.call('GET', `/api/children/${child}/alerts`, 'worker')).body as Answer['body'][];
const notices = async (who: string, child: string) =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM notifications WHERE recipient_id = ${who} AND kind = 'alert_raised' AND child_id = ${child}`.execute(db())).rows[0].n;
const adult = async (given_name: string, extra: Body = {}) =>
  ok(await pw.call('POST', '/api/adults', 'worker', { given_name, family_name: 'Unchecked', sex: 'male', ...extra })).id as string;
const allChecks = (person: string): Body => ({
  kind: 'adult_check', occurred_at: '2026-02-01T10:00:00Z', narrative: 'Checks completed on the adult.',
  data: { person_id: person, checks: ['identity', 'police', 'csc_history', 'probation'], concerns_found: false },
});

/** The worker and manager were each told once, the hv not at all. */
async function expectTold(child: string) {
  for (const who of ['worker', 'manager']) expect(await notices(pw.w.actors[who].id, child)).toBe(1);
  expect(await notices(pw.w.actors.hv.id, child)).toBe(0);
}

describe(`R6 raised when an adult is linked to the child (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('a lodger recorded as someone new raises R6 in that transaction and tells the worker and manager', async () => {
    const child = await pw.child();
    const member = ok(await pw.call('POST', `/api/children/${child}/people`, 'worker', {
      person: { given_name: 'Lee', family_name: 'Lodger', sex: 'male' },
      relationship: { kind: 'lodger', lives_with_child: true, valid_from: '2026-01-05' },
    }));
    const [a] = await alertsOf(child);
    expect(a).toMatchObject({ rule_id: 'R6', severity: 'high', status: 'open' });
    expect(a.reason).toContain('Lee Lodger is recorded as lodger living with the child');
    expect(a.alerted.map((p: { practitioner_id: string }) => p.practitioner_id).sort()).toEqual([pw.w.actors.worker.id, pw.w.actors.manager.id].sort());
    await expectTold(child);
    const [newest] = (await pw.call('GET', `/api/children/${child}/entries`, 'worker')).body.entries;
    expect(newest).toMatchObject({ kind: 'alert', data: { action: 'raised', alert_id: a.id, rule_id: 'R6', pattern_key: `adult:${member.person.id}` } });
  });

  it('a partner of a carer linked by a relationship raises R6 once; a second link to them adds nothing', async () => {
    const child = await pw.child();
    const partner = await adult('Dan');
    ok(await pw.call('POST', `/api/children/${child}/relationships`, 'worker', { other_person_id: partner, kind: 'partner_of_carer', valid_from: '2026-01-05' }));
    const alerts = await alertsOf(child);
    expect(alerts.map((a) => `${a.rule_id} ${a.status}`)).toEqual(['R6 open']);
    expect(alerts[0].reason).toContain('Dan Unchecked is recorded as partner of carer');
    await expectTold(child);
    ok(await pw.call('POST', `/api/children/${child}/relationships`, 'worker', { other_person_id: partner, kind: 'visitor', valid_from: '2026-01-06' }));
    expect((await alertsOf(child)).length).toBe(1);
    await expectTold(child);
  });

  it('raises nothing when every check on the adult is recorded before the link, nor for a parent', async () => {
    const child = await pw.child();
    const checked = await adult('Carl');
    ok(await pw.call('POST', `/api/children/${child}/entries`, 'worker', allChecks(checked)));
    ok(await pw.call('POST', `/api/children/${child}/relationships`, 'worker', { other_person_id: checked, kind: 'lodger', lives_with_child: true, valid_from: '2026-01-05' }));
    const mother = await adult('Mary', { sex: 'female' });
    ok(await pw.call('POST', `/api/children/${child}/relationships`, 'worker', { other_person_id: mother, kind: 'parent', lives_with_child: true, valid_from: '2026-01-05' }));
    expect(await alertsOf(child)).toEqual([]);
    expect(await notices(pw.w.actors.worker.id, child)).toBe(0);
  });

  it('the child’s new address, where an unrecorded adult already lives, raises R6 for them', async () => {
    const child = await pw.child();
    const address = { line1: '12 Mill Lane', town: 'Northmoor', postcode: 'NM1 2AB' };
    const other = await adult('Sam', { address: { ...address, valid_from: '2026-01-01' } });
    await adult('Far', { address: { line1: '9 Other Road', postcode: 'NM9 9ZZ', valid_from: '2026-01-01' } });
    ok(await pw.call('POST', `/api/children/${child}/addresses`, 'worker', { ...address, line1: '12 MILL LANE', valid_from: '2026-11-01' }));
    const alerts = await alertsOf(child);
    expect(alerts.map((a) => a.rule_id)).toEqual(['R6']);
    expect(alerts[0].reason).toContain('Sam Unchecked is living at the child’s address since 2026-01-01, but not recorded in the household');
    const [newest] = (await pw.call('GET', `/api/children/${child}/entries`, 'worker')).body.entries;
    expect(newest.data.pattern_key).toBe(`adult:${other}`);
    await expectTold(child);
  });

  it('an address refused as invalid raises nothing (nothing half-written)', async () => {
    const child = await pw.child();
    await adult('Ray', { address: { line1: '3 Quay Street', postcode: 'NM3 3QQ', valid_from: '2026-01-01' } });
    ok(await pw.call('POST', `/api/children/${child}/addresses`, 'worker', { line1: '1 First Street', postcode: 'NM1 1AA', valid_from: '2026-11-01' }));
    const res = await pw.call('POST', `/api/children/${child}/addresses`, 'worker', { line1: '3 Quay Street', postcode: 'NM3 3QQ', valid_from: '2026-10-01' });
    expect(res.status).toBe(422);
    expect(await alertsOf(child)).toEqual([]);
  });
});

describe('the facts loaded on an append are what the rules can look at', () => {
  const attendance = (at: string): Body => ({ kind: 'hospital_attendance', occurred_at: at, narrative: 'Brought in by mother.', data: { hospital: 'Northmoor General', department: 'emergency_department', presenting_complaint: 'Fall' } });
  const visit = (at: string, alone: boolean): Body => ({ kind: 'home_visit', occurred_at: at, narrative: 'Visited.', data: { child_seen: true, child_seen_alone: alone } });
  const DAY = 86_400_000;

  it('leaves out old entries only windowed rules read, keeps the kinds read whatever their age, and a backdated entry brings its window in', async () => {
    const child = await pw.child();
    const lodger = await adult('Old');
    ok(await pw.call('POST', `/api/children/${child}/entries`, 'worker', attendance('2026-11-01T10:00:00Z')));
    const now = new Date();
    // The window (R4's 365 days, and two) runs back from the oldest entry just recorded (the new attendance, or the child's first).
    const from = await db().transaction().execute((tx) => lookBackFrom(tx, child, now));
    expect(from.getTime()).toBeLessThanOrEqual(Date.parse('2026-11-01T10:00:00Z') - 367 * DAY);
    expect(from.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-01-10T10:00:00Z') - 367 * DAY);
    for (const e of [attendance('2021-03-01T10:00:00Z'), visit('2021-03-02T10:00:00Z', false), visit('2021-03-03T10:00:00Z', true),
      { ...allChecks(lodger), occurred_at: '2021-03-04T10:00:00Z' },
      { kind: 'injury', occurred_at: '2021-03-05T10:00:00Z', narrative: 'Graze.', data: { body_locations: ['lower_leg'], injury_type: 'cut_or_abrasion', explanation_consistent: 'yes' } }]) {
      ok(await pw.call('POST', `/api/children/${child}/entries`, 'worker', e));
    }
    const kinds = async (since: Date) =>
      (await db().transaction().execute((tx) => factEntries(tx, child, since))).map((e) => `${e.kind} ${e.occurred_at.toISOString().slice(0, 4)}`);
    expect(await kinds(from)).toEqual(['hospital_attendance 2026', 'home_visit 2021', 'adult_check 2021', 'injury 2021']);
    // The backdated entries just recorded move the window back with them, so their own windows are all there.
    const backdated = await db().transaction().execute((tx) => lookBackFrom(tx, child, now));
    expect(backdated.toISOString()).toBe(new Date(Date.parse('2021-03-01T10:00:00Z') - 367 * DAY).toISOString());
    expect(await kinds(backdated)).toHaveLength(6);
  });
});
