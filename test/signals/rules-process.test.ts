import type { Hit } from '../../src/signals/hit.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAll } from '../process/steps-support.js';
import { stepsFor, type Steps } from '../process/step-builders.js';
import { childrenDueForSchedule } from '../../src/signals/engine.js';
import { signalsWorld, type SignalsWorld } from './rules-support.js';

let sw: SignalsWorld;
let b: Steps;
beforeAll(async () => {
  sw = await signalsWorld();
  b = stepsFor(sw.w);
});
afterAll(() => sw.close());

const only = (rule: string, hits: Hit[]) => hits.filter((h) => h.rule_id === rule);
const visit = (at: string, alone: boolean) => ({
  kind: 'home_visit', occurred_at: at, narrative: 'Visited at home.', data: { child_seen: true, child_seen_alone: alone, announced: false },
});

describe('R8: a child on a plan not seen, or not seen alone', () => {
  it('fires when the plan’s visit is overdue and the child has not been seen alone for 28 days, each once', async () => {
    const child = await sw.child({ date_of_birth: '2021-01-01' });
    const ids = await recordAll(sw, child, b.onCpPlan());
    expect(await childrenDueForSchedule(sw.s.database.db, new Date('2026-05-01T12:00:00Z'))).toContain(child);
    const hits = only('R8', await sw.onSchedule(child, new Date('2026-05-01T12:00:00Z')));
    expect(hits.map((h) => [h.pattern_key.split(':')[0], h.once])).toEqual([['not-seen', true], ['not-seen-alone', true]]);
    expect(hits[0].entry_ids).toEqual([ids.at(-1)]);
    expect(hits[1].reason).toContain('not been seen alone since the child protection plan began on 23 March 2026');
  });

  it('stays silent while visits see the child, alone, within the interval, and fires once they lapse', async () => {
    const child = await sw.child({ date_of_birth: '2021-01-01' });
    await recordAll(sw, child, b.onCpPlan());
    await sw.entry(child, 'worker', visit('2026-04-01T10:00:00Z', true));
    expect(only('R8', await sw.onSchedule(child, new Date('2026-04-10T12:00:00Z')))).toEqual([]);
    await sw.entry(child, 'worker', visit('2026-04-12T10:00:00Z', false));
    const later = only('R8', await sw.onSchedule(child, new Date('2026-05-05T12:00:00Z')));
    expect(later.map((h) => h.pattern_key.split(':')[0])).toEqual(['not-seen', 'not-seen-alone']);
    expect(later[1].reason).toContain('last seen alone on 1 April 2026');
  });
});

describe('R9: a statutory timescale breached', () => {
  it('fires when the referral decision (T1) is overdue, once per deadline', async () => {
    const child = await sw.child();
    const [referral] = await recordAll(sw, child, [b.referral()]);
    const hits = only('R9', await sw.onSchedule(child, new Date('2026-03-10T12:00:00Z')));
    expect(hits).toEqual([expect.objectContaining({ pattern_key: `overdue:T1:${referral}`, entry_ids: [referral], once: true })]);
    expect(hits[0].reason).toContain('(T1) was due by 3 March 2026');
  });

  it('stays silent when the decision was made in time and the assessment is not yet due', async () => {
    const child = await sw.child();
    await recordAll(sw, child, b.assessing());
    expect(only('R9', await sw.onSchedule(child, new Date('2026-03-10T12:00:00Z')))).toEqual([]);
  });
});

describe('R10: repeat referrals', () => {
  const twice = async (first: string) => {
    const child = await sw.child();
    const ids = await recordAll(sw, child, [b.referral(first), b.decision('no_further_action', first), b.referral('2026-03-02')]);
    return { ids, hits: only('R10', await sw.onEntry(child, ids[2])) };
  };
  it('fires on a second referral within 12 months, with both', async () => {
    const { ids, hits } = await twice('2025-06-02');
    expect(hits).toEqual([expect.objectContaining({ pattern_key: 'repeat-referrals', entry_ids: [ids[0], ids[2]] })]);
    expect(hits[0].reason).toBe('2 referrals within 12 months: 2 June 2025 and 2 March 2026.');
  });

  it('stays silent on a second referral 14 months after the first', async () => {
    expect((await twice('2025-01-06')).hits).toEqual([]);
  });
});
