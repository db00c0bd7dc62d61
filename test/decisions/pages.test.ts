import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildApp, type Services } from '../../src/app.js';
import { createPractitioner } from '../../src/agencies/store.js';
import { addGroupMember } from '../../src/people/store.js';
import { onPostgres, testServices } from '../support/db.js';
import { homeVisit, PASSWORD, world, type World } from '../support/fixtures.js';
import { Browser, textOf } from '../web/session.js';

/**
 * Decisions and disagreements through the pages, as a browser without JavaScript sends them (cookie,
 * CSRF token, the form's own idempotency key): record, replace with a dissent, respond, do not
 * accept, resolve; state a position; raise one directly; the child's page, /deadlines and the chronology.
 */
let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
const as: Record<string, Browser> = {};
let dsEmail: string;

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  const db = s.database.db;
  const supt = await createPractitioner(db, { agency_id: w.police, email: 'supt@example.test', display_name: 'Supt Pages', role: 'police_officer', qualified_social_worker: false, password: PASSWORD } as never);
  dsEmail = 'ds@example.test';
  const ds = await createPractitioner(db, { agency_id: w.police, manager_id: supt, email: dsEmail, display_name: 'DS Pages', role: 'police_officer', qualified_social_worker: false, password: PASSWORD } as never);
  await db.updateTable('practitioners').set({ manager_id: ds }).where('id', '=', w.actors.police.id).execute();
  await addGroupMember(db, w.child, w.actors.police.id, 'strategy_discussion', w.actors.worker.id);
  await addGroupMember(db, w.child, w.actors.hv.id, 'core_group', w.actors.worker.id);
  app = await buildApp(s);
  for (const who of ['worker', 'police', 'manager', 'hv', 'teammate', 'otherworker', 'ds']) {
    as[who] = new Browser(app);
    expect((await as[who].signIn(who === 'ds' ? dsEmail : w.emails[who])).statusCode).toBe(303);
  }
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const child = (path = '') => `/children/${w.child}${path}`;
const hidden = (html: string) => ({ _idem: /name="_idem" value="([^"]+)"/.exec(html)?.[1] ?? '', _at: /name="_at" value="([^"]*)"/.exec(html)?.[1] ?? '' });
const count = async (kind: string) => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM entries WHERE child_id = ${w.child} AND kind = ${kind}`.execute(s.database.db)).rows[0].n;
const latest = async (kind: string) => (await sql<{ id: string; data: Record<string, unknown> }>`SELECT id, data FROM entries WHERE child_id = ${w.child} AND kind = ${kind} ORDER BY seq DESC LIMIT 1`.execute(s.database.db)).rows[0];
const openDisagreement = async () => (await sql<{ id: string; stage: number; status: string }>`SELECT id, stage, status FROM disagreements WHERE child_id = ${w.child} ORDER BY opened_at`.execute(s.database.db)).rows;
const lastDay = { 'occurred-day': '20', 'occurred-month': '11', 'occurred-year': '2026' };

/** Opens a form page as a browser would, then posts it with the form's own hidden fields. */
async function fill(who: string, page: string, action: string, form: Record<string, string | string[]>) {
  const opened = await as[who].get(page);
  expect(opened.statusCode, textOf(opened.body)).toBe(200);
  return as[who].post(action, { ...hidden(opened.body), ...form });
}

let policeDecision: string;
let replaced: string;
let disagreement: string;

describe(`decisions through the pages (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('refuses a decision without its rationale, says why, keeps what was typed and writes nothing', async () => {
    const res = await fill('police', child('/decisions/new'), child('/decisions'), {
      ...lastDay, 'occurred-time': '9:00', question: 'Where should Alex be tonight?', 'option-0': 'Remain at home', outcome: 'Remove to a place of safety', rationale: '',
      'participants-0-name': 'Dr Example', 'participants-0-agency': 'Northmoor NHS Trust',
    });
    expect(res.statusCode).toBe(422);
    const text = textOf(res.body);
    expect(text).toContain('There is a problem');
    expect(text).toContain('Say whether they agree or disagree');
    for (const kept of ['Where should Alex be tonight?', 'value="Remain at home"', 'value="Dr Example"', 'href="#participants-0-position"']) expect(res.body).toContain(kept);
    const noReason = await fill('police', child('/decisions/new'), child('/decisions'), { ...lastDay, question: 'Where should Alex be tonight?', outcome: 'Remove to a place of safety', rationale: '' });
    expect(textOf(noReason.body)).toContain('Give the reasons for the decision');
    expect(noReason.body).toContain('href="#rationale"');
    expect(await count('decision')).toBe(0);
  });

  it('records a named decision once, however often the form is sent, and refuses a form without its CSRF token', async () => {
    const opened = await as.police.get(child('/decisions/new'));
    const form = {
      ...hidden(opened.body), ...lastDay, 'occurred-time': '9:00', question: 'Where should Alex be tonight?', 'option-0': 'Remain at home', 'option-2': 'Stay with grandmother',
      outcome: 'Remove to a place of safety', rationale: 'Fracture with a delayed presentation and a changing explanation.',
    };
    expect((await as.police.post(child('/decisions'), form, { csrf: null })).statusCode).toBe(403);
    expect(await count('decision')).toBe(0);
    const first = await as.police.post(child('/decisions'), form);
    expect(first.statusCode, textOf(first.body)).toBe(303);
    const again = await as.police.post(child('/decisions'), form);
    expect(again.headers.location).toBe(first.headers.location);
    expect(await count('decision')).toBe(1);
    const made = await latest('decision');
    policeDecision = made.id;
    expect(made.data).toMatchObject({ options: ['Remain at home', 'Stay with grandmother'], outcome: 'Remove to a place of safety' });
    expect(first.headers.location).toBe(child(`?added=${policeDecision}#decision-${policeDecision}`));
  });

  it('replaces a decision from its "Replace this decision" link; a dissent opens a disagreement and marks the decision disputed', async () => {
    const page = textOf((await as.worker.get(child())).body);
    expect(page).toContain('Decisions and disagreements');
    expect(page).toMatch(/Remove to a place of safety Where should Alex be tonight\? · decided by Test police \(Police officer, Northmoor Police\)/);
    const link = child(`/decisions/new?supersedes=${policeDecision}`);
    expect((await as.worker.get(child())).body).toContain(`href="${link.replace('?', '?')}"`);
    const form = await as.worker.get(link);
    expect(textOf(form.body)).toContain('Replacing: Remove to a place of safety');
    expect(form.body).toContain('Where should Alex be tonight?</textarea>');
    const missing = await as.worker.post(child('/decisions'), { ...hidden(form.body), supersedes_id: policeDecision, ...lastDay, 'occurred-time': '11:00',
      question: 'Where should Alex be tonight?', outcome: 'Return home under a safety plan', rationale: 'Mother engaged; a family friend present at bath and bed times.' });
    expect(textOf(missing.body)).toContain('Say why the earlier decision is replaced');
    const res = await as.worker.post(child('/decisions'), {
      ...hidden(form.body), supersedes_id: policeDecision, ...lastDay, 'occurred-time': '11:00',
      question: 'Where should Alex be tonight?', outcome: 'Return home under a safety plan', rationale: 'Mother engaged; a family friend present at bath and bed times.',
      supersede_reason: 'Social care holds the decision on where the child lives.',
      'participants-0-practitioner': w.actors.police.id, 'participants-0-position': 'dissent', 'participants-0-reason': 'Remove until the adult is identified.',
      'participants-1-practitioner': w.actors.hv.id, 'participants-1-position': 'agree',
    });
    expect(res.statusCode, textOf(res.body)).toBe(303);
    replaced = (await latest('decision')).id;
    [{ id: disagreement }] = await openDisagreement();

    const html = (await as.worker.get(child())).body;
    const text = textOf(html);
    expect(text).toMatch(/Return home under a safety plan Disputed Where should Alex be tonight\? · decided by Test worker \(Social worker, Northmoor Council\)/);
    expect(text).toMatch(/Remove to a place of safety Superseded/);
    expect(text).toContain('Positions Test police (Police officer, Northmoor Police): Disagrees (Remove until the adult is identified.)');
    expect(text).toContain('Test hv (Health visitor, Northmoor NHS Trust): Agrees');
    expect(text).toContain('Also considered Remain at home; Stay with grandmother');
    expect(html).toContain(`href="#decision-${replaced}">a later decision</a>`);
    expect(text).toMatch(/Open disagreements .*Test police \(Police officer, Northmoor Police\) with Test worker \(Social worker, Northmoor Council\).* Stage 1: practitioner to practitioner Waiting for Test worker \(Social worker, Northmoor Council\) the end of 24 November 2026 Overdue/);
    // The replaced decision offers no more actions; the disputed one does.
    expect(html).not.toContain(`/decisions/new?supersedes=${policeDecision}`);
    expect(html).toContain(`/decisions/new?supersedes=${replaced}`);
    // A stale "Replace" form says why it cannot be replaced again (409), and writes nothing.
    const decisions = await count('decision');
    const stale = await fill('worker', link, child('/decisions'), { supersedes_id: policeDecision, ...lastDay, question: 'Where should Alex be tonight?', outcome: 'Stay with grandmother',
      rationale: 'Trying to replace it a second time.', supersede_reason: 'Grandmother offered today.' });
    expect(stale.statusCode).toBe(422);
    expect(textOf(stale.body)).toContain('That decision was already superseded');
    expect(stale.body).toContain('href="#supersede_reason"');
    expect(await count('decision')).toBe(decisions);
  });

  it('shows decision and disagreement entries in the chronology with a label and facts, and no "Correct this entry" link', async () => {
    await s.record.append(w.actors.worker, w.child, homeVisit());
    await s.process.record(w.actors.worker, w.child, { step: 'referral', occurred_at: '2026-11-19T09:00:00Z', data: { referral_source: '3B', primary_need: 'N1' } });
    const html = (await as.worker.get(child())).body;
    const text = textOf(html);
    expect(text).toContain('Decision by Test worker (Social worker, Northmoor Council)');
    expect(text).toContain('Question: Where should Alex be tonight? Decision: Return home under a safety plan');
    expect(text).toContain('Test police (Northmoor Police): disagrees: Remove until the adult is identified.');
    expect(text).toContain('Replaces an earlier decision: Social care holds the decision on where the child lives.');
    expect(text).toMatch(/Disagreement raised .*Stage 1: practitioner to practitioner Response due by the end of 24 November 2026/);
    expect(text).toContain('Referral received by Test worker');
    const corrections = [...html.matchAll(/entries\/([0-9a-f-]{36})\/correct/g)].map((m) => m[1]);
    const visit = await latest('home_visit');
    expect(corrections).toEqual([visit.id]);
    const refused = await as.worker.get(child(`/entries/${replaced}/correct`));
    expect(refused.statusCode).toBe(409);
    expect(textOf(refused.body)).toContain('changed by a later step of its own');
  });

  it('lists the disagreement in each party’s work list beside the deadlines, names and dates only', async () => {
    const police = textOf((await as.police.get('/deadlines')).body);
    expect(police).toMatch(/Disagreements you take part in .*Alex Testchild Test police with Test worker Stage 1: practitioner to practitioner\. You raised it; You are told of each step the end of 24 November 2026 Overdue/);
    expect(police).not.toContain('Remove until the adult is identified');
    const worker = textOf((await as.worker.get('/deadlines')).body);
    expect(worker).toContain('It is with you; You answer at this stage');
    expect(textOf((await as.teammate.get('/deadlines')).body)).toContain('You take part in no open disagreement.');
  });

  it('lets only those answering respond, and only the raiser accept or take it further, with the reasons shown', async () => {
    const url = child(`/disagreements/${disagreement}`);
    const asPolice = await as.police.get(url);
    expect(asPolice.body).not.toContain('/respond"');
    expect(asPolice.body).not.toContain('/answer"');
    const notYours = await as.police.post(`${url}/respond`, { ...hidden(asPolice.body), response: 'I will answer my own disagreement, then.' });
    expect(notYours.statusCode).toBe(422);
    expect(textOf(notYours.body)).toContain('Only those answering at stage 1 can respond.');
    expect(await count('disagreement')).toBe(1);

    const page = await as.worker.get(url);
    expect(textOf(page.body)).toMatch(/Raised by Test police .* With Test worker .* Stage Stage 1: practitioner to practitioner Who answers now Test worker/);
    const short = await as.worker.post(`${url}/respond`, { ...hidden(page.body), response: 'No.' });
    expect(textOf(short.body)).toContain('Give the response and the plan agreed');
    expect(short.body).toContain('No.</textarea>');
    const responded = await as.worker.post(`${url}/respond`, { ...hidden(page.body), response: 'The plan stands: the friend visits daily and we visit unannounced tomorrow.' });
    expect(responded.statusCode, textOf(responded.body)).toBe(303);

    const answer = await as.police.get(url);
    expect(textOf(answer.body)).toContain('Do you accept the response?');
    const noReason = await as.police.post(`${url}/answer`, { ...hidden(answer.body), accept: 'no' });
    expect(textOf(noReason.body)).toContain('Say why the response is not accepted');
    expect(noReason.body).toMatch(/value="no" checked/);
    const escalated = await as.police.post(`${url}/answer`, { ...hidden(answer.body), accept: 'no', reason: 'The friend has not been assessed.' });
    expect(escalated.headers.location).toBe(`${url}?done=escalated`);
    const stage2 = textOf((await as.police.get(`${url}?done=escalated`)).body);
    expect(stage2).toContain('The disagreement has gone up a stage.');
    expect(stage2).toMatch(/Stage Stage 2: line managers Who answers now (Test manager .*; DS Pages|DS Pages .*; Test manager)/);
    expect(stage2).toMatch(/What has happened Raised \(stage 1\).* Response \(stage 1\).*The plan stands.* Escalated \(stage 2\).*Response not accepted: The friend has not been assessed\./);

    // The detective sergeant reaches the record through the disagreement and answers for the police side.
    const ds = await as.ds.get(url);
    const dsAnswer = await as.ds.post(`${url}/respond`, { ...hidden(ds.body), response: 'Agreed with the team manager: the friend is assessed today.' });
    expect(dsAnswer.statusCode, textOf(dsAnswer.body)).toBe(303);
    const accepting = await as.police.get(url);
    expect((await as.police.post(`${url}/answer`, { ...hidden(accepting.body), accept: 'yes' })).headers.location).toBe(child('#decisions'));
    expect((await openDisagreement())[0]).toMatchObject({ stage: 2, status: 'closed' });

    const text = textOf((await as.worker.get(child())).body);
    expect(text).toContain('No disagreement is open.');
    expect(text).toMatch(/Closed disagreements \(1\) Test police .* with Test worker .*: Resolved: the raiser accepted the response/);
    expect(text).not.toMatch(/Return home under a safety plan Disputed/);
  });

  it('lets a named participant state a position, and a dissent opens a disagreement with the maker', async () => {
    expect((await as.teammate.get(child(`/decisions/${replaced}/position`))).statusCode).toBe(403);
    const url = child(`/decisions/${replaced}/position`);
    const none = await fill('hv', url, url, {});
    expect(textOf(none.body)).toContain('Say whether you agree or disagree');
    const noWhy = await fill('hv', url, url, { position: 'dissent' });
    expect(textOf(noWhy.body)).toContain('Say why you disagree');
    const res = await fill('hv', url, url, { position: 'dissent', reason: 'The friend cannot be there at night.' });
    expect(res.statusCode, textOf(res.body)).toBe(303);
    const open = (await openDisagreement()).filter((d) => d.status !== 'closed');
    expect(open).toHaveLength(1);
    expect(textOf((await as.worker.get(child())).body)).toMatch(/Return home under a safety plan Disputed/);
  });

  it('raises a disagreement about a lack of action with a practitioner working with the child; urgent runs in hours', async () => {
    const form = await as.hv.get(child('/disagreements/new'));
    expect(form.statusCode).toBe(200);
    const options = [...form.body.matchAll(/<option value="([0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(options).toEqual(expect.arrayContaining([w.actors.worker.id, w.actors.police.id, replaced]));
    expect(options).not.toContain(w.actors.hv.id);
    expect(options).not.toContain(w.actors.otherworker.id);
    const short = await as.hv.post(child('/disagreements'), { ...hidden(form.body), respondent_id: w.actors.worker.id, matter: 'Too short', urgent: 'yes' });
    expect(short.statusCode).toBe(422);
    expect(textOf(short.body)).toContain('Say what the disagreement is about');
    expect(short.body).toMatch(/value="yes" checked/);
    const before = (await openDisagreement()).length;
    const res = await as.hv.post(child('/disagreements'), { ...hidden(form.body), respondent_id: w.actors.worker.id, matter: 'No home visit for three weeks despite the new injury.', urgent: 'yes' });
    expect(res.statusCode, textOf(res.body)).toBe(303);
    expect(res.headers.location).toMatch(/\/disagreements\/[0-9a-f-]{36}\?done=raised$/);
    expect(await openDisagreement()).toHaveLength(before + 1);
    const page = textOf((await as.hv.get(res.headers.location as string)).body);
    expect(page).toContain('Your disagreement is raised.');
    expect(page).toMatch(/Professional disagreement Urgent/);
    expect(page).toMatch(/Response due by \d+ \w+ 2026 at [\d:]+(am|pm) \(UK time\) Open/);
    // From a decision's link, the decision and its maker are chosen already.
    const about = await as.police.get(child(`/disagreements/new?decision=${replaced}`));
    expect(about.body).toMatch(new RegExp(`<option value="${w.actors.worker.id}" selected>`));
    expect(about.body).toMatch(new RegExp(`<option value="${replaced}" selected>`));
  });

  it('answers 404 to a practitioner with no relationship, on every page', async () => {
    for (const path of ['/decisions/new', `/decisions/${replaced}/position`, '/disagreements/new', `/disagreements/${disagreement}`]) {
      expect((await as.otherworker.get(child(path))).statusCode, path).toBe(404);
    }
    const csrf = (await as.otherworker.get('/deadlines')).statusCode;
    expect(csrf).toBe(200);
    const posted = await as.otherworker.post(child('/disagreements'), { respondent_id: w.actors.worker.id, matter: 'I cannot see this child at all.', urgent: 'no' });
    expect(posted.statusCode).toBe(404);
  });
});
