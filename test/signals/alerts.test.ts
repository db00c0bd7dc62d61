import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createPractitioner, createTeam } from '../../src/agencies/store.js';
import { addGroupMember } from '../../src/people/store.js';
import { onPostgres } from '../support/db.js';
import { PASSWORD, newChild } from '../support/fixtures.js';
import type { PersonInput } from '../../src/people/schemas.js';
import { processWorld, recordAll, type Body, type ProcessWorld } from '../process/steps-support.js';
import { stepsFor } from '../process/step-builders.js';

/**
 * Alerts through the API (issue 6, parts 2 and 3): an entry that a rule finds raises an alert in the
 * entry's own transaction and tells the people alerted; the same pattern adds to the open alert and
 * raises anew once it is answered; each of the three answers closes it; only the right people answer.
 */
let pw: ProcessWorld;
const db = () => pw.s.database.db;

/** A bruise on a baby recorded as not mobile: R1 (urgent) finds it; on the face R2 (high) does too. */
const bruise = (at = '2026-11-20T10:00:00Z', where = 'thigh'): Body => ({
  kind: 'injury', occurred_at: at, narrative: `Bruise (${where}) seen at the health visit.`,
  data: { body_locations: [where], injury_type: 'bruise', explanation_consistent: 'unclear', child_mobile: false },
});
const note: Body = { kind: 'case_note', occurred_at: '2026-11-20T09:00:00Z', narrative: 'Phoned mother about the next visit.', data: {} };

async function childWithHv(p: Partial<PersonInput> = {}) {
  const id = await pw.child(p);
  await addGroupMember(db(), id, pw.w.actors.hv.id, 'core_group', null);
  return id;
}
const entry = async (child: string, who: string, body: Body) => {
  const res = await pw.call('POST', `/api/children/${child}/entries`, who, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};
const alertsOf = async (child: string, who = 'worker') => (await pw.call('GET', `/api/children/${child}/alerts`, who)).body;
const notices = async (who: string, kind: string, child: string) =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM notifications WHERE recipient_id = ${who} AND kind = ${kind} AND child_id = ${child}`.execute(db())).rows[0].n;
async function call(method: 'GET' | 'POST', url: string, who: string, payload?: Body, key?: string) {
  const res = await pw.app.inject({ method, url, headers: { ...(await pw.auth(who)), ...(key ? { 'idempotency-key': key } : {}) }, payload });
  return { status: res.statusCode, headers: res.headers, body: res.json() };
}

beforeAll(async () => {
  pw = await processWorld();
});
afterAll(async () => pw.close());

describe(`alerts: raised, told, added to, answered (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('raises an alert in the entry’s transaction, names the rule and entries, and tells the worker and manager', async () => {
    const child = await childWithHv();
    await entry(child, 'hv', note);
    expect(await alertsOf(child)).toEqual([]);
    const injury = await entry(child, 'hv', bruise());
    const [a] = await alertsOf(child);
    expect(a).toMatchObject({ rule_id: 'R1', severity: 'urgent', status: 'open', stage: 1, front_door: false, answer: null, deadline: { code: 'AU1' } });
    expect(a.rule_name).toMatch(/not independently mobile/i);
    expect(a.reason).toContain('Test hv');
    expect(a.triggering_entries).toEqual([expect.objectContaining({ id: injury, kind: 'injury', agency_name: 'Northmoor NHS Trust', href: `/children/${child}#entry-${injury}` })]);
    expect(a.alerted.map((p: { practitioner_id: string }) => p.practitioner_id).sort()).toEqual([pw.w.actors.worker.id, pw.w.actors.manager.id].sort());
    expect(Date.parse(a.deadline.escalates_at) - Date.parse(a.raised_at)).toBe(4 * 3_600_000);
    for (const who of ['worker', 'manager']) expect(await notices(pw.w.actors[who].id, 'alert_raised', child)).toBe(1);
    expect(await notices(pw.w.actors.hv.id, 'alert_raised', child)).toBe(0);
    // The alert is an entry in the chronology, by Sightline itself, right after the entry that raised it.
    const [newest, before] = (await pw.call('GET', `/api/children/${child}/entries`, 'worker')).body.entries;
    expect(newest).toMatchObject({ kind: 'alert', author: { id: null, role: 'system' }, data: { action: 'raised', alert_id: a.id, rule_id: 'R1', entry_ids: [injury] } });
    expect(newest.data.rule_version_id).toBe(a.rule_version_id);
    expect(before.id).toBe(injury);
    // Dated beside the entry that raised it (the pattern was there to see then); its clock runs from now.
    expect(newest.occurred_at).toBe(before.occurred_at);
    expect(Date.parse(newest.recorded_at)).toBeGreaterThanOrEqual(Date.parse(before.recorded_at));
    expect((await pw.call('GET', `/api/alerts/${a.id}`, 'manager')).body).toMatchObject({ id: a.id, child_id: child });
  });

  it('raises one alert per rule that finds the entry, most severe first', async () => {
    const child = await childWithHv();
    const injury = await entry(child, 'hv', bruise('2026-11-20T10:00:00Z', 'face'));
    const alerts = await alertsOf(child);
    expect(alerts.map((a: { rule_id: string; severity: string }) => `${a.rule_id} ${a.severity}`)).toEqual(['R1 urgent', 'R2 high']);
    for (const a of alerts) expect(a.triggering_entries.map((e: { id: string }) => e.id)).toEqual([injury]);
    expect(await notices(pw.w.actors.worker.id, 'alert_raised', child)).toBe(2);
  });

  it('adds a new hit’s entries to the open alert, and raises a new one once it is answered', async () => {
    const child = await childWithHv();
    const first = await entry(child, 'hv', bruise('2026-11-20T10:00:00Z'));
    const second = await entry(child, 'hv', bruise('2026-11-21T10:00:00Z'));
    const open = await alertsOf(child);
    expect(open).toHaveLength(1);
    expect(open[0].triggering_entries.map((e: { id: string }) => e.id)).toEqual([first, second]);
    expect(open[0].trail.map((t: { action: string }) => t.action)).toEqual(['raised', 'added']);
    expect(await notices(pw.w.actors.worker.id, 'alert_added', child)).toBe(1);
    const res = await call('POST', `/api/alerts/${open[0].id}/answer`, 'worker', { type: 'no_action', reason: 'Both marks were seen by the GP: birthmarks, recorded in the notes.' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const third = await entry(child, 'hv', bruise('2026-11-22T10:00:00Z'));
    const after = await alertsOf(child);
    expect(after.map((a: { status: string }) => a.status)).toEqual(['open', 'answered']);
    expect(after[0].id).not.toBe(open[0].id);
    expect(after[0].triggering_entries.map((e: { id: string }) => e.id)).toEqual([third]);
  });

  it('does not find old entries again when a later home visit moves the visit clock of a child with a process', async () => {
    const child = await childWithHv();
    const b = stepsFor(pw.w);
    await recordAll(pw, child, [b.referral('2026-11-16')]);
    await entry(child, 'hv', bruise('2026-11-18T10:00:00Z'));
    const [raised] = await alertsOf(child);
    expect(raised.rule_id).toBe('R1');
    const res = await call('POST', `/api/alerts/${raised.id}/answer`, 'worker', { type: 'no_action', reason: 'Seen by the paediatrician the same day: a birthmark.' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const visit = { kind: 'home_visit', occurred_at: '2026-11-19T10:00:00Z', narrative: 'Visited; baby seen and well.', data: { child_seen: true, child_seen_alone: false } };
    await entry(child, 'worker', visit);
    const after = await alertsOf(child);
    expect(after.map((a: { id: string; status: string }) => [a.id, a.status])).toEqual([[raised.id, 'answered']]);
  });

  it('is answered with a decision (through the decision rules), an action or a reason, and then takes nothing more', async () => {
    const raiseOne = async () => {
      const child = await childWithHv();
      await entry(child, 'hv', bruise());
      return { child, id: (await alertsOf(child))[0].id as string };
    };
    const d = await raiseOne();
    const decided = await call('POST', `/api/alerts/${d.id}/answer`, 'manager', {
      type: 'decision', decision: { occurred_at: new Date().toISOString(), question: 'Does the bruise need a same-day strategy discussion?', outcome: 'Strategy discussion today', rationale: 'Non-mobile baby with a facial bruise and no explanation yet.' },
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(201);
    expect(decided.body).toMatchObject({ status: 'answered', answer: { type: 'decision', outcome: 'Strategy discussion today' }, answered_by: { id: pw.w.actors.manager.id } });
    const [decision] = (await pw.call('GET', `/api/children/${d.child}/decisions`, 'worker')).body;
    expect(decision).toMatchObject({ id: decided.body.answer.decision_id, maker: { id: pw.w.actors.manager.id }, rationale: expect.stringContaining('Non-mobile') });
    expect(await notices(pw.w.actors.worker.id, 'alert_answered', d.child)).toBe(1);

    const a = await raiseOne();
    const due = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const acted = await call('POST', `/api/alerts/${a.id}/answer`, 'worker', { type: 'action', what: 'Paediatric assessment today', owner_id: pw.w.actors.teammate.id, due_on: due }, 'alert-answer-key-1');
    expect(acted.status).toBe(201);
    expect(acted.body.answer).toEqual({ type: 'action', what: 'Paediatric assessment today', owner_id: pw.w.actors.teammate.id, owner_name: 'Test teammate', due_on: due });
    expect(await notices(pw.w.actors.teammate.id, 'alert_answered', a.child)).toBe(1);
    const replay = await call('POST', `/api/alerts/${a.id}/answer`, 'worker', { type: 'action', what: 'Paediatric assessment today', owner_id: pw.w.actors.teammate.id, due_on: due }, 'alert-answer-key-1');
    expect(replay).toMatchObject({ status: 201, headers: { 'idempotent-replayed': 'true' } });
    const again = await call('POST', `/api/alerts/${a.id}/answer`, 'manager', { type: 'no_action', reason: 'Answered twice by mistake, should be refused.' });
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/already answered by Test worker/);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM entries WHERE child_id = ${a.child} AND kind = 'alert'`.execute(db())).rows[0].n).toBe(2);
  });

  it('lets only the people alerted and their managers answer; others get 403, and 404 without a relationship', async () => {
    const child = await childWithHv();
    await entry(child, 'hv', bruise());
    const [a] = await alertsOf(child);
    const reason = { type: 'no_action', reason: 'Seen by the GP, a recorded birthmark.' };
    expect((await call('POST', `/api/alerts/${a.id}/answer`, 'teammate', reason)).status).toBe(403);
    expect((await call('POST', `/api/alerts/${a.id}/answer`, 'hv', reason)).status).toBe(403);
    expect((await call('POST', `/api/alerts/${a.id}/answer`, 'otherworker', reason)).status).toBe(404);
    expect((await call('GET', `/api/alerts/${a.id}`, 'otherworker')).status).toBe(404);
    expect((await call('GET', `/api/children/${child}/alerts`, 'otherworker')).status).toBe(404);
    // The head of service manages the manager, who was alerted.
    expect((await call('POST', `/api/alerts/${a.id}/answer`, 'head', reason)).status).toBe(201);
  });

  it('refuses bad answers with problem+json and records nothing', async () => {
    const child = await childWithHv();
    await entry(child, 'hv', bruise());
    const [a] = await alertsOf(child);
    const bad: [Body, string][] = [
      [{ type: 'no_action', reason: 'short' }, 'reason'],
      [{ type: 'maybe' }, 'type'],
      [{ type: 'action', what: 'Visit the family', owner_id: pw.w.actors.worker.id, due_on: '2020-01-01' }, 'due_on'],
      [{ type: 'action', what: 'Visit the family', owner_id: pw.w.actors.worker.id, due_on: '1 December' }, 'due_on'],
      [{ type: 'decision', decision: { occurred_at: new Date().toISOString(), question: 'What now for the baby?', outcome: 'Strategy discussion', rationale: '' } }, 'decision.rationale'],
    ];
    for (const [body, path] of bad) {
      const res = await call('POST', `/api/alerts/${a.id}/answer`, 'worker', body);
      // The schema answers 400 before the service runs; the service's own checks (a date in the past) 422.
      expect([400, 422], JSON.stringify(res.body)).toContain(res.status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(res.body)).toContain(path);
    }
    expect((await call('POST', `/api/alerts/not-a-uuid/answer`, 'worker', { type: 'no_action', reason: 'Nothing to do here at all.' })).status).toBe(400);
    expect((await alertsOf(child))[0]).toMatchObject({ status: 'open', trail: [expect.objectContaining({ action: 'raised' })] });
    expect((await call('POST', `/api/alerts/${crypto.randomUUID()}/answer`, 'worker', { type: 'no_action', reason: 'No such alert exists here.' })).status).toBe(404);
  });

  it('raises from an unscheduled-care check in the check’s own transaction (R4: a third attendance within a year)', async () => {
    const child = await childWithHv({ nhs_number: '9990000026' });
    const attendance = (at: string) => ({ kind: 'hospital_attendance', occurred_at: at, narrative: 'Seen in the emergency department.', data: { hospital: 'Northmoor General', department: 'emergency_department', presenting_complaint: 'Fall' } });
    const first = await entry(child, 'hv', attendance('2026-06-01T10:00:00Z'));
    const second = await entry(child, 'hv', attendance('2026-09-01T10:00:00Z'));
    expect((await alertsOf(child)).filter((a: { rule_id: string }) => a.rule_id === 'R4')).toEqual([]);
    const checked = await call('POST', '/api/unscheduled-care/checks', 'hv', { nhs_number: '9990000026', setting: 'minor_injury_unit', reason: 'Cut to the hand' });
    expect(checked.status, JSON.stringify(checked.body)).toBe(201);
    const check = (await sql<{ id: string }>`SELECT id FROM entries WHERE child_id = ${child} AND kind = 'unscheduled_care_check'`.execute(db())).rows[0].id;
    const [r4] = (await alertsOf(child)).filter((a: { rule_id: string }) => a.rule_id === 'R4');
    expect(r4).toMatchObject({ severity: expect.any(String), status: 'open' });
    expect(r4.triggering_entries.map((e: { id: string }) => e.id)).toEqual([first, second, check]);
  });

  it('keeps alert entries: they cannot be deleted or changed', async () => {
    const child = await childWithHv();
    await entry(child, 'hv', bruise());
    const id = (await sql<{ id: string }>`SELECT id FROM entries WHERE child_id = ${child} AND kind = 'alert'`.execute(db())).rows[0].id;
    await expect(sql`DELETE FROM entries WHERE id = ${id}`.execute(db())).rejects.toThrow();
    await expect(sql`UPDATE entries SET narrative = 'nothing happened' WHERE id = ${id}`.execute(db())).rejects.toThrow();
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM entries WHERE id = ${id}`.execute(db())).rows[0].n).toBe(1);
  });

  it('goes to the front door’s screening team manager when no one is allocated', async () => {
    const mash = await createTeam(db(), pw.w.la, 'Front Door', true);
    const mashManager = await createPractitioner(db(), { agency_id: pw.w.la, team_id: mash, email: 'mash-manager@example.test', display_name: 'Test MASH manager', role: 'team_manager', qualified_social_worker: true, password: PASSWORD });
    await createPractitioner(db(), { agency_id: pw.w.la, team_id: mash, manager_id: mashManager, email: 'mash-worker@example.test', display_name: 'Test MASH worker', role: 'social_worker', qualified_social_worker: true, password: PASSWORD });
    const child = await newChild(pw.s, { given_name: 'Robin', family_name: 'Unallocated', date_of_birth: '2026-09-01' });
    await addGroupMember(db(), child, pw.w.actors.hv.id, 'core_group', null);
    await entry(child, 'hv', bruise());
    const alert = (await sql<{ id: string }>`SELECT id FROM alerts WHERE child_id = ${child}`.execute(db())).rows[0];
    const alerted = (await sql<{ practitioner_id: string }>`SELECT practitioner_id FROM alert_recipients WHERE alert_id = ${alert.id}`.execute(db())).rows;
    expect(alerted).toEqual([{ practitioner_id: mashManager }]);
    expect(await notices(mashManager, 'alert_raised', child)).toBe(1);
    pw.w.emails.mash = 'mash-manager@example.test';
    const seen = await call('GET', `/api/alerts/${alert.id}`, 'mash');
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ front_door: true, alerted: [{ practitioner_id: mashManager, stage: 1 }] });
  });
});
