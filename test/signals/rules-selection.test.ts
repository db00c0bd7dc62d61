import { describe, expect, it } from 'vitest';
import { selectSignalRule, applicableRules, type SignalRule } from '../../src/signals/rules.js';
import { r10 } from '../../src/signals/evaluators/r10-repeats.js';
import { r1 } from '../../src/signals/evaluators/r1-non-mobile-infant.js';
import { runRule } from '../../src/signals/engine.js';
import { processFacts, type FactEntry, type Facts } from '../../src/signals/facts.js';

const LA = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const row = (over: Partial<SignalRule>): SignalRule => ({
  id: `v-${Math.random()}`, rule_id: 'R4', name: 'Repeated unscheduled care', description: '', source: '', status: 'unverified', severity: 'high',
  recipients: ['allocated_worker'], parameters: { attendances: 3 }, local_parameters: ['attendances'], enabled: true, jurisdiction: null, locality: null,
  effective_from: new Date('2024-01-01T00:00:00Z'), recorded_at: new Date(), recorded_by: null, change_reason: null, ...over,
});
const place = { locality: LA, jurisdiction: 'england' };
const now = new Date('2026-06-01T12:00:00Z');

describe('which version of a rule applies (signals/rules.ts)', () => {
  const national = row({ id: 'national' });
  const laterNational = row({ id: 'later-national', effective_from: new Date('2026-01-01T00:00:00Z') });
  const wales = row({ id: 'wales', jurisdiction: 'wales', effective_from: new Date('2026-02-01T00:00:00Z') });
  const mine = row({ id: 'mine', locality: LA, effective_from: new Date('2025-01-01T00:00:00Z') });
  const theirs = row({ id: 'theirs', locality: OTHER, effective_from: new Date('2026-03-01T00:00:00Z') });
  const future = row({ id: 'future', locality: LA, effective_from: new Date('2026-09-01T00:00:00Z') });

  it('takes the authority’s own version over the default, whatever their dates, and never a version not yet in force', () => {
    expect(selectSignalRule([national, laterNational, mine, theirs, future, wales], 'R4', place, now)?.id).toBe('mine');
  });
  it('takes the newest default in force for an authority with none of its own, and a jurisdiction’s own over everyone’s', () => {
    expect(selectSignalRule([national, laterNational, theirs], 'R4', place, now)?.id).toBe('later-national');
    expect(selectSignalRule([national, laterNational, wales], 'R4', { locality: null, jurisdiction: 'wales' }, now)?.id).toBe('wales');
    expect(selectSignalRule([national], 'R4', place, new Date('2023-12-31T00:00:00Z'))).toBeUndefined();
  });
  it('lists rules in their order (R2 before R10)', () => {
    expect(applicableRules([row({ rule_id: 'R10' }), row({ rule_id: 'R2' }), row({ rule_id: 'R1' })], place, now).map((r) => r.rule_id)).toEqual(['R1', 'R2', 'R10']);
  });
});

const step = (id: string, seq: number, at: string, data: Record<string, unknown>): FactEntry => ({
  id, seq, kind: 'process_step', occurred_at: new Date(at), recorded_at: new Date(at), data, concerns: [], supersedes_id: null,
  author_name: 'Test worker', agency_id: LA, agency_name: 'Northmoor Council', agency_kind: 'local_authority',
});
const facts = (entries: FactEntry[], process: Partial<ReturnType<typeof processFacts>>): Facts => ({
  childId: 'c', dateOfBirth: '2020-01-01', expectedDateOfBirth: null, entries, adults: [], asOf: now, process: { ...processFacts(undefined), ...process },
});
const r10Rule = row({ rule_id: 'R10', parameters: { referrals: 2, s47s: 2, window_months: 12, previous_plans: 1 } });

describe('R10 on repeat section 47 enquiries and plans (pure)', () => {
  it('fires on the second section 47 enquiry within 12 months, not on one 13 months after the first', () => {
    const s2 = step('s2', 9, '2026-05-01T10:00:00Z', { step: 'strategy_discussion', outcome: 's47' });
    const within = facts([s2], { s47s: [{ entryId: 's1', date: '2025-07-01' }, { entryId: 's2', date: '2026-05-01' }] });
    expect(runRule(r10, r10Rule, within, { entries: [s2] }).map((h) => [h.pattern_key, h.entry_ids])).toEqual([['repeat-s47', ['s1', 's2']]]);
    const apart = facts([s2], { s47s: [{ entryId: 's1', date: '2025-03-20' }, { entryId: 's2', date: '2026-05-01' }] });
    expect(runRule(r10, r10Rule, apart, { entries: [s2] })).toEqual([]);
  });
  it('fires on a child protection plan for a child who has had one, not on a first plan', () => {
    const icpc = step('p2', 9, '2026-05-01T10:00:00Z', { step: 'icpc', outcome: 'cp_plan' });
    const again = facts([icpc], { cpPlans: [{ id: 'p1', start: '2024-02-01', end: '2024-11-01' }, { id: 'p2', start: '2026-05-01' }] });
    expect(runRule(r10, r10Rule, again, { entries: [icpc] }).map((h) => [h.pattern_key, h.entry_ids])).toEqual([['repeat-plan', ['p1', 'p2']]]);
    expect(runRule(r10, r10Rule, facts([icpc], { cpPlans: [{ id: 'p2', start: '2026-05-01' }] }), { entries: [icpc] })).toEqual([]);
  });
  it('finds nothing when the stored parameters no longer fit the rule, rather than guessing', () => {
    const injury: FactEntry = { ...step('i', 1, '2026-05-01T10:00:00Z', { injury_type: 'bruise', body_locations: ['back'] }), kind: 'injury' };
    const young = { ...facts([injury], {}), dateOfBirth: '2026-03-01' };
    expect(runRule(r1, row({ rule_id: 'R1', parameters: { infant_months: 6, injury_types: ['bruise'] } }), young, { entries: [injury] })[0].reason).toContain('aged 2 months');
    expect(runRule(r1, row({ rule_id: 'R1', parameters: { infant_months: 'six' } }), young, { entries: [injury] })).toEqual([]);
  });
});
