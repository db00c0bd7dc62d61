import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hit } from '../../src/signals/hit.js';
import { childrenDueForSchedule } from '../../src/signals/engine.js';
import { at, stepsFor, type Steps } from '../process/step-builders.js';
import { dueOf, doneOf } from '../process/steps-support.js';
import { Browser, textOf } from '../web/session.js';
import { signalsWorld, type SignalsWorld } from './rules-support.js';

let sw: SignalsWorld;
let b: Steps;
beforeAll(async () => { sw = await signalsWorld(); b = stepsFor(sw.w); });
afterAll(() => sw.close());

/**
 * LPM came with migration 0026: 10 working days from the request (local practice), read by R9's version
 * in force from 27 November 2026. A request on Monday 2 November 2026 is due by Monday 16 November.
 */
const requested = (d = '2026-11-02', data: Record<string, unknown> = {}) => ({
  step: 'legal_planning_meeting_requested', occurred_at: at(d), narrative: 'Bruising again on the unannounced visit; the manager asks legal for a planning meeting.',
  data: { requested_by: 'Test manager, team manager', reason: 'Second unexplained injury while on a plan', ...data },
});
const held = (d: string, extra: Record<string, unknown> = {}) => ({ ...b.lpm('no_legal_action', d), narrative: 'Threshold for proceedings not met on the evidence today; review in a month.', ...extra });
const SWEEP = new Date('2026-11-27T12:00:00Z');
const r9 = (hits: Hit[]) => hits.filter((h) => h.rule_id === 'R9');

describe('R9: a legal planning meeting requested but not held', () => {
  it('fires when the meeting is not held within 10 working days of the request, naming the request', async () => {
    const child = await sw.child();
    const request = await sw.stepOk(child, requested());
    const view = (await sw.process(child)).body;
    expect(dueOf(view, 'LPM')).toEqual(expect.objectContaining({ due_on: '2026-11-16' }));
    expect(await childrenDueForSchedule(sw.s.database.db, SWEEP)).toContain(child);
    const hits = r9(await sw.onSchedule(child, SWEEP));
    expect(hits).toEqual([expect.objectContaining({ pattern_key: `overdue:LPM:${request}`, entry_ids: [request], once: true })]);
    expect(hits[0].reason).toBe('A legal planning meeting was requested on 2 November 2026 and is not yet held: it was due by 16 November 2026 (LPM).');
  });

  it('stays silent when the meeting was held in time; a late meeting must say why', async () => {
    const child = await sw.child();
    await sw.stepOk(child, requested());
    await sw.stepOk(child, held('2026-11-13'));
    expect(doneOf((await sw.process(child)).body, 'LPM')).toHaveLength(1);
    expect(r9(await sw.onSchedule(child, SWEEP))).toEqual([]);

    const late = await sw.child();
    await sw.stepOk(late, requested());
    const unexplained = await sw.step(late, held('2026-11-20'));
    expect(unexplained.status).toBe(422);
    await sw.stepOk(late, held('2026-11-20', { late_reason: 'Legal services had no advocate free until the 20th.' }));
    expect(r9(await sw.onSchedule(late, SWEEP))).toEqual([]);
  });

  it('is silent under the R9 version before migration 0026, which did not read LPM', async () => {
    const child = await sw.child();
    await sw.stepOk(child, requested());
    expect(r9(await sw.onSchedule(child, new Date('2026-11-26T12:00:00Z')))).toEqual([]);
  });
});

describe('the request as a step', () => {
  it('refuses a second request while one is pending (409), and a meeting dated before its request', async () => {
    const child = await sw.child();
    await sw.stepOk(child, requested());
    const again = await sw.step(child, requested('2026-11-05'));
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.body.detail).toBe('A legal planning meeting was already requested on 2026-11-02 and is not yet held');
    expect((await sw.step(child, requested('2026-10-28'))).body.detail).toBe(again.body.detail);
    const early = await sw.step(child, held('2026-10-30'));
    expect(early.status).toBe(409);
    expect(early.body.detail).toContain('before it was requested on 2026-11-02');
    // Once held, it may be asked for again.
    await sw.stepOk(child, held('2026-11-10'));
    await sw.stepOk(child, requested('2026-11-16'));
  });

  it('is refused whenever the meeting itself would be: with pre-proceedings under way', async () => {
    const child = await sw.child();
    await sw.stepOk(child, b.lpm('pre_proceedings', '2026-11-02'));
    const res = await sw.step(child, requested('2026-11-05'));
    expect(res.status).toBe(409);
    expect(res.body.detail).toBe('Pre-proceedings are already under way');
    expect(await sw.step(child, b.lpm('issue_proceedings', '2026-11-06'))).toEqual(expect.objectContaining({ status: 409 }));
  });

  it('is recorded by children’s social care only, needs who asked, and is on the court steps page', async () => {
    const child = await sw.child();
    expect((await sw.step(child, requested(), 'police')).status).toBe(403);
    const nobody = await sw.step(child, requested('2026-11-02', { requested_by: '' }));
    expect(nobody.status).toBe(422);
    const browser = new Browser(sw.app);
    await browser.signIn(sw.w.emails.worker);
    const list = textOf((await browser.get(`/children/${child}/process/steps`)).body);
    expect(list).toMatch(/Pre-proceedings and court.*Legal planning meeting requested.*Legal planning meeting/);
    const form = await browser.get(`/children/${child}/process/steps/legal_planning_meeting_requested`);
    expect(form.statusCode).toBe(200);
    expect(textOf(form.body)).toContain('Who asked for the meeting?');
  });
});
