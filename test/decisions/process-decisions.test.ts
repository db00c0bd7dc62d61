import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { onPostgres } from '../support/db.js';
import { processWorld, recordAll, type ProcessWorld } from '../process/steps-support.js';
import { stepsFor, type Steps } from '../process/step-builders.js';
import { Browser, textOf } from '../web/session.js';

/**
 * Decisions of the statutory process (issue 4, part 1): a step that decides something records a named
 * decision in the same transaction, and a dissent at the meeting opens a professional disagreement.
 */
let pw: ProcessWorld;
let b: Steps;

beforeAll(async () => {
  pw = await processWorld();
  b = stepsFor(pw.w);
});
afterAll(() => pw.close());

const db = () => pw.s.database.db;
/** The child's decision and disagreement entries, and the step each decision was taken at, in record order. */
const trail = async (child: string) => (await sql<{ kind: string; action: string; step_id: string | null }>`SELECT kind, data->>'action' AS action, data->>'process_step_id' AS step_id
  FROM entries WHERE child_id = ${child} AND kind IN ('process_step', 'decision', 'disagreement') ORDER BY seq`.execute(db())).rows;
const count = async (child: string) => (await sql<{ entries: number; audits: number; projected: number }>`SELECT
  (SELECT count(*)::int FROM entries WHERE child_id = ${child}) AS entries,
  (SELECT count(*)::int FROM audit_events WHERE child_id = ${child} AND action = 'record_process_step') AS audits,
  (SELECT count(*)::int FROM process_clocks WHERE child_id = ${child}) AS projected`.execute(db())).rows[0];

describe(`a strategy discussion the police dissent from (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('records the discussion’s decision by its recorder and opens a disagreement at stage 1 raised by the police officer', async () => {
    const child = await pw.child();
    await recordAll(pw, child, [b.referral(), b.decision('strategy_discussion')]);
    const police = pw.w.actors.police;
    const res = await pw.step(child, {
      ...b.strategy(),
      rationale: 'Skeletal survey clear; mother engaged and agrees a safety plan, so enquiries go ahead with Alex at home.',
      data: {
        outcome: 's47', s47_lead_id: pw.w.actors.worker.id, immediate_protection: false,
        attendees: [
          { practitioner_id: pw.w.actors.worker.id, name: 'Test worker', agency_kind: 'local_authority', position: 'agree' },
          { practitioner_id: police.id, name: 'Test police', agency_kind: 'police', role: 'Detective constable', position: 'dissent', dissent_reason: 'Alex should be removed to a place of safety tonight.' },
          { name: 'Dr Example', agency_kind: 'health', position: 'agree' },
        ],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.decision).toMatchObject({
      question: 'Is there reasonable cause to suspect significant harm, and does the child need protecting now?',
      outcome: 'Section 47 enquiry; no immediate protection',
      options: ['Section 47 enquiry, and immediate protection (police protection or an emergency protection order)', 'No section 47 enquiry'],
      maker: { id: pw.w.actors.worker.id, name: 'Test worker' },
      process_step_id: res.body.entry.id,
      disputed: true,
      participants: [
        { practitioner_id: police.id, position: 'dissent', reason: 'Alex should be removed to a place of safety tonight.', agency: 'Police', role: 'Detective constable' },
        { name: 'Dr Example', position: 'agree', agency: 'Health' },
      ],
    });
    expect(res.body.disagreements).toHaveLength(1);
    const [opened] = res.body.disagreements;
    expect(opened).toMatchObject({ stage: 1, status: 'awaiting_response', raiser_id: police.id, respondent_id: pw.w.actors.worker.id, decision_id: res.body.decision.id });
    expect(opened.deadline).toMatchObject({ code: 'E1', due_on: '2026-03-05' });
    expect(opened.matter).toContain('Alex should be removed');

    // The officer reaches the record through the discussion, and sees the disagreement they raised.
    const seen = await pw.call('GET', `/api/children/${child}/disagreements/${opened.id}`, 'police');
    expect(seen.status).toBe(200);
    expect(seen.body.answering_now).toEqual([pw.w.actors.worker.id]);
    const kinds = await trail(child);
    expect(kinds.map((k) => `${k.kind}:${k.action ?? ''}`)).toEqual(['process_step:', 'process_step:', 'decision:made', 'process_step:', 'decision:made', 'disagreement:opened']);
    expect(kinds[4].step_id).toBe(res.body.entry.id);
  });

  it('refuses a dissent from the maker, and a dissent where nothing is decided, writing nothing', async () => {
    const child = await pw.child();
    await recordAll(pw, child, b.onCpPlan());
    const before = await count(child);
    const mine = await pw.step(child, b.review('2026-06-22', { attendees: [{ practitioner_id: pw.w.actors.worker.id, name: 'Test worker', agency_kind: 'local_authority', position: 'dissent', dissent_reason: 'I disagree with myself.' }] }));
    expect(mine.status).toBe(422);
    expect(mine.body.errors).toEqual([expect.objectContaining({ path: 'data.attendees.0.position' })]);
    const core = await pw.step(child, { ...b.coreGroup('2026-04-07'), data: { attendees: [{ practitioner_id: pw.w.actors.police.id, name: 'Test police', agency_kind: 'police', position: 'dissent', dissent_reason: 'The plan does not protect Sam.' }] } });
    expect(core.status).toBe(422);
    expect(core.body.errors).toEqual([expect.objectContaining({ path: 'data.attendees.0.position' })]);
    expect(await count(child)).toEqual(before);
  });
});

describe('a conference outcome', () => {
  it('is a decision with its rationale, its maker and the other outcomes as the options considered', async () => {
    const child = await pw.child();
    await recordAll(pw, child, [...b.inS47(), b.s47Concluded()]);
    const rationale = 'Repeated neglect of health needs and a home unsafe for a toddler; parents not yet engaging with the plan.';
    const res = await pw.step(child, { ...b.icpc(), narrative: 'Conference held at the civic centre.', rationale, data: { outcome: 'cp_plan', category: 'NEG', lead_id: pw.w.actors.worker.id, attendees: [] } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.disagreements).toEqual([]);
    const decisions = (await pw.call('GET', `/api/children/${child}/decisions`, 'manager')).body;
    expect(decisions[0]).toMatchObject({
      question: 'Is the child likely to suffer significant harm, and what plan do they need?',
      outcome: 'Child protection plan (category: Neglect)',
      options: ['Child in need plan', 'No plan'],
      rationale,
      maker: { id: pw.w.actors.worker.id, name: 'Test worker', role: 'social_worker', agency_id: pw.w.la },
      process_step_id: res.body.entry.id,
      participants: [],
      disputed: false,
    });
    // The section 47 outcome before it is a decision too, its reasons taken from the narrative.
    expect(decisions[1]).toMatchObject({ outcome: 'Convene an initial child protection conference', rationale: 'The enquiries substantiated the concern of significant harm.' });
  });

  it('takes the options considered when they are given', async () => {
    const child = await pw.child();
    await recordAll(pw, child, b.onCpPlan());
    const res = await pw.step(child, { ...b.review('2026-06-22'), options_considered: ['Legal planning meeting'] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.decision).toMatchObject({ outcome: 'The child protection plan continues', options: ['Legal planning meeting'] });
  });
});

describe('a referral decision without reasons', () => {
  it('is refused (422 on rationale) and nothing is written, through the API and the form', async () => {
    const child = await pw.child();
    await recordAll(pw, child, [b.referral()]);
    const before = await count(child);
    const bare = await pw.step(child, { ...b.decision('no_further_action'), narrative: '' });
    expect(bare.status).toBe(422);
    expect(bare.body.errors).toEqual([{ path: 'rationale', message: 'Give the reasons for the decision in at least 10 characters' }]);
    const short = await pw.step(child, { ...b.decision('no_further_action'), rationale: 'No risk.' });
    expect(short.status).toBe(422);
    expect(short.body.errors[0].path).toBe('rationale');
    expect(await count(child)).toEqual(before);
    expect((await pw.call('GET', `/api/children/${child}/decisions`, 'worker')).body).toEqual([]);

    // The form asks for the reasons as its notes, and keeps what was chosen.
    const browser = new Browser(pw.app);
    expect((await browser.signIn(pw.w.emails.worker)).statusCode).toBe(303);
    const url = `/children/${child}/process/steps/referral_decision`;
    const form = await browser.get(url);
    expect(textOf(form.body)).toContain('Why was this decided?');
    const [y, m, d] = '2026-03-02'.split('-');
    const res = await browser.post(url, { 'occurred-day': d, 'occurred-month': m, 'occurred-year': y, outcome: 'no_further_action', referrer_acknowledged: 'yes', narrative: 'ok' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('href="#narrative"');
    expect(textOf(res.body)).toContain('Give the reasons for the decision in at least 10 characters');
    expect(res.body).toContain('value="no_further_action" checked');
    expect(await count(child)).toEqual(before);
  });
});
