import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../src/process/calendar.js';
import { parseTrigger } from '../../src/process/dates.js';
import { dueFor } from '../../src/process/due.js';
import { byCodeThenDate, selectRule, type TimescaleRule } from '../../src/process/rules.js';
import { englandAndWales } from './calendar-data.js';

const LA = '11111111-1111-4111-8111-111111111111';
const OTHER_LA = '22222222-2222-4222-8222-222222222222';
let n = 0;
const rule = (over: Partial<TimescaleRule>): TimescaleRule => ({
  id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  code: 'T11', jurisdiction: 'england', locality: null, step: 'Child protection visit', trigger_event: 'cp_plan_started',
  trigger: 'CP plan start, then each visit', amount: 10, unit: 'working_days', convention: 'working-days:t0-is-day-0',
  source: 'spec §1.2', status: 'unverified', local_practice: true, effective_from: '2024-01-01', recorded_at: new Date('2024-01-01T00:00:00Z'),
  ...over,
});

const nationalT11 = rule({});
const localT11 = rule({ locality: LA, amount: 20, unit: 'calendar_days', convention: 'calendar', status: 'local', effective_from: '2026-04-01' });
const nationalT2 = rule({ code: 'T2', amount: 45, local_practice: false, trigger_event: 'referral_received' });
const localT2 = rule({ code: 'T2', locality: LA, amount: 30, status: 'local', effective_from: '2025-01-01' });
// A national change from 2027: T2 becomes 40 working days, and stops being local practice for T11.
const nationalT2From2027 = rule({ code: 'T2', amount: 40, local_practice: false, trigger_event: 'referral_received', effective_from: '2027-01-01' });
const nationalT11From2028 = rule({ local_practice: false, amount: 15, effective_from: '2028-01-01' });
const wales = rule({ code: 'T2', jurisdiction: 'wales', amount: 99 });
const rules = [localT11, nationalT2From2027, nationalT11, localT2, nationalT2, nationalT11From2028, wales];

const pick = (code: string, on: string, locality: string | null = LA) => selectRule(rules, { code, jurisdiction: 'england', locality, on })?.id;

describe('selecting the rule in force', () => {
  it('a locality’s local-practice row overrides the national one from its effective date', () => {
    expect(pick('T11', '2026-03-31')).toBe(nationalT11.id);
    expect(pick('T11', '2026-04-01')).toBe(localT11.id);
    expect(pick('t11', '2026-04-01')).toBe(localT11.id);
  });
  it('another locality, or none, keeps the national rule', () => {
    expect(pick('T11', '2026-06-01', OTHER_LA)).toBe(nationalT11.id);
    expect(pick('T11', '2026-06-01', null)).toBe(nationalT11.id);
  });
  it('a local row cannot override a rule that is not local practice', () => {
    expect(pick('T2', '2026-06-01')).toBe(nationalT2.id);
  });
  it('a later national version applies from its date and never reaches back to earlier triggers', () => {
    expect(pick('T2', '2026-12-31')).toBe(nationalT2.id);
    expect(pick('T2', '2027-01-01')).toBe(nationalT2From2027.id);
    // When the national rule stops being local practice, the local override stops applying too.
    expect(pick('T11', '2027-12-31')).toBe(localT11.id);
    expect(pick('T11', '2028-01-01')).toBe(nationalT11From2028.id);
  });
  it('keeps jurisdictions apart, and finds nothing before the first version', () => {
    expect(selectRule(rules, { code: 'T2', jurisdiction: 'wales', on: '2026-01-01' })?.id).toBe(wales.id);
    expect(pick('T2', '2023-12-31')).toBeUndefined();
    expect(pick('T99', '2026-01-01')).toBeUndefined();
  });

  it('gives each trigger the deadline of the rule in force on its date', () => {
    const cal = new WorkingCalendar(englandAndWales);
    const dueOn = (start: string) => {
      const r = selectRule(rules, { code: 'T11', jurisdiction: 'england', locality: LA, on: start })!;
      return dueFor(r, parseTrigger(start), cal);
    };
    // Tue 31 Mar 2026 + 10 working days over Easter (3 and 6 Apr): 1, 2, 7–10, 13–16 Apr → Thu 16 Apr.
    expect(dueOn('2026-03-31')).toMatchObject({ due: '2026-04-16', convention: 'working-days:t0-is-day-0' });
    // Wed 1 Apr 2026 under the local 20 calendar days → Tue 21 Apr.
    expect(dueOn('2026-04-01')).toMatchObject({ due: '2026-04-21', convention: 'calendar' });
  });

  it('lists national rows first, in process order, then each locality’s', () => {
    const order = [...rules].filter((r) => r.jurisdiction === 'england').sort(byCodeThenDate).map((r) => [r.code, r.locality, r.effective_from]);
    expect(order).toEqual([
      ['T2', null, '2024-01-01'], ['T2', null, '2027-01-01'], ['T11', null, '2024-01-01'], ['T11', null, '2028-01-01'],
      ['T2', LA, '2025-01-01'], ['T11', LA, '2026-04-01'],
    ]);
  });
});
