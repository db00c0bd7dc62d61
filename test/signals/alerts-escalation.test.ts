import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ChildDoor } from '../../src/access/door.js';
import { AlertService } from '../../src/signals/alert-service.js';
import { AlertTimers, SignalSweep } from '../../src/signals/alert-timers.js';
import { childrenDueForSchedule } from '../../src/signals/engine.js';
import { stepsFor } from '../process/step-builders.js';
import type { Hit, Severity } from '../../src/signals/hit.js';
import { onPostgres } from '../support/db.js';
import { newChild } from '../support/fixtures.js';
import { allocate } from '../../src/people/store.js';
import { processWorld, type ProcessWorld } from '../process/steps-support.js';

/**
 * Escalation by the real timer (pg-boss on the shared timers) and the work list's order. An alert is
 * raised by a service whose clock is hours behind, so its deadline (AU1, 4 hours) has passed by the
 * time the timer runs: the same device as the disagreement tests' decision taken days ago.
 */
let pw: ProcessWorld;
const db = () => pw.s.database.db;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

/** An alert service (and door) whose clock says `clock()`. */
const serviceAt = (clock: () => Date) => new AlertService(db(), new ChildDoor(db(), clock), pw.s.sealer, pw.s.decisions, clock);

async function ruleVersion(ruleId: string): Promise<string> {
  return (await sql<{ id: string }>`SELECT id::text AS id FROM signal_rules WHERE rule_id = ${ruleId} ORDER BY effective_from LIMIT 1`.execute(db())).rows[0].id;
}

/** Raises an alert on a new child, `hours` ago, from a case note the test writes. */
async function raiseAgo(hours: number, severity: Severity, ruleId = 'R7') {
  const child = await newChild(pw.s, { given_name: `Sev${severity}${hours}`, family_name: 'Worklist' });
  await allocate(db(), child, pw.w.actors.worker.id, pw.w.team, pw.w.actors.manager.id, hoursAgo(1000));
  const note = await pw.call('POST', `/api/children/${child}/entries`, 'worker', { kind: 'case_note', occurred_at: hoursAgo(hours + 1).toISOString(), narrative: 'Visit notes.', data: {} });
  const hit: Hit = { rule_id: ruleId, rule_version_id: await ruleVersion(ruleId), pattern_key: 'test', severity, recipients: ['allocated_worker', 'manager'], reason: `A ${severity} pattern.`, entry_ids: [note.body.id] };
  const [raised] = await db().transaction().execute((tx) => serviceAt(() => hoursAgo(hours)).raise(tx, child, [hit]));
  return { child, id: raised.alert.id };
}
const noticesOf = async (id: string, kind: string, child: string) =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM notifications WHERE recipient_id = ${id} AND kind = ${kind} AND child_id = ${child}`.execute(db())).rows[0].n;

beforeAll(async () => {
  pw = await processWorld();
});
afterAll(async () => pw.close());

describe(`alert escalation and the work list (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('escalates an unanswered alert to the manager, then the head of service, once each, by the timer', async () => {
    const { child, id } = await raiseAgo(10, 'urgent');
    // The timer's service sees the first deadline (6 hours ago) passed 5 hours ago, then the second
    // (4 hours after that, an hour ago) passed now: each escalation is checked against its own clock.
    let calls = 0;
    const stepping = () => (calls++ === 0 ? hoursAgo(5) : new Date());
    const timers = new AlertTimers(db(), 0.5, serviceAt(stepping));
    await timers.start();
    let a = (await pw.call('GET', `/api/alerts/${id}`, 'worker')).body;
    for (let i = 0; i < 80 && a.stage < 3; i++) {
      await new Promise((r) => setTimeout(r, 250));
      a = (await pw.call('GET', `/api/alerts/${id}`, 'worker')).body;
    }
    await timers.stop();
    expect(a).toMatchObject({ stage: 3, status: 'open', deadline: null, stage_name: 'Escalated to the head of service' });
    expect(a.trail.map((t: { action: string; by_id: string | null }) => `${t.action}:${t.by_id}`)).toEqual(['raised:null', 'escalated:null', 'escalated:null']);
    expect(a.alerted).toEqual(expect.arrayContaining([{ practitioner_id: pw.w.actors.head.id, name: 'Test head', stage: 3 }]));
    expect(await noticesOf(pw.w.actors.manager.id, 'alert_escalated', child)).toBe(1);
    expect(await noticesOf(pw.w.actors.head.id, 'alert_escalated', child)).toBe(1);
    expect(await noticesOf(pw.w.actors.worker.id, 'alert_escalated', child)).toBe(0);
    // Acting once: the timer's work again changes nothing.
    expect(await serviceAt(() => new Date()).escalateOverdue(child, id, 1)).toBe('moved_on');
    expect(await serviceAt(() => new Date()).escalateOverdue(child, id, 2)).toBe('moved_on');
    const audit = (await sql<{ basis: string; n: number }>`SELECT basis, count(*)::int AS n FROM audit_events WHERE child_id = ${child} AND action = 'escalate_alert' GROUP BY basis`.execute(db())).rows;
    expect(audit).toEqual([{ basis: 'system', n: 4 }]);
    // Everyone alerted so far may still answer: the worker, alerted at stage 1.
    const answered = await pw.call('POST', `/api/alerts/${id}/answer`, 'worker', { type: 'no_action', reason: 'Discussed with the head of service: seen by the GP, no concern.' });
    expect(answered.status).toBe(201);
    expect(answered.body).toMatchObject({ status: 'answered', stage: 3 });
  });

  it('does not escalate before the deadline, nor after the answer', async () => {
    const early = await raiseAgo(1, 'urgent', 'R5');
    expect(await serviceAt(() => new Date()).escalateOverdue(early.child, early.id, 1)).toBe('moved_on');
    const late = await raiseAgo(10, 'urgent', 'R5');
    await pw.call('POST', `/api/alerts/${late.id}/answer`, 'manager', { type: 'no_action', reason: 'Was brought the next day; appointment kept.' });
    expect(await serviceAt(() => new Date()).escalateOverdue(late.child, late.id, 1)).toBe('moved_on');
    const stages = (await sql<{ stage: number }>`SELECT stage FROM alerts WHERE id IN (${early.id}, ${late.id})`.execute(db())).rows;
    expect(stages).toEqual([{ stage: 1 }, { stage: 1 }]);
    expect((await pw.call('POST', `/api/alerts/${early.id}/answer`, 'worker', { type: 'no_action', reason: 'Rebooked and attended the same week.' })).status).toBe(201);
  });

  it('runs the absence rules on the sweep job: overdue deadlines (R9) raise one alert each, answered once', async () => {
    const child = await pw.child({ given_name: 'Sweep', family_name: 'Child' });
    const referral = await pw.step(child, stepsFor(pw.w).referral());
    expect(referral.status, JSON.stringify(referral.body)).toBe(201);
    const r9 = async () => ((await pw.call('GET', `/api/children/${child}/alerts`, 'worker')).body as { rule_id: string; id: string; pattern_key: string }[]).filter((a) => a.rule_id === 'R9');
    expect(await r9()).toEqual([]);
    const sweep = new SignalSweep(db(), 0.5, 1, (now) => pw.s.redFlags.sweep(now, childrenDueForSchedule));
    await sweep.start();
    let found = await r9();
    for (let i = 0; i < 80 && found.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 250));
      found = await r9();
    }
    // Another run or two finds the same overdue deadline: it is already open, so nothing is added.
    await new Promise((r) => setTimeout(r, 2500));
    await sweep.stop();
    // The referral started two clocks: the decision (T1) and the assessment (T2), both long past.
    expect(found.map((a) => a.pattern_key).sort()).toEqual([`overdue:T1:${referral.body.entry.id}`, `overdue:T2:${referral.body.entry.id}`]);
    expect(await r9()).toHaveLength(2);
    for (const a of found) expect((await pw.call('GET', `/api/alerts/${a.id}`, 'worker')).body.trail).toHaveLength(1);
    const audit = (await sql<{ basis: string }>`SELECT DISTINCT basis FROM audit_events WHERE child_id = ${child} AND action = 'raise_alert'`.execute(db())).rows;
    expect(audit).toEqual([{ basis: 'system' }]);
    for (const a of found) {
      expect((await pw.call('POST', `/api/alerts/${a.id}/answer`, 'worker', { type: 'no_action', reason: 'Recorded on paper at the time; entering the steps now.' })).status).toBe(201);
    }
    // Answered once: the next sweep finds the same deadlines and raises nothing new.
    await pw.s.redFlags.sweep(new Date(), childrenDueForSchedule);
    expect((await r9()).map((a) => (a as unknown as { status: string }).status)).toEqual(['answered', 'answered']);
  });

  it('lists my alerts most severe first, then overdue, then oldest, in the API and on /deadlines', async () => {
    const medium = await raiseAgo(100, 'medium');
    const highNew = await raiseAgo(1, 'high', 'R2');
    const highOverdue = await raiseAgo(200, 'high', 'R3');
    const urgent = await raiseAgo(2, 'urgent', 'R1');
    const urgentOld = await raiseAgo(3, 'urgent', 'R4');
    const expected = [urgentOld.id, urgent.id, highOverdue.id, highNew.id, medium.id];
    for (const who of ['worker', 'manager']) {
      const mine = (await pw.call('GET', '/api/alerts', who)).body;
      expect(mine.map((r: { id: string }) => r.id)).toEqual(expected);
    }
    const mine = (await pw.call('GET', '/api/alerts', 'worker')).body;
    expect(mine.find((r: { id: string }) => r.id === highOverdue.id)).toMatchObject({ overdue: true, severity: 'high', alerted: true });
    expect(mine.find((r: { id: string }) => r.id === highNew.id)).toMatchObject({ overdue: false });
    expect((await pw.call('GET', '/api/alerts', 'otherworker')).body).toEqual([]);
    const listing = (await sql<{ detail: { alerts: string[] } }>`SELECT detail FROM audit_events WHERE action = 'list_alerts_mine' AND actor_practitioner_id = ${pw.w.actors.worker.id} ORDER BY id DESC LIMIT 1`.execute(db())).rows[0];
    expect(listing.detail.alerts).toHaveLength(5);
    const { Browser, textOf } = await import('../web/session.js');
    const b = new Browser(pw.app);
    await b.signIn(pw.w.emails.worker);
    const page = await b.get('/deadlines');
    expect(page.statusCode).toBe(200);
    const table = /<table class="govuk-table" id="alerts">([\s\S]*?)<\/table>/.exec(page.body)![1];
    expect([...table.matchAll(/href="\/alerts\/([0-9a-f-]{36})"/g)].map((m) => m[1])).toEqual(expected);
    expect(textOf(table)).toContain('Overdue');
  });
});
