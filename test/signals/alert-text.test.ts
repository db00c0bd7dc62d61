import { describe, expect, it } from 'vitest';
import { alertEntryFacts, alertEntryLabel } from '../../src/signals/alert-text.js';

/** How the chronology describes an alert entry: pure, so no database. */
describe('alert entries in the chronology', () => {
  const raised = { action: 'raised', alert_id: 'a', rule_id: 'R6', severity: 'high', entry_ids: [] as string[] };

  it('names the rule and severity of a raised alert', () => {
    expect(alertEntryLabel(raised)).toBe('Alert raised (R6, high)');
    expect(alertEntryLabel({ ...raised, action: 'escalated' })).toBe('Alert escalated');
  });

  it('counts the triggering entries, or says a person was linked when there were none', () => {
    expect(alertEntryFacts({ ...raised, entry_ids: ['e1'] })).toEqual(['Triggered by 1 entry']);
    expect(alertEntryFacts({ ...raised, action: 'added', entry_ids: ['e1', 'e2'] })).toEqual(['Triggered by 2 entries']);
    expect(alertEntryFacts(raised)).toEqual(['Raised when a person was linked to the child']);
  });
});
