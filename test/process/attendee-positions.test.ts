import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { onPostgres } from '../support/db.js';
import { processWorld, recordAll, type ProcessWorld } from './steps-support.js';
import { stepsFor, type Steps } from './step-builders.js';
import { Browser, textOf } from '../web/session.js';

/**
 * Principle 2 on the page: each person at a meeting that decides something gives their view of the
 * decision on the step's form, a dissent with its reason; a Sightline practitioner's dissent opens a
 * professional disagreement with the decision's maker, as the API does (test/decisions/process-decisions.test.ts).
 */
let pw: ProcessWorld;
let b: Steps;
let worker: Browser;

beforeAll(async () => {
  pw = await processWorld();
  b = stepsFor(pw.w);
  worker = new Browser(pw.app);
  expect((await worker.signIn(pw.w.emails.worker)).statusCode).toBe(303);
});
afterAll(() => pw.close());

const db = () => pw.s.database.db;
/** Everything a refused form must leave untouched: the child's entries, step audits and disagreements. */
const count = async (child: string) => (await sql<{ entries: number; audits: number; disagreements: number }>`SELECT
  (SELECT count(*)::int FROM entries WHERE child_id = ${child}) AS entries,
  (SELECT count(*)::int FROM audit_events WHERE child_id = ${child} AND action = 'record_process_step') AS audits,
  (SELECT count(*)::int FROM disagreements WHERE child_id = ${child}) AS disagreements`.execute(db())).rows[0];
const hidden = (html: string) => ({ _idem: /name="_idem" value="([^"]+)"/.exec(html)?.[1] ?? '', _at: /name="_at" value="([^"]*)"/.exec(html)?.[1] ?? '' });

describe(`each attendee's position at a conference, recorded through the page (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('refuses a dissent without a reason or from outside Sightline, keeping what was typed; then records every position and opens the disagreement', async () => {
    const child = await pw.child();
    await recordAll(pw, child, [...b.inS47(), b.s47Concluded()]);
    const { police, dsl } = pw.w.actors;
    const url = `/children/${child}/process/steps/icpc`;
    const form = await worker.get(url);
    expect(form.statusCode).toBe(200);
    expect(textOf(form.body)).toContain('Their view of the decision Agrees Disagrees Not recorded');
    // Person 1, the recorder, is the decision's maker; every row starts as "not recorded".
    expect(form.body).toMatch(/name="attendees-1-position" type="radio" value="" checked/);

    const conference = {
      'occurred-day': '23', 'occurred-month': '3', 'occurred-year': '2026',
      outcome: 'cp_plan', category: 'NEG', lead_id: pw.w.actors.worker.id,
      narrative: 'Repeated neglect of health needs; the parents are not yet engaging with the plan.',
      'attendees-0-practitioner': pw.w.actors.worker.id, 'attendees-0-position': '',
      'attendees-1-practitioner': '', 'attendees-1-name': 'Dr Example Paediatrician', 'attendees-1-agency': 'health', 'attendees-1-position': 'agree',
      'attendees-2-practitioner': police.id, 'attendees-2-position': 'dissent',
      'attendees-3-practitioner': dsl.id, 'attendees-3-position': '',
      'attendees-4-name': 'Ms Example Advocate', 'attendees-4-agency': 'other', 'attendees-4-position': 'dissent',
      'attendees-4-dissent_reason': 'The parents were not heard.',
      'attendees-5-practitioner': '', 'attendees-5-name': '', 'attendees-5-position': '',
    };
    const before = await count(child);
    const refused = await worker.post(url, { ...hidden(form.body), ...conference });
    expect(refused.statusCode).toBe(422);
    // The summary names each row and links to it.
    expect(textOf(refused.body)).toMatch(/There is a problem Say why person 3 disagrees Person 5 disagrees: choose them from the practitioners in Sightline, so the disagreement reaches them /);
    for (const link of ['#attendees-2-dissent_reason', '#attendees-4-practitioner']) expect(refused.body).toContain(`href="${link}"`);
    // Everything typed is kept: names, choices, positions and reasons.
    for (const kept of [
      'value="Dr Example Paediatrician"', 'name="attendees-1-position" type="radio" value="agree" checked',
      'name="attendees-2-position" type="radio" value="dissent" checked', `<option value="${police.id}" selected>`,
      'name="attendees-4-position" type="radio" value="dissent" checked', 'The parents were not heard.', 'value="cp_plan" checked',
    ]) expect(refused.body).toContain(kept);
    expect(await count(child)).toEqual(before);

    // A reason typed for someone not marked as disagreeing is asked about, not dropped.
    const unmarked = await worker.post(url, { ...hidden(refused.body), ...conference, 'attendees-2-dissent_reason': 'Sam should be removed to a place of safety.', 'attendees-2-position': '', 'attendees-4-position': '', 'attendees-4-dissent_reason': '' });
    expect(unmarked.statusCode).toBe(422);
    expect(textOf(unmarked.body)).toContain('You said why person 3 disagrees: choose “Disagrees”, or clear the reason');
    expect(unmarked.body).toContain('href="#attendees-2-position"');
    expect(await count(child)).toEqual(before);

    // The recorder makes the decision: the service refuses their dissent, shown on their row.
    const maker = await worker.post(url, {
      ...hidden(unmarked.body), ...conference, 'attendees-0-position': 'dissent', 'attendees-0-dissent_reason': 'I disagree with my own decision.',
      'attendees-2-dissent_reason': 'Sam should be removed to a place of safety.', 'attendees-4-position': 'agree', 'attendees-4-dissent_reason': '',
    });
    expect(maker.statusCode).toBe(422);
    expect(textOf(maker.body)).toContain('The practitioner recording the step makes the decision and cannot dissent from it');
    expect(maker.body).toContain('href="#attendees-0-position"');
    expect(maker.body).toContain('I disagree with my own decision.');
    expect(await count(child)).toEqual(before);

    const ok = await worker.post(url, {
      ...hidden(unmarked.body), ...conference,
      'attendees-2-dissent_reason': 'Sam should be removed to a place of safety.',
      'attendees-4-position': 'agree', 'attendees-4-dissent_reason': '',
    });
    expect(ok.statusCode, textOf(ok.body)).toBe(303);

    const [decision] = (await pw.call('GET', `/api/children/${child}/decisions`, 'worker')).body;
    expect(decision).toMatchObject({
      question: 'Is the child likely to suffer significant harm, and what plan do they need?',
      outcome: 'Child protection plan (category: Neglect)',
      maker: { id: pw.w.actors.worker.id },
      disputed: true,
    });
    // The maker's own row and the one not recorded give no position; the others are listed in form order.
    expect(decision.participants).toEqual([
      expect.objectContaining({ name: 'Dr Example Paediatrician', agency: 'Health', position: 'agree' }),
      expect.objectContaining({ practitioner_id: police.id, name: 'Test police', agency: 'Police', position: 'dissent', reason: 'Sam should be removed to a place of safety.' }),
      expect.objectContaining({ name: 'Ms Example Advocate', agency: 'Other', position: 'agree' }),
    ]);
    expect(decision.participants.some((p: { practitioner_id?: string }) => p.practitioner_id === dsl.id)).toBe(false);

    const disagreements = (await pw.call('GET', `/api/children/${child}/disagreements`, 'worker')).body;
    expect(disagreements).toHaveLength(1);
    expect(disagreements[0]).toMatchObject({ stage: 1, status: 'awaiting_response', raiser_id: police.id, respondent_id: pw.w.actors.worker.id, decision_id: decision.id });
    expect(disagreements[0].matter).toContain('Sam should be removed');

    // The child's page shows each position beside the decision, and the open disagreement.
    const page = textOf((await worker.get(`/children/${child}`)).body);
    expect(page).toContain('Positions Dr Example Paediatrician (Health): Agrees Test police (Police): Disagrees (Sam should be removed to a place of safety.) Ms Example Advocate (Other): Agrees');
    expect(page).toMatch(/Open disagreements .*Test police[^]*with Test worker/);
  });

  it('asks no position at a meeting that decides nothing (a core group)', async () => {
    const child = await pw.child();
    await recordAll(pw, child, b.onCpPlan());
    const form = await worker.get(`/children/${child}/process/steps/core_group`);
    expect(form.statusCode).toBe(200);
    expect(textOf(form.body)).toContain('Who was there');
    expect(form.body).not.toContain('attendees-0-position');
  });
});
