import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hit } from '../../src/signals/hit.js';
import { childrenDueForSchedule } from '../../src/signals/engine.js';
import { homeVisit } from '../support/fixtures.js';
import { onPostgres } from '../support/db.js';
import { at } from '../process/step-builders.js';
import { dueOf, doneOf } from '../process/steps-support.js';
import { signalsWorld, type SignalsWorld } from './rules-support.js';

/**
 * R9 lists T12 (spec §6); migration 0027 gave T12 its rows, so the sweep now alerts on a statutory
 * visit to a looked-after child that is overdue (reg 28: within 1 week of the placement, then at most
 * every 6 weeks). A placement on Monday 2 November 2026 is due its first visit by Monday 9 November.
 */
let sw: SignalsWorld;
beforeAll(async () => { sw = await signalsWorld(); });
afterAll(() => sw.close());

const s20 = (d: string) => ({ step: 'accommodated_section_20', occurred_at: at(d), narrative: 'Father asked for accommodation while he recovers from surgery.', data: { parental_agreement: true, agreed_by: 'Lee Example, father' } });
const placed = (d: string) => ({ step: 'placement_started', occurred_at: at(d), data: { placement_type: 'foster_care' } });
const visited = (child: string, d: string, seen = true) =>
  sw.entry(child, 'worker', homeVisit({ occurred_at: at(d, '15:00'), data: { child_seen: seen, child_seen_alone: seen, present: ['Foster carer'] } }));
const SWEEP = new Date('2026-11-27T12:00:00Z');
const r9 = (hits: Hit[]) => hits.filter((h) => h.rule_id === 'R9');

describe(`R9: a statutory visit to a looked-after child overdue (T12) (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('raises when no visit saw the child within a week of the placement, naming the placement', async () => {
    const child = await sw.child();
    await sw.stepOk(child, s20('2026-11-02'));
    const placement = await sw.stepOk(child, placed('2026-11-02'));
    await visited(child, '2026-11-06', false);
    expect(dueOf((await sw.process(child)).body, 'T12')).toEqual(expect.objectContaining({ due_on: '2026-11-09', status: 'overdue' }));
    expect(await childrenDueForSchedule(sw.s.database.db, SWEEP)).toContain(child);
    const hits = r9(await sw.onSchedule(child, SWEEP));
    expect(hits).toEqual([expect.objectContaining({ pattern_key: `overdue:T12:${placement}`, entry_ids: [placement], once: true })]);
    expect(hits[0].reason).toBe('Statutory visit to a looked-after child: first visit in the placement (T12) was due by 9 November 2026 and is not yet recorded as done.');
    // Not yet overdue on the day it is due.
    expect(r9(await sw.onSchedule(child, new Date('2026-11-09T20:00:00Z')))).toEqual([]);
  });

  it('is silent when the child was seen in time, and raises again when the next visit, 6 weeks on, is missed', async () => {
    const child = await sw.child();
    await sw.stepOk(child, s20('2026-11-02'));
    await sw.stepOk(child, placed('2026-11-02'));
    const visit = await visited(child, '2026-11-05');
    const view = (await sw.process(child)).body;
    expect(doneOf(view, 'T12')).toEqual([expect.objectContaining({ status: 'done', due_on: '2026-11-09' })]);
    expect(dueOf(view, 'T12')).toEqual(expect.objectContaining({ due_on: '2026-12-17' }));
    expect(r9(await sw.onSchedule(child, SWEEP))).toEqual([]);
    const later = r9(await sw.onSchedule(child, new Date('2026-12-18T09:00:00Z')));
    expect(later).toEqual([expect.objectContaining({ pattern_key: `overdue:T12:${visit}`, entry_ids: [visit] })]);
    expect(later[0].reason).toContain('next visit (T12) was due by 17 December 2026');
  });

  it('is silent once the child has ceased to be looked after', async () => {
    const child = await sw.child();
    await sw.stepOk(child, s20('2026-11-02'));
    await sw.stepOk(child, placed('2026-11-02'));
    await sw.stepOk(child, { step: 'ceased_looked_after', occurred_at: at('2026-11-04'), data: { reason: 'returned_home' } });
    expect(r9(await sw.onSchedule(child, SWEEP))).toEqual([]);
  });
});
