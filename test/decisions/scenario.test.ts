import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildApp, type Services } from '../../src/app.js';
import { createPractitioner } from '../../src/agencies/store.js';
import { addGroupMember } from '../../src/people/store.js';
import { DisagreementTimers } from '../../src/decisions/timers.js';
import { testServices } from '../support/db.js';
import { PASSWORD, world, type World } from '../support/fixtures.js';

/**
 * The scenario, through the API: the police want removal, a senior social worker decides
 * on a return home under a safety plan, the police's dissent opens a disagreement by itself, nobody
 * answers, the escalation timer moves it to the managers, the police do not accept their answer,
 * the heads resolve it, and the child's record shows every step in order.
 */
let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
const bearer: Record<string, string> = {};
let ds: string;

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  const db = s.database.db;
  const superintendent = await createPractitioner(db, { agency_id: w.police, email: 'supt@example.test', display_name: 'Supt Test', role: 'police_officer', qualified_social_worker: false, password: PASSWORD } as never);
  ds = await createPractitioner(db, { agency_id: w.police, manager_id: superintendent, email: 'ds@example.test', display_name: 'DS Test', role: 'police_officer', qualified_social_worker: false, password: PASSWORD } as never);
  await db.updateTable('practitioners').set({ manager_id: ds }).where('id', '=', w.actors.police.id).execute();
  await addGroupMember(db, w.child, w.actors.police.id, 'strategy_discussion', w.actors.worker.id, new Date('2026-11-01T09:00:00Z'));
  app = await buildApp(s);
  for (const [who, email] of [['worker', w.emails.worker], ['police', w.emails.police], ['manager', w.emails.manager], ['head', w.emails.head], ['ds', 'ds@example.test'], ['teammate', w.emails.teammate]]) {
    bearer[who] = (await app.inject({ method: 'POST', url: '/api/auth/token', payload: { email, password: PASSWORD } })).json().token;
  }
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const call = async (who: string, method: 'GET' | 'POST', url: string, payload?: object) => {
  const res = await app.inject({ method, url: `/api/children/${w.child}${url}`, headers: { authorization: `Bearer ${bearer[who]}` }, payload });
  return { status: res.statusCode, body: res.json() };
};
const noticesOf = async (id: string, kind: string) =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM notifications WHERE recipient_id = ${id} AND kind = ${kind}`.execute(s.database.db)).rows[0].n;

describe('police and social care disagree about removal', () => {
  it('runs from dissent to an accepted resolution, escalating by itself on the way', async () => {
    const police = await call('police', 'POST', '/decisions', {
      occurred_at: '2026-11-20T09:00:00Z', question: 'Where should Alex be tonight?', options: ['Remain at home', 'Remove to a place of safety'],
      outcome: 'Remove to a place of safety', rationale: 'Fracture with a delayed presentation and a changing explanation; an unchecked adult in the home.',
    });
    expect(police.status).toBe(201);
    const decided = await call('worker', 'POST', '/decisions', {
      occurred_at: '2026-11-20T11:00:00Z', question: 'Where should Alex be tonight?', options: ['Remove to a place of safety', 'Return home under a safety plan'],
      outcome: 'Return home under a safety plan', rationale: 'Mother engaged; a family friend will be present at bath and bed times; unannounced visits.',
      supersedes_id: police.body.decision.id, supersede_reason: 'Social care holds the decision on where the child lives; police view recorded below.',
      participants: [{ practitioner_id: w.actors.police.id, name: 'Test police', agency: 'Northmoor Police', position: 'dissent', reason: 'The child should be removed until the adult is identified and checked.' }],
    });
    expect(decided.status).toBe(201);
    expect(decided.body.decision).toMatchObject({ maker: { id: w.actors.worker.id }, disputed: true });
    const [opened] = decided.body.disagreements;
    expect(opened).toMatchObject({ stage: 1, status: 'awaiting_response', raiser_id: w.actors.police.id, respondent_id: w.actors.worker.id });
    expect(opened.deadline).toMatchObject({ code: 'E1', due_on: '2026-11-24' });

    // Nobody answers. The escalation timer (pg-boss) moves it up at the deadline, once.
    const timers = new DisagreementTimers(s.database.db, 0.5, s.disagreements);
    await timers.start();
    let d = opened;
    for (let i = 0; i < 60 && d.stage === 1; i++) {
      await new Promise((r) => setTimeout(r, 250));
      d = (await call('worker', 'GET', `/disagreements/${opened.id}`)).body;
    }
    await timers.stop();
    expect(d).toMatchObject({ stage: 2, status: 'awaiting_response' });
    expect(d.trail.at(-1)).toMatchObject({ action: 'escalated', by_id: null });
    expect(await noticesOf(w.actors.manager.id, 'disagreement_escalated')).toBe(1);
    expect(await noticesOf(ds, 'disagreement_escalated')).toBe(1);
    expect(await s.disagreements.escalateOverdue(w.child, opened.id, 1)).toBe('moved_on');

    // The DS reaches the record through the disagreement; the team manager answers for social care.
    expect((await call('ds', 'GET', `/disagreements/${opened.id}`)).status).toBe(200);
    expect((await call('teammate', 'POST', `/disagreements/${opened.id}/responses`, { response: 'I am not answering at this stage, am I?' })).status).toBe(403);
    const answered = await call('manager', 'POST', `/disagreements/${opened.id}/responses`, { response: 'The plan stands: daily visits by the friend and an unannounced visit tomorrow.' });
    expect(answered.status).toBe(201);
    expect(answered.body.status).toBe('awaiting_raiser');
    expect((await call('worker', 'POST', `/disagreements/${opened.id}/answer`, { accept: true })).status).toBe(403);

    const notAccepted = await call('police', 'POST', `/disagreements/${opened.id}/answer`, { accept: false, reason: 'The friend has not been assessed; the adult is still unknown.' });
    expect(notAccepted.body).toMatchObject({ stage: 3, status: 'awaiting_response' });
    const resolved = await call('head', 'POST', `/disagreements/${opened.id}/responses`, { response: 'Legal planning meeting tomorrow; the friend assessed today; the partner identified with police by Friday.' });
    expect(resolved.status).toBe(201);
    const closed = await call('police', 'POST', `/disagreements/${opened.id}/answer`, { accept: true });
    expect(closed.body).toMatchObject({ status: 'closed', outcome: 'resolved' });
    expect(closed.body.trail.map((t: { action: string; stage: number }) => `${t.action}@${t.stage}`)).toEqual(
      ['opened@1', 'escalated@2', 'responded@2', 'escalated@3', 'responded@3', 'accepted@3']);

    // The record holds the whole trail, in order, and the decision is no longer disputed.
    const kinds = await sql<{ kind: string; action: string }>`SELECT kind, data->>'action' AS action FROM entries
      WHERE child_id = ${w.child} AND kind IN ('decision', 'disagreement') ORDER BY seq`.execute(s.database.db);
    expect(kinds.rows.map((r) => `${r.kind}:${r.action}`)).toEqual([
      'decision:made', 'decision:made', 'disagreement:opened', 'disagreement:escalated', 'disagreement:responded',
      'disagreement:escalated', 'disagreement:responded', 'disagreement:accepted',
    ]);
    const decisions = (await call('worker', 'GET', '/decisions')).body;
    expect(decisions[0]).toMatchObject({ outcome: 'Return home under a safety plan', disputed: false });
    expect(decisions[1]).toMatchObject({ outcome: 'Remove to a place of safety', superseded_by: decisions[0].id });
  });
});

describe('what a decision must be', () => {
  it('has a named maker and a rationale, is never edited, and cannot be superseded twice', async () => {
    const base = { occurred_at: '2026-11-21T09:00:00Z', question: 'Is a strategy discussion needed?', outcome: 'Threshold not met' };
    const noReason = await call('worker', 'POST', '/decisions', base);
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body)).toContain('rationale');
    const token = await app.inject({ method: 'POST', url: `/api/children/${w.child}/decisions`, headers: { authorization: 'Bearer not-a-token' }, payload: { ...base, rationale: 'Enough reasons here.' } });
    expect(token.statusCode).toBe(401);
    const first = await call('worker', 'POST', '/decisions', { ...base, rationale: 'A single bruise with a consistent explanation.' });
    const second = await call('manager', 'POST', '/decisions', { ...base, outcome: 'Strategy discussion today', rationale: 'Pattern across agencies.', supersedes_id: first.body.decision.id, supersede_reason: 'New information from health.' });
    expect(second.status).toBe(201);
    const third = await call('worker', 'POST', '/decisions', { ...base, rationale: 'Trying to replace it again.', supersedes_id: first.body.decision.id, supersede_reason: 'Trying again.' });
    expect(third.status).toBe(409);
    const edit = await app.inject({ method: 'PUT', url: `/api/children/${w.child}/decisions/${first.body.decision.id}`, headers: { authorization: `Bearer ${bearer.worker}` }, payload: {} });
    expect(edit.statusCode).toBe(404);
    await expect(sql`UPDATE entries SET narrative = 'changed' WHERE id = ${first.body.decision.id}`.execute(s.database.db)).rejects.toThrow();
    // Nor rewritten through the ordinary entry form's corrections.
    const corrected = await call('worker', 'POST', '/entries', { kind: 'case_note', occurred_at: '2026-11-21T10:00:00Z', narrative: 'Decision text changed.', supersedes_id: first.body.decision.id, correction_reason: 'Trying to edit a decision.' });
    expect(corrected.status).toBe(409);
  });
});
