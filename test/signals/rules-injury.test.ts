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

describe('R2: high-risk bruise pattern', () => {
  it('fires on a bruise to the ear at any age', async () => {
    const child = await sw.child({ date_of_birth: '2019-05-01' });
    const id = await sw.entry(child, 'dsl', injury('2026-02-12T10:00:00Z', { body_locations: ['ear'], child_mobile: true }));
    const hits = (await sw.onEntry(child, id)).filter((h) => h.rule_id === 'R2');
    expect(hits).toEqual([expect.objectContaining({ pattern_key: 'bruise-pattern', entry_ids: [id], severity: 'high' })]);
    expect(hits[0].reason).toContain('on the ear');
    expect(hits[0].reason).toContain('Elm Street Primary');
  });

  it('fires on bruises to three parts of the body at once (a cluster)', async () => {
    const child = await sw.child({ date_of_birth: '2019-05-01' });
    const id = await sw.entry(child, 'dsl', injury('2026-02-12T10:00:00Z', { body_locations: ['thigh', 'upper_arm', 'forearm'] }));
    expect(rulesOf(await sw.onEntry(child, id))).toContain('R2');
  });

  it('stays silent on a bruised shin, and on a cut to the face', async () => {
    const child = await sw.child({ date_of_birth: '2019-05-01' });
    const shin = await sw.entry(child, 'dsl', injury('2026-02-12T10:00:00Z', { body_locations: ['lower_leg'] }));
    expect(rulesOf(await sw.onEntry(child, shin))).not.toContain('R2');
    const cut = await sw.entry(child, 'dsl', injury('2026-02-13T10:00:00Z', { body_locations: ['face'], injury_type: 'cut_or_abrasion' }));
    expect(rulesOf(await sw.onEntry(child, cut))).not.toContain('R2');
  });
});

describe('R3: unexplained or inconsistent injury', () => {
  it('fires when no explanation was given, and when it was inconsistent', async () => {
    const child = await sw.child({ date_of_birth: '2019-05-01' });
    const none = await sw.entry(child, 'police', injury('2026-02-12T10:00:00Z', { body_locations: ['lower_leg'], explanation_given: '', explanation_consistent: 'none_given' }));
    const hits = (await sw.onEntry(child, none)).filter((h) => h.rule_id === 'R3');
    expect(hits).toEqual([expect.objectContaining({ pattern_key: 'unexplained-injury', entry_ids: [none] })]);
    expect(hits[0].reason).toContain('Northmoor Police on 12 February 2026');
    const inconsistent = await sw.entry(child, 'police', injury('2026-02-14T10:00:00Z', { body_locations: ['lower_leg'], explanation_consistent: 'no' }));
    expect(rulesOf(await sw.onEntry(child, inconsistent))).toContain('R3');
  });

  it('stays silent when the explanation fits the injury', async () => {
    const child = await sw.child({ date_of_birth: '2019-05-01' });
    const id = await sw.entry(child, 'police', injury('2026-02-12T10:00:00Z', { body_locations: ['lower_leg'] }));
    expect(await sw.onEntry(child, id)).toEqual([]);
  });
});
