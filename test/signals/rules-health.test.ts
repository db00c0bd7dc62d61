import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { recordAll } from '../process/steps-support.js';
import { stepsFor, type Steps } from '../process/step-builders.js';
import { rulesOf, signalsWorld, type SignalsWorld } from './rules-support.js';

let sw: SignalsWorld;
let b: Steps;
beforeAll(async () => {
  sw = await signalsWorld();
  b = stepsFor(sw.w);
});
afterAll(() => sw.close());

const attendance = (at: string, department = 'emergency_department') => ({
  kind: 'hospital_attendance', occurred_at: at, narrative: 'Brought in by mother.', data: { hospital: 'Northmoor General', department, presenting_complaint: 'Fall' },
});
const appointment = (at: string, outcome: string, service = 'Health visiting clinic') => ({
  kind: 'health_appointment', occurred_at: at, narrative: 'Clinic appointment.', data: { service, outcome },
});
const visit = (at: string, seen: boolean, announced = true) => ({
  kind: 'home_visit', occurred_at: at, narrative: seen ? 'Child seen with mother.' : 'No answer at the door.', data: { child_seen: seen, child_seen_alone: false, announced },
});
const only = (rule: string) => async (child: string, id: string) => (await sw.onEntry(child, id)).filter((h) => h.rule_id === rule);

describe('R4: repeated unscheduled care, or any for a child on a plan', () => {
  const r4 = only('R4');
  it('fires on the third attendance within a year, with all three entries', async () => {
    const child = await sw.child({ date_of_birth: '2020-01-01' });
    const a = await sw.entry(child, 'hv', attendance('2025-06-01T10:00:00Z'));
    expect(await r4(child, a)).toEqual([]);
    const bb = await sw.entry(child, 'hv', attendance('2025-11-01T10:00:00Z', 'minor_injury_unit'));
    expect(await r4(child, bb)).toEqual([]);
    const c = await sw.entry(child, 'hv', attendance('2026-04-01T10:00:00Z', 'walk_in_centre'));
    const hits = await r4(child, c);
    expect(hits).toEqual([expect.objectContaining({ pattern_key: 'repeat-attendances', entry_ids: [a, bb, c] })]);
    expect(hits[0].reason).toContain('3 attendances in unscheduled care within 365 days');
  });

  it('stays silent on three attendances spread over 400 days, or on outpatient appointments', async () => {
    const child = await sw.child({ date_of_birth: '2020-01-01' });
    await sw.entry(child, 'hv', attendance('2025-01-01T10:00:00Z'));
    await sw.entry(child, 'hv', attendance('2025-07-01T10:00:00Z'));
    const third = await sw.entry(child, 'hv', attendance('2026-02-05T10:00:00Z'));
    expect(await r4(child, third)).toEqual([]);
    const outpatients = await sw.entry(child, 'hv', attendance('2026-02-06T10:00:00Z', 'outpatients'));
    expect(await r4(child, outpatients)).toEqual([]);
  });

  it('fires on any unscheduled-care check of a child on a child protection plan', async () => {
    const child = await sw.child({ date_of_birth: '2020-01-01', nhs_number: '9990000026' });
    await recordAll(sw, child, b.onCpPlan());
    const res = await sw.call('POST', '/api/unscheduled-care/checks', 'hv', { nhs_number: '9990000026', setting: 'emergency_department', reason: 'Burn to the hand' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const [check] = (await sql<{ id: string }>`SELECT id FROM entries WHERE child_id = ${child} AND kind = 'unscheduled_care_check'`.execute(sw.s.database.db)).rows;
    const hits = await r4(child, check.id);
    expect(hits).toEqual([expect.objectContaining({ pattern_key: 'attendance-on-plan', entry_ids: [check.id] })]);
    expect(hits[0].reason).toContain('on a child protection plan since 23 March 2026');
  });
});

describe('R5: was not brought', () => {
  const r5 = only('R5');
  it('fires on one "was not brought" for a child on a child protection plan', async () => {
    const child = await sw.child();
    await recordAll(sw, child, b.onCpPlan());
    const id = await sw.entry(child, 'hv', appointment('2026-04-02T10:00:00Z', 'was_not_brought'));
    expect(await r5(child, id)).toEqual([expect.objectContaining({ pattern_key: 'not-brought-on-plan', entry_ids: [id] })]);
  });

  it('fires on the second within 6 months for a child in need, not the first', async () => {
    const child = await sw.child();
    await recordAll(sw, child, b.onCinPlan());
    const first = await sw.entry(child, 'hv', appointment('2026-04-02T10:00:00Z', 'was_not_brought'));
    expect(await r5(child, first)).toEqual([]);
    const second = await sw.entry(child, 'hv', appointment('2026-07-20T10:00:00Z', 'was_not_brought', 'Audiology'));
    const hits = await r5(child, second);
    expect(hits).toEqual([expect.objectContaining({ pattern_key: 'not-brought-repeatedly', entry_ids: [first, second] })]);
    expect(hits[0].reason).toContain('Audiology (Northmoor NHS Trust, 20 July 2026)');
  });

  it('stays silent on two 8 months apart for a child in need, and for a child with no plan or referral', async () => {
    const child = await sw.child();
    await recordAll(sw, child, b.onCinPlan());
    await sw.entry(child, 'hv', appointment('2026-03-10T10:00:00Z', 'was_not_brought'));
    const later = await sw.entry(child, 'hv', appointment('2026-11-12T10:00:00Z', 'was_not_brought'));
    expect(await r5(child, later)).toEqual([]);
    const unknown = await sw.child();
    await sw.entry(unknown, 'hv', appointment('2026-03-10T10:00:00Z', 'was_not_brought'));
    const again = await sw.entry(unknown, 'hv', appointment('2026-03-20T10:00:00Z', 'was_not_brought'));
    expect(await r5(unknown, again)).toEqual([]);
  });
});

describe('R7: disguised compliance', () => {
  const r7 = only('R7');
  it('fires on the third sign within 90 days: a cancelled appointment, a seen announced visit then an unannounced one not seeing the child', async () => {
    const child = await sw.child();
    const cancel = await sw.entry(child, 'hv', appointment('2026-03-01T10:00:00Z', 'cancelled_by_family'));
    const seen = await sw.entry(child, 'worker', visit('2026-03-10T10:00:00Z', true));
    expect(await r7(child, cancel)).toEqual([]);
    const unseen = await sw.entry(child, 'worker', visit('2026-04-15T10:00:00Z', false, false));
    const hits = await r7(child, unseen);
    expect(hits).toEqual([expect.objectContaining({ pattern_key: 'disguised-compliance', entry_ids: [cancel, seen, unseen] })]);
    expect(hits[0].reason).toContain('3 signs of disguised compliance within 90 days');
  });

  it('stays silent when the same signs are spread over more than 90 days', async () => {
    const child = await sw.child();
    await sw.entry(child, 'hv', appointment('2025-11-01T10:00:00Z', 'cancelled_by_family'));
    await sw.entry(child, 'worker', visit('2026-01-10T10:00:00Z', true));
    const unseen = await sw.entry(child, 'worker', visit('2026-04-15T10:00:00Z', false, false));
    expect(await r7(child, unseen)).toEqual([]);
  });
});
