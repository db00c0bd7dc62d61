import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, stepsFor, type Steps } from './step-builders.js';
import { processWorld, recordAll, type ProcessWorld } from './steps-support.js';
import { Browser, textOf } from '../web/session.js';

let pw: ProcessWorld;
let b: Steps;
beforeAll(async () => { pw = await processWorld(); b = stepsFor(pw.w); });
afterAll(() => pw.close());

const hvAttends = () => ({ practitioner_id: pw.w.actors.hv.id, name: 'Test hv', agency_kind: 'health' });
/** A core group on Thursday 2 April 2026 (T6 in time) agreeing two actions: the mother's (long past) and the health visitor's (later). */
const coreGroupWithActions = (actions: unknown[]) => ({ ...b.coreGroup('2026-04-02'), narrative: 'Core group: progress on the plan reviewed with mother.', data: { attendees: [hvAttends()], actions } });
const motherAction = { what: 'Mother attends the parenting course each week', name: 'Mother', due_on: '2026-04-30' };
const hvAction = () => ({ what: 'Weigh the baby at clinic', practitioner_id: pw.w.actors.hv.id, due_on: '2026-05-15' });
const later = { what: 'Nursery place taken up', name: 'Father', due_on: '2099-01-15' };

async function onPlanWithActions(actions: unknown[]) {
  const child = await pw.child();
  await recordAll(pw, child, b.onCpPlan());
  const res = await pw.call('POST', `/api/children/${child}/process/steps`, 'worker', coreGroupWithActions(actions));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { child, meeting: res.body.entry.id as string };
}
const actionsOf = (child: string, who = 'worker') => pw.call('GET', `/api/children/${child}/plan-actions`, who);
const update = (child: string, data: Record<string, unknown>, who = 'worker', d = '2026-05-20') =>
  pw.step(child, { step: 'plan_action_update', occurred_at: at(d), narrative: 'Checked with the clinic.', data }, who);

describe('plan actions through the API', () => {
  it('are agreed at a core group with who and by when, listed open and overdue first, each with a stable id', async () => {
    const { child, meeting } = await onPlanWithActions([later, motherAction, hvAction()]);
    const res = await actionsOf(child);
    expect(res.status).toBe(200);
    expect(res.body.map((a: { what: string }) => a.what)).toEqual([motherAction.what, hvAction().what, later.what]);
    expect(res.body[0]).toEqual(expect.objectContaining({ id: `${meeting}:1`, name: 'Mother', due_on: '2026-04-30', status: 'open', overdue: true, agreed_at_step: 'core_group' }));
    expect(res.body[2]).toEqual(expect.objectContaining({ id: `${meeting}:0`, status: 'open', overdue: false }));
    // The statutory deadlines stay apart from the plan's actions.
    expect((await pw.process(child)).body.due.map((d: { code: string }) => d.code)).not.toContain('PA');
    expect((await actionsOf(child, 'dsl')).status).toBe(404);
  });

  it('refuses an action without who or by when (422) and records nothing; an Idempotency-Key replays the meeting', async () => {
    const child = await pw.child();
    await recordAll(pw, child, b.onCpPlan());
    const before = (await pw.entryIds(child)).length;
    const bad = await pw.step(child, coreGroupWithActions([{ what: 'Mother attends the course' }]));
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('data.actions.0.name');
    expect((await pw.entryIds(child)).length).toBe(before);
    const headers = { ...(await pw.auth('worker')), 'idempotency-key': 'core-group-actions-1' };
    const send = () => pw.app.inject({ method: 'POST', url: `/api/children/${child}/process/steps`, headers, payload: coreGroupWithActions([motherAction]) });
    const [first, again] = [await send(), await send()];
    expect(first.statusCode).toBe(201);
    expect(again.json().entry.id).toBe(first.json().entry.id);
    expect((await actionsOf(child)).body).toHaveLength(1);
  });

  it('refuses actions at a conference that ends the plan with no plan after it (409)', async () => {
    const child = await pw.child();
    await recordAll(pw, child, [...b.onCpPlan(), b.coreGroup('2026-04-02')]);
    const res = await pw.step(child, b.review('2026-06-15', { outcome: 'end_plan', actions: [motherAction] }));
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain('made no plan');
  });

  it('are marked done, not done with a reason, or no longer needed by anyone working with the child', async () => {
    const { child, meeting } = await onPlanWithActions([hvAction(), motherAction]);
    const hvs = `${meeting}:0`;
    expect((await update(child, { action_id: hvs, outcome: 'not_done' }, 'hv')).status).toBe(422);
    expect((await update(child, { action_id: hvs, outcome: 'not_done', reason: 'Clinic closed that week' }, 'hv')).status).toBe(201);
    let [hv] = (await actionsOf(child)).body.filter((a: { id: string }) => a.id === hvs);
    expect(hv).toEqual(expect.objectContaining({ status: 'open', not_done: expect.objectContaining({ reason: 'Clinic closed that week' }) }));
    // Done after its date needs no late reason: the update says what happened.
    expect((await update(child, { action_id: hvs, outcome: 'done' }, 'hv', '2026-05-27')).status).toBe(201);
    [hv] = (await actionsOf(child)).body.filter((a: { id: string }) => a.id === hvs);
    expect(hv).toEqual(expect.objectContaining({ status: 'done', overdue: false }));
    expect(hv.updates.map((u: { outcome: string }) => u.outcome)).toEqual(['not_done', 'done']);
    const again = await update(child, { action_id: hvs, outcome: 'done' }, 'hv', '2026-05-28');
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe('That action was already marked done on 2026-05-27');
    expect((await update(child, { action_id: `${meeting}:1`, outcome: 'no_longer_needed' })).status).toBe(201);
    expect((await actionsOf(child)).body.map((a: { status: string }) => a.status)).toEqual(['done', 'no_longer_needed']);
    expect((await update(child, { action_id: `${meeting}:7`, outcome: 'done' })).status).toBe(409);
  });

  it('shows an overdue action on its owner’s work list and the team’s, and not once it is done', async () => {
    const { child, meeting } = await onPlanWithActions([hvAction(), later]);
    const mine = async (who: string, scope = 'mine') => (await pw.call('GET', `/api/deadlines?scope=${scope}`, who)).body.filter((r: { child_id: string; code: string }) => r.child_id === child && r.code === 'PA');
    expect(await mine('hv')).toEqual([expect.objectContaining({ label: 'Plan action: Weigh the baby at clinic', due_on: '2026-05-15', status: 'overdue' })]);
    expect((await mine('manager', 'team')).map((r: { label: string }) => r.label)).toContain('Plan action: Weigh the baby at clinic');
    expect(await mine('dsl')).toEqual([]);
    await update(child, { action_id: `${meeting}:0`, outcome: 'done' }, 'hv');
    expect(await mine('hv')).toEqual([]);
  });

  it('lets a practitioner given an action, though not at the meeting, reach the child and mark it done', async () => {
    const child = await pw.child();
    await recordAll(pw, child, b.onCpPlan());
    expect((await actionsOf(child, 'dsl')).status).toBe(404);
    const dslAction = { what: 'Tell the worker of any absence the same day', practitioner_id: pw.w.actors.dsl.id, due_on: '2026-05-01' };
    const res = await pw.step(child, coreGroupWithActions([dslAction]));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const members = await pw.call('GET', `/api/children/${child}/group-members`, 'manager');
    expect(members.body.current).toEqual(expect.arrayContaining([expect.objectContaining({ practitioner_id: pw.w.actors.dsl.id, group_kind: 'core_group' })]));
    expect((await actionsOf(child, 'dsl')).body).toEqual([expect.objectContaining({ what: dslAction.what, status: 'open' })]);
    const done = await update(child, { action_id: `${res.body.entry.id}:0`, outcome: 'done' }, 'dsl');
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    expect((await actionsOf(child, 'dsl')).body[0]).toEqual(expect.objectContaining({ status: 'done' }));
  });
});

describe('plan actions on the pages', () => {
  it('a row with what but no who or date shows the error summary, keeps what was typed and records nothing; then the child’s page marks it done', async () => {
    const child = await pw.child();
    await recordAll(pw, child, b.onCpPlan());
    const browser = new Browser(pw.app);
    await browser.signIn(pw.w.emails.worker);
    const url = `/children/${child}/process/steps/core_group`;
    expect((await browser.get(url)).statusCode).toBe(200);
    const form = { 'occurred-day': '2', 'occurred-month': '4', 'occurred-year': '2026', narrative: 'Core group met at the family home.', 'actions-1-what': 'Mother attends the parenting course' };
    const bad = await browser.post(url, form);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('govuk-error-summary');
    const text = textOf(bad.body);
    expect(text).toContain('Say who will do action 2: choose a practitioner or type a name');
    expect(text).toContain('Enter the date for action 2');
    expect(bad.body).toContain('href="#actions-1-due-day"');
    expect(bad.body).toContain('value="Mother attends the parenting course"');
    expect((await actionsOf(child)).body).toEqual([]);

    const ok = await browser.post(url, { ...form, 'actions-1-name': 'Mother', 'actions-1-due-day': '30', 'actions-1-due-month': '4', 'actions-1-due-year': '2026' });
    expect(ok.statusCode, textOf(ok.body).slice(0, 400)).toBe(303);
    const page = await browser.get(`/children/${child}`);
    expect(textOf(page.body)).toMatch(/Plan actions.*Mother attends the parenting course Mother 30 April 2026 Overdue Mark done/);
    const quick = /<form method="post" action="([^"]*plan_action_update)"[^>]*>([\s\S]*?)<\/form>/.exec(page.body);
    expect(quick).not.toBeNull();
    const hidden = Object.fromEntries([...quick![2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].filter((m) => m[1] !== '_csrf').map((m) => [m[1], m[2]]));
    const done = await browser.post(quick![1], hidden);
    expect(done.statusCode, textOf(done.body).slice(0, 400)).toBe(303);
    expect((await actionsOf(child)).body).toEqual([expect.objectContaining({ status: 'done', overdue: false })]);
    expect(textOf((await browser.get(`/children/${child}`)).body)).toMatch(/Mother attends the parenting course Mother 30 April 2026 Done/);
  });
});
