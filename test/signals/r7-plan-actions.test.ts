import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hit } from '../../src/signals/hit.js';
import { at, stepsFor, type Steps } from '../process/step-builders.js';
import { recordAll } from '../process/steps-support.js';
import { homeVisit } from '../support/fixtures.js';
import { Browser, textOf } from '../web/session.js';
import { signalsWorld, type SignalsWorld } from './rules-support.js';

let sw: SignalsWorld;
let b: Steps;
beforeAll(async () => { sw = await signalsWorld(); b = stepsFor(sw.w); });
afterAll(() => sw.close());

/**
 * R7's version from migration 0028 (window 90 days, score 3) also counts plan actions overdue or not
 * done, and visits where the child's account differed from the parents'. The plan runs from 23 March
 * 2026; a core group on 1 October 2026 agrees two actions due in October; the visit is on 20 November.
 */
const r7 = (hits: Hit[]) => hits.filter((h) => h.rule_id === 'R7');
const actions = [
  { what: 'Mother attends the parenting course', name: 'Mother', due_on: '2026-10-15' },
  { what: 'Father moves out of the family home', name: 'Father', due_on: '2026-10-30' },
];
const visit = (differs: boolean, d = '2026-11-20') => homeVisit({
  occurred_at: at(d), narrative: 'Child seen in her bedroom; says father still stays most nights, mother says he has moved out.',
  data: { child_seen: true, child_seen_alone: true, child_account_differs: differs },
});

async function planWithActions() {
  const child = await sw.child();
  await recordAll(sw, child, [...b.onCpPlan(), b.coreGroup('2026-04-02')]);
  const meeting = await sw.stepOk(child, { ...b.coreGroup('2026-10-01'), narrative: 'Core group agreed what the parents will do.', data: { attendees: [], actions } });
  return { child, meeting };
}

describe('R7 with plan actions and the child’s account', () => {
  it('fires on a visit where the child’s account differs, with two plan actions overdue: three signs, naming the meeting', async () => {
    const { child, meeting } = await planWithActions();
    const seen = await sw.entry(child, 'worker', visit(true));
    const hits = r7(await sw.onEntry(child, seen));
    expect(hits).toHaveLength(1);
    expect(hits[0].reason).toBe('3 signs of disguised compliance within 90 days: a plan action overdue (“Mother attends the parenting course”), '
      + 'a plan action overdue (“Father moves out of the family home”) and the child’s account differing from the parents’ (Northmoor Council). Look at the chronology with your supervisor.');
    expect(hits[0].entry_ids).toEqual(expect.arrayContaining([meeting, seen]));
  });

  it('stays silent on the near miss: one of the actions done in time, so two signs', async () => {
    const { child, meeting } = await planWithActions();
    await sw.stepOk(child, { step: 'plan_action_update', occurred_at: at('2026-10-14'), narrative: 'Course attended; certificate seen.', data: { action_id: `${meeting}:0`, outcome: 'done' } }, 'worker');
    const seen = await sw.entry(child, 'worker', visit(true));
    expect(r7(await sw.onEntry(child, seen))).toEqual([]);
  });

  it('stays silent when the child’s account does not differ: the visit is no sign, so nothing new to look at', async () => {
    const { child } = await planWithActions();
    const seen = await sw.entry(child, 'worker', visit(false));
    expect(r7(await sw.onEntry(child, seen))).toEqual([]);
  });

  it('counts an action said not done once, and looks when it is said', async () => {
    const { child, meeting } = await planWithActions();
    await sw.entry(child, 'worker', visit(true, '2026-10-10'));
    const notDone = await sw.stepOk(child, {
      step: 'plan_action_update', occurred_at: at('2026-10-20'), narrative: 'Mother did not go.', data: { action_id: `${meeting}:0`, outcome: 'not_done', reason: 'Said she had no childcare' },
    }, 'hv');
    const hits = r7(await sw.onEntry(child, notDone));
    // The mother's action (overdue and said not done, counted once), and the differing account: two signs.
    expect(hits).toEqual([]);
    const later = await sw.stepOk(child, {
      step: 'plan_action_update', occurred_at: at('2026-11-02'), narrative: 'Father still at the address.', data: { action_id: `${meeting}:1`, outcome: 'not_done', reason: 'No other address yet' },
    }, 'hv');
    const fired = r7(await sw.onEntry(child, later));
    expect(fired).toHaveLength(1);
    expect(fired[0].reason).toMatch(/^3 signs .*a plan action overdue \(“Mother attends the parenting course”\), a plan action overdue \(“Father moves out of the family home”\) and the child’s account/);
    expect(fired[0].entry_ids).toEqual(expect.arrayContaining([later, notDone]));
  });

  it('asks the visit question on the entry form as one yes/no', async () => {
    const child = await sw.child();
    const browser = new Browser(sw.app);
    await browser.signIn(sw.w.emails.worker);
    const form = await browser.get(`/children/${child}/entries/new?kind=home_visit`);
    expect(form.statusCode).toBe(200);
    expect(textOf(form.body)).toContain('Did the child’s account differ from the parents’? (optional) Yes No');
  });
});
