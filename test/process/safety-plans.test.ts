import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../support/db.js';
import { doneOf, dueOf, processWorld, type Body, type ProcessWorld } from './steps-support.js';
import { at } from './step-builders.js';

/**
 * Safety plans: a child who stays at or returns home under conditions, each with someone who checks
 * it. The monitor must be able to: a practitioner with a relationship to the child, or a person
 * recorded as related to them (a family friend counts). Anyone working with the child records a
 * breach; the plan's review date is a deadline.
 */
let pw: ProcessWorld;
let child: string;
let friend: string;
let stranger: string;
beforeAll(async () => {
  pw = await processWorld();
  child = await pw.child();
  const manager = await pw.call('POST', `/api/children/${child}/group-members`, 'manager', { practitioner_id: pw.w.actors.hv.id, group_kind: 'core_group' });
  expect(manager.status, JSON.stringify(manager.body)).toBe(201);
  const added = await pw.call('POST', `/api/children/${child}/people`, 'worker', {
    person: { given_name: 'Pat', family_name: 'Neighbour' },
    relationship: { kind: 'family_friend', lives_with_child: false, valid_from: '2026-01-01' },
  });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  friend = added.body.person.id;
  stranger = (await pw.call('POST', '/api/adults', 'worker', { given_name: 'Lee', family_name: 'Unrelated' })).body.id;
});
afterAll(() => pw.close());

const condition = (text: string, monitor?: Body) => ({ condition: text, how_checked: 'Unannounced visit after 6 pm', ...(monitor ? { monitor } : {}) });
const agreed = (conditions: Body[], reviewOn = '2026-04-24'): Body => ({ step: 'safety_plan_agreed', occurred_at: at('2026-04-10'), narrative: 'The child stays at home while these safeguards hold.', data: { conditions, review_on: reviewOn } });
const breach = (planId: string, n: number, kind: string): Body => ({ step: 'safety_plan_condition_breached', occurred_at: at('2026-04-15'), data: { plan_id: planId, condition: n, breach: kind } });
const reviewed = (planId: string, d: string, data: Body): Body => ({ step: 'safety_plan_reviewed', occurred_at: at(d), data: { plan_id: planId, ...data } });

describe(`a plan cannot name a monitor who cannot check it (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  const refusals: { name: string; conditions: () => Body[]; path: string; says: string }[] = [
    { name: 'a condition naming no monitor', conditions: () => [condition('Partner does not stay overnight', { person_id: friend }), condition('Mother attends the clinic')], path: 'data.conditions.1.monitor', says: 'Condition 2: name who will monitor it' },
    { name: 'a practitioner with no relationship to the child', conditions: () => [condition('Child attends school daily', { practitioner_id: pw.w.actors.dsl.id })], path: 'data.conditions.0.monitor', says: 'Condition 1: This practitioner has no relationship' },
    { name: 'a person not recorded as related to the child', conditions: () => [condition('Partner does not stay overnight', { person_id: stranger })], path: 'data.conditions.0.monitor', says: 'Condition 1: This person is not recorded as related' },
  ];
  it.each(refusals)('$name: 422 naming the condition, nothing written', async (r) => {
    const before = await pw.entryIds(child);
    const res = await pw.step(child, agreed(r.conditions()));
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.errors).toEqual([{ path: r.path, message: expect.stringContaining(r.says) }]);
    expect(await pw.entryIds(child)).toEqual(before);
  });

  it('a review date before the plan: 422', async () => {
    const res = await pw.step(child, agreed([condition('Partner does not stay overnight', { person_id: friend })], '2026-04-09'));
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('data.review_on');
  });
});

describe('a plan, its breaches and its reviews', () => {
  let plan: string;
  it('names a family friend and a health visitor in the core group as monitors; the review date is a deadline', async () => {
    const res = await pw.step(child, agreed([
      condition('Partner does not stay overnight', { person_id: friend }),
      condition('Baby weighed weekly at the clinic', { practitioner_id: pw.w.actors.hv.id }),
    ]));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    plan = res.body.entry.id;
    expect(res.body.process.safety_plans).toMatchObject([{ id: plan, reviewOn: '2026-04-24', breaches: [] }]);
    expect(dueOf(res.body.process, 'SP')).toMatchObject({ due_on: '2026-04-24', convention: 'set by the plan', started_by_entry_id: plan });
    // Social care agrees the plan; the health visitor cannot.
    expect((await pw.step(child, agreed([condition('Baby weighed weekly', { practitioner_id: pw.w.actors.hv.id })]), 'hv')).status).toBe(403);
  });

  it('the health visitor records a breach and a condition that could not be checked, each an entry in the chronology', async () => {
    const broken = await pw.step(child, breach(plan, 1, 'breached'), 'hv');
    expect(broken.status, JSON.stringify(broken.body)).toBe(201);
    const unverifiable = await pw.step(child, breach(plan, 0, 'not_verifiable'), 'hv');
    expect(unverifiable.status).toBe(201);
    const entries = (await pw.call('GET', `/api/children/${child}/entries`, 'worker')).body.entries as { id: string; author: { id: string }; data: Body }[];
    for (const e of [broken, unverifiable]) {
      expect(entries.find((x) => x.id === e.body.entry.id)).toMatchObject({ author: { id: pw.w.actors.hv.id }, data: { step: 'safety_plan_condition_breached', plan_id: plan } });
    }
    expect(unverifiable.body.process.safety_plans[0].breaches).toMatchObject([{ condition: 1, breach: 'breached' }, { condition: 0, breach: 'not_verifiable' }]);
    const none = await pw.step(child, breach(plan, 2, 'breached'), 'hv');
    expect(none.status).toBe(422);
    expect(none.body.errors[0].path).toBe('data.condition');
  });

  it('a review that continues the plan needs the next date, after the review; the old deadline is met and the next one starts', async () => {
    const noDate = await pw.step(child, reviewed(plan, '2026-04-20', { outcome: 'continue' }));
    expect(noDate.status).toBe(422);
    expect(noDate.body.errors[0].path).toBe('data.next_review_on');
    expect((await pw.step(child, reviewed(plan, '2026-04-20', { outcome: 'continue', next_review_on: '2026-04-20' }))).status).toBe(422);
    // Reviewed early, keeping the date it was due: a new deadline on the same day as the old one.
    const early = await pw.step(child, reviewed(plan, '2026-04-20', { outcome: 'continue', next_review_on: '2026-04-24' }));
    expect(early.status, JSON.stringify(early.body)).toBe(201);
    expect(doneOf(early.body.process, 'SP')).toMatchObject([{ due_on: '2026-04-24', status: 'done' }]);
    expect(dueOf(early.body.process, 'SP')).toMatchObject({ due_on: '2026-04-24', started_by_entry_id: plan });
    const next = await pw.step(child, reviewed(plan, '2026-04-24', { outcome: 'continue', next_review_on: '2026-05-08' }));
    expect(dueOf(next.body.process, 'SP')?.due_on).toBe('2026-05-08');
  });

  it('once ended, a plan takes no breach and no review', async () => {
    const ended = await pw.step(child, reviewed(plan, '2026-05-08', { outcome: 'ended' }));
    expect(ended.status).toBe(201);
    expect(dueOf(ended.body.process, 'SP')).toBeUndefined();
    const late = await pw.step(child, { ...breach(plan, 0, 'breached'), occurred_at: at('2026-05-09') }, 'hv');
    expect(late.status).toBe(409);
    expect(late.body.detail).toContain('ended on 2026-05-08');
    expect((await pw.step(child, reviewed(plan, '2026-05-10', { outcome: 'ended' }))).status).toBe(409);
  });
});
