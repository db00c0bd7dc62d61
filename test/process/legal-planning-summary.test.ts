import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, textOf } from '../web/session.js';
import { at, stepsFor } from './step-builders.js';
import { processWorld, recordAll, type ProcessWorld } from './steps-support.js';

/** The allocated worker, through the API and on the child's page. */
let pw: ProcessWorld;
let worker: Browser;
beforeAll(async () => { pw = await processWorld(); worker = new Browser(pw.app); await worker.signIn(pw.w.emails.worker); });
afterAll(() => pw.close());
const held = (outcome: string, d: string, narrative: string) => ({ ...stepsFor(pw.w).lpm(outcome, d), narrative });

/** Asked for on Monday 2 November 2026: LPM (10 working days, migration 0026) is due by Monday 16 November. */
const requested = (d = '2026-11-02') => ({
  step: 'legal_planning_meeting_requested', occurred_at: at(d), narrative: 'Second unexplained bruise on a plan; the manager asks legal for a meeting.',
  data: { requested_by: 'Priya Shah, team manager', reason: 'Second unexplained injury while on a plan' },
});
const ROW = 'Legal planning meeting Requested on 2 November 2026 by Priya Shah, team manager; not yet held (due by 16 November 2026)';
const pageText = async (child: string) => {
  const res = await worker.get(`/children/${child}`);
  expect(res.statusCode).toBe(200);
  return textOf(res.body);
};

describe('a legal planning meeting requested and not yet held', () => {
  it('is its own item in GET /process while pending, with who asked and when it is due, and null once held', async () => {
    const child = await pw.child();
    expect((await pw.process(child)).body.legal_planning).toBeNull();
    const [request] = await recordAll(pw, child, [requested()]);
    const view = (await pw.process(child)).body;
    expect(view.legal_planning).toEqual({ request_entry_id: request, requested_on: '2026-11-02', requested_by: 'Priya Shah, team manager', due_on: '2026-11-16' });
    // The step's own answer carries it too.
    const again = await pw.step(await pw.child(), requested('2026-11-09'));
    expect(again.body.process.legal_planning).toEqual(expect.objectContaining({ requested_on: '2026-11-09', requested_by: 'Priya Shah, team manager', due_on: '2026-11-23' }));

    await recordAll(pw, child, [held('no_legal_action', '2026-11-13', 'Threshold not met on the evidence today.')]);
    expect((await pw.process(child)).body.legal_planning).toBeNull();
  });

  it('shows a row on the child’s page while pending, and none once held', async () => {
    const child = await pw.child();
    expect(await pageText(child)).not.toContain('Legal planning meeting Requested');
    await recordAll(pw, child, [requested()]);
    expect(await pageText(child)).toContain(ROW);
    await recordAll(pw, child, [held('pre_proceedings', '2026-11-12', 'Pre-proceedings agreed.')]);
    const after = await pageText(child);
    expect(after).not.toContain('not yet held');
    expect(after).toContain('Pre-proceedings From 12 November 2026');
  });

  it('stops waiting when the case closes before the meeting', async () => {
    const child = await pw.child();
    const b = stepsFor(pw.w);
    await recordAll(pw, child, [b.referral('2026-11-02'), requested('2026-11-02')]);
    expect((await pw.process(child)).body.legal_planning).toEqual(expect.objectContaining({ requested_on: '2026-11-02' }));
    await recordAll(pw, child, [b.decision('no_further_action', '2026-11-03')]);
    expect((await pw.process(child)).body.legal_planning).toBeNull();
    expect(await pageText(child)).not.toContain('not yet held');
  });
});
