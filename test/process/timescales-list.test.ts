import { describe, expect, it } from 'vitest';
import type { TimescaleRule } from '../../src/process/rules.js';
import { rulesInForce } from '../../src/process/timescales.js';

const LA = '11111111-1111-4111-8111-111111111111';
const OTHER_LA = '22222222-2222-4222-8222-222222222222';
let n = 0;
const rule = (over: Partial<TimescaleRule>): TimescaleRule => ({
  id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  code: 'T11', jurisdiction: 'england', locality: null, step: 'Child protection visit', trigger_event: 'cp_plan_started',
  trigger: 'CP plan start', amount: 10, unit: 'working_days', convention: 'working-days:t0-is-day-0',
  source: 'spec §1.2', status: 'unverified', local_practice: true, effective_from: '2024-01-01', recorded_at: new Date('2024-01-01T00:00:00Z'),
  ...over,
});

const t2 = rule({ code: 'T2', amount: 45, local_practice: false });
const t2From2027 = rule({ code: 'T2', amount: 40, local_practice: false, effective_from: '2027-01-04' });
const t1 = rule({ code: 'T1', amount: 1, local_practice: false });
const t11 = rule({});
const mineOld = rule({ locality: LA, amount: 28, unit: 'calendar_days', convention: 'calendar', status: 'local', effective_from: '2025-01-01' });
const mineNow = rule({ locality: LA, amount: 20, unit: 'calendar_days', convention: 'calendar', status: 'local', effective_from: '2026-04-01' });
const mineLater = rule({ locality: LA, amount: 14, unit: 'calendar_days', convention: 'calendar', status: 'local', effective_from: '2027-02-01' });
const theirs = rule({ locality: OTHER_LA, amount: 5, status: 'local', effective_from: '2025-06-01' });
const all = [mineLater, t2From2027, theirs, t11, mineOld, t2, mineNow, t1];

describe('rules in force for the Timescales page', () => {
  it('shows each rule’s version in force and any later one, in process order, each national row followed by the locality’s own', () => {
    expect(rulesInForce(all, LA, '2026-11-27').map((r) => r.id)).toEqual([t1.id, t2.id, t2From2027.id, t11.id, mineNow.id, mineLater.id]);
  });
  it('leaves out other authorities’ rows, and all local rows for an agency that is not a local authority', () => {
    expect(rulesInForce(all, OTHER_LA, '2026-11-27').map((r) => r.id)).toEqual([t1.id, t2.id, t2From2027.id, t11.id, theirs.id]);
    expect(rulesInForce(all, null, '2026-11-27').map((r) => r.id)).toEqual([t1.id, t2.id, t2From2027.id, t11.id]);
  });
  it('moves on when a later version comes into force', () => {
    expect(rulesInForce(all, LA, '2027-02-01').map((r) => r.id)).toEqual([t1.id, t2From2027.id, t11.id, mineLater.id]);
    expect(rulesInForce(all, LA, '2025-03-01').map((r) => r.id)).toEqual([t1.id, t2.id, t2From2027.id, t11.id, mineOld.id, mineNow.id, mineLater.id]);
  });
});
