import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rulesOf, signalsWorld, type SignalsWorld } from './rules-support.js';

let sw: SignalsWorld;
beforeAll(async () => {
  sw = await signalsWorld();
});
afterAll(() => sw.close());

const injury = (at: string, data: Record<string, unknown>) => ({
  kind: 'injury', occurred_at: at, narrative: 'Bruise seen at a routine visit.',
  data: { body_locations: ['thigh'], injury_type: 'bruise', explanation_given: 'Knocked on the cot', explanation_consistent: 'yes', ...data },
});

describe('R1: injury in a baby who is not independently mobile', () => {
  it('fires on a bruise at 5 months, naming the agency and date, with the entry', async () => {
    const child = await sw.child({ date_of_birth: '2025-09-10' });
    const id = await sw.entry(child, 'hv', injury('2026-02-12T10:00:00Z', {}));
    const hits = (await sw.onEntry(child, id)).filter((h) => h.rule_id === 'R1');
    expect(hits).toEqual([expect.objectContaining({ rule_id: 'R1', severity: 'urgent', pattern_key: 'injury-non-mobile', entry_ids: [id], recipients: ['allocated_worker', 'manager'] })]);
    expect(hits[0].reason).toContain('Northmoor NHS Trust on 12 February 2026');
    expect(hits[0].reason).toContain('aged 5 months');
    expect(hits[0].rule_version_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('fires at any age when the child is recorded as not mobile', async () => {
    const child = await sw.child({ date_of_birth: '2025-01-10' });
    const id = await sw.entry(child, 'hv', injury('2026-02-12T10:00:00Z', { child_mobile: false }));
    expect(rulesOf(await sw.onEntry(child, id))).toContain('R1');
  });

  it('stays silent at 7 months with the child recorded as mobile', async () => {
    const child = await sw.child({ date_of_birth: '2025-07-01' });
    const id = await sw.entry(child, 'hv', injury('2026-02-12T10:00:00Z', { child_mobile: true }));
    expect(rulesOf(await sw.onEntry(child, id))).not.toContain('R1');
  });

  it('stays silent when a health practitioner records a medical cause, but not when anyone else does', async () => {
    const child = await sw.child({ date_of_birth: '2025-12-01' });
    const byHealth = await sw.entry(child, 'hv', injury('2026-02-12T10:00:00Z', { medical_cause: 'Congenital dermal melanocytosis' }));
    expect(rulesOf(await sw.onEntry(child, byHealth))).not.toContain('R1');
    const byPolice = await sw.entry(child, 'police', injury('2026-02-13T10:00:00Z', { medical_cause: 'Birthmark, says the mother' }));
    expect(rulesOf(await sw.onEntry(child, byPolice))).toContain('R1');
  });

  it('does not look at all for entries no rule listens to', async () => {
    const child = await sw.child({ date_of_birth: '2025-12-01' });
    const id = await sw.entry(child, 'worker', { kind: 'case_note', occurred_at: '2026-02-12T10:00:00Z', narrative: 'Phoned the school.', data: {} });
    expect(await sw.onEntry(child, id)).toEqual([]);
  });
});
