import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildApp, type Services } from '../../src/app.js';
import { addGroupMember, allocate } from '../../src/people/store.js';
import { testServices } from '../support/db.js';
import { newChild, world, type World } from '../support/fixtures.js';
import { bearer } from '../access/support.js';
import { Browser, textOf } from '../web/session.js';

/**
 * A decision made on a record merged into another is acted on from the survivor, through the
 * survivor's door: positions, a dissent's disagreement, a replacement and a disagreement about it go
 * on the merged record's own chain, so that after an unmerge they stay with the decision.
 */
let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
/** Bearer headers by fixture key. */
const h: Record<string, Record<string, string>> = {};
/** The two records, and the merged record's two decisions (d1 with participants, d2 without). */
let survivor: string, merged: string, d1: string, d2: string;

const call = async (method: 'GET' | 'POST', url: string, who: string, payload?: object) =>
  app.inject({ method, url, headers: h[who], ...(payload ? { payload } : {}) });
const get = async (url: string, who: string) => {
  const res = await call('GET', url, who);
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json();
};
const post = async (url: string, who: string, payload: object, status = 201) => {
  const res = await call('POST', url, who, payload);
  expect(res.statusCode, `${url}: ${res.body}`).toBe(status);
  return res.json();
};
/** Where an entry went: the record whose chain holds it. */
const chainOf = async (entryId: string) =>
  (await sql<{ child_id: string }>`SELECT child_id FROM entries WHERE id = ${entryId}`.execute(s.database.db)).rows[0]?.child_id;
const newestEntry = async (kind: string) =>
  (await sql<{ id: string; child_id: string }>`SELECT id, child_id FROM entries WHERE kind = ${kind} ORDER BY recorded_at DESC, seq DESC LIMIT 1`.execute(s.database.db)).rows[0];
const lastAudit = async (action: string) =>
  (await sql<{ child_id: string; detail: Record<string, unknown> }>`SELECT child_id, detail FROM audit_events WHERE action = ${action} ORDER BY at DESC, id DESC LIMIT 1`.execute(s.database.db)).rows[0];
const idemOf = (html: string) => /name="_idem" value="([^"]+)"/.exec(html)![1];
const today = () => Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric' })
  .formatToParts(new Date()).filter((p) => p.type !== 'literal').map((p) => [p.type, p.value]));

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  for (const k of ['worker', 'teammate', 'manager', 'hv', 'police']) h[k] = await bearer(app, w.emails[k]);
  survivor = await newChild(s, { given_name: 'Robin', family_name: 'Ashdown', date_of_birth: '2025-06-06' });
  merged = await newChild(s, { given_name: 'Robyn', family_name: 'Ashdown', date_of_birth: '2025-06-06', nhs_number: '9990010005' });
  const db = s.database.db;
  await allocate(db, survivor, w.actors.worker.id, w.team, w.actors.manager.id);
  await allocate(db, merged, w.actors.teammate.id, w.team, w.actors.manager.id);
  for (const k of ['hv', 'police']) await addGroupMember(db, merged, w.actors[k].id, 'core_group', w.actors.manager.id);
  // Two decisions on the merged record before the merge: one with the health visitor and police as participants.
  d1 = (await post(`/api/children/${merged}/decisions`, 'teammate', {
    occurred_at: '2026-02-02T10:00:00Z', question: 'Should Robyn stay at home during the enquiry?', outcome: 'Robyn stays at home with a safety plan',
    rationale: 'Mother is protective and the plan covers the evenings.', options: ['Placement with grandparents'],
    participants: [
      { practitioner_id: w.actors.hv.id, name: 'Test hv', position: 'agree' },
      { practitioner_id: w.actors.police.id, name: 'Test police', position: 'agree' },
    ],
  })).decision.id;
  d2 = (await post(`/api/children/${merged}/decisions`, 'teammate', {
    occurred_at: '2026-02-03T10:00:00Z', question: 'Is a medical needed?', outcome: 'No medical now', rationale: 'The mark was explained and seen to fade.',
  })).decision.id;
  await post(`/api/people/${merged}/merge`, 'manager', { into: survivor, reason: 'Same baby: recorded twice, as Robin and as Robyn' });
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

describe('a merged record’s decisions acted on from the survivor', () => {
  it('shows the links on the survivor’s page for merged decisions', async () => {
    const hv = new Browser(app);
    await hv.signIn(w.emails.hv);
    const page = await hv.get(`/children/${survivor}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`href="/children/${survivor}/decisions/${d1}/position"`);
    expect(page.body).toContain(`href="/children/${survivor}/disagreements/new?decision=${d1}"`);
    expect(page.body).toContain(`href="/children/${survivor}/decisions/new?supersedes=${d2}"`);
    expect(page.body).not.toContain(`/children/${merged}/`);
  });

  it('takes a participant’s positions over the API onto the merged record’s chain; a dissent opens a disagreement there', async () => {
    const agreed = await post(`/api/children/${survivor}/decisions/${d1}/positions`, 'hv', { position: 'agree', reason: 'The plan is realistic.' });
    expect(agreed).toMatchObject({ child_id: merged, disagreements: [] });
    expect(agreed.decision.participants.find((p: { practitioner_id: string }) => p.practitioner_id === w.actors.hv.id)).toMatchObject({ position: 'agree', reason: 'The plan is realistic.' });
    const agreement = await newestEntry('decision');
    expect(agreement.child_id).toBe(merged);
    expect(await lastAudit('state_position')).toMatchObject({ child_id: survivor, detail: { decision_id: d1, merged_record_id: merged } });

    const dissent = await post(`/api/children/${survivor}/decisions/${d1}/positions`, 'hv', { position: 'dissent', reason: 'Evenings are when the partner visits.' });
    expect(dissent.child_id).toBe(merged);
    expect(dissent.decision).toMatchObject({ id: d1, disputed: true });
    expect(dissent.disagreements).toHaveLength(1);
    const opened = dissent.disagreements[0];
    expect(opened).toMatchObject({ raiser_id: w.actors.hv.id, respondent_id: w.actors.teammate.id, decision_id: d1 });
    expect((await newestEntry('disagreement')).child_id).toBe(merged);
    const projected = await sql<{ child_id: string }>`SELECT child_id FROM disagreements WHERE id = ${opened.id}`.execute(s.database.db);
    expect(projected.rows[0].child_id).toBe(merged);
    // The survivor's own chain holds nothing of it.
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM entries WHERE child_id = ${survivor} AND kind IN ('decision', 'disagreement')`.execute(s.database.db)).rows[0].n).toBe(0);
  });

  it('takes a position from the page form, keeping what was typed when it is refused', async () => {
    const police = new Browser(app);
    await police.signIn(w.emails.police);
    const form = await police.get(`/children/${survivor}/decisions/${d1}/position`);
    expect(form.statusCode).toBe(200);
    expect(textOf(form.body)).toContain('This decision was made on a record since merged into Robin Ashdown’s');
    const url = `/children/${survivor}/decisions/${d1}/position`;
    const refused = await police.post(url, { _idem: idemOf(form.body), position: 'dissent', reason: 'No' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('govuk-error-summary');
    expect(refused.body).toContain('>No</textarea>');
    const done = await police.post(url, { _idem: idemOf(refused.body), position: 'dissent', reason: 'The partner has a caution for assault.' });
    expect(done.statusCode, done.body).toBe(303);
    expect(done.headers.location).toBe(`/children/${survivor}#decision-${d1}`);
    expect((await newestEntry('decision')).child_id).toBe(merged);
    expect((await newestEntry('disagreement')).child_id).toBe(merged);
    const decision = (await get(`/api/children/${survivor}/decisions`, 'worker')).find((d: { id: string }) => d.id === d1);
    expect(decision.participants.find((p: { practitioner_id: string }) => p.practitioner_id === w.actors.police.id)).toMatchObject({ position: 'dissent' });
  });

  it('raises a disagreement about a merged decision from the survivor (API and page), on the merged record', async () => {
    const raised = await post(`/api/children/${survivor}/disagreements`, 'worker', { respondent_id: w.actors.teammate.id, decision_id: d2, matter: 'A medical is needed: the mark was on the ear.' });
    expect(raised).toMatchObject({ child_id: merged, decision_id: d2 });
    expect((await newestEntry('disagreement')).child_id).toBe(merged);
    expect(await lastAudit('open_disagreement')).toMatchObject({ child_id: survivor, detail: { disagreement_id: raised.id, merged_record_id: merged } });

    const worker = new Browser(app);
    await worker.signIn(w.emails.worker);
    const form = await worker.get(`/children/${survivor}/disagreements/new?decision=${d1}`);
    expect(form.statusCode).toBe(200);
    expect(textOf(form.body)).toContain('on the merged record');
    const done = await worker.post(`/children/${survivor}/disagreements`, {
      _idem: idemOf(form.body), respondent_id: w.actors.teammate.id, decision_id: d1, urgent: 'no', matter: 'The safety plan does not cover the weekends.',
    });
    expect(done.statusCode, done.body).toBe(303);
    const id = /disagreements\/([0-9a-f-]+)\?done=raised/.exec(String(done.headers.location))![1];
    expect(done.headers.location).toBe(`/children/${survivor}/disagreements/${id}?done=raised`);
    expect((await get(`/api/children/${survivor}/disagreements/${id}`, 'worker')).child_id).toBe(merged);
  });

  it('lets a manager replace a merged decision from the survivor (API and page), on the merged record', async () => {
    const replaced = await post(`/api/children/${survivor}/decisions`, 'manager', {
      occurred_at: '2026-02-05T10:00:00Z', question: 'Should Robyn stay at home during the enquiry?', outcome: 'Robyn stays with her grandparents during the enquiry',
      rationale: 'The partner’s caution changes the risk in the evenings.', supersedes_id: d1, supersede_reason: 'New police information about the partner.',
    });
    expect(replaced).toMatchObject({ child_id: merged, decision: { supersedes_id: d1 } });
    expect(await chainOf(replaced.decision.id)).toBe(merged);
    expect(await lastAudit('record_decision')).toMatchObject({ child_id: survivor, detail: { decision_id: replaced.decision.id, merged_record_id: merged } });
    // Superseded on its own chain: a second replacement is refused, and nobody states a position on it any more.
    await post(`/api/children/${survivor}/decisions`, 'manager', {
      occurred_at: '2026-02-05T11:00:00Z', question: 'Again?', outcome: 'Something else', rationale: 'A second try at the same decision.', supersedes_id: d1, supersede_reason: 'Trying twice.',
    }, 409);
    await post(`/api/children/${survivor}/decisions/${d1}/positions`, 'hv', { position: 'agree' }, 409);

    const boss = new Browser(app);
    await boss.signIn(w.emails.manager);
    const form = await boss.get(`/children/${survivor}/decisions/new?supersedes=${d2}`);
    expect(form.statusCode).toBe(200);
    expect(textOf(form.body)).toContain('Its replacement is recorded on that record');
    const date = today();
    const done = await boss.post(`/children/${survivor}/decisions`, {
      _idem: idemOf(form.body), _at: /name="_at" value="([^"]+)"/.exec(form.body)![1], supersedes_id: d2,
      'occurred-day': date.day, 'occurred-month': date.month, 'occurred-year': date.year,
      question: 'Is a medical needed?', outcome: 'A child protection medical this week', rationale: 'The mark was on the ear, which is not where babies bump.',
      supersede_reason: 'The worker’s disagreement: the mark was on the ear.',
    });
    expect(done.statusCode, done.body).toBe(303);
    const newest = await newestEntry('decision');
    expect(newest.child_id).toBe(merged);
    expect(done.headers.location).toBe(`/children/${survivor}?added=${newest.id}#decision-${newest.id}`);
    // The survivor's page: the replacements offer their links; the superseded decisions do not.
    const page = await boss.get(`/children/${survivor}`);
    expect(page.body).toContain(`href="/children/${survivor}/decisions/new?supersedes=${newest.id}"`);
    expect(page.body).not.toContain(`href="/children/${survivor}/decisions/new?supersedes=${d2}"`);
  });

  it('keeps answering 404 with merged_into at the merged id', async () => {
    const res = await call('POST', `/api/children/${merged}/decisions/${d1}/positions`, 'hv', { position: 'agree' });
    expect(res.statusCode).toBe(404);
    expect(res.json().merged_into).toBe(survivor);
  });

  it('after an unmerge, the merged record shows the positions, disagreements and replacements; the survivor none', async () => {
    await post(`/api/people/${merged}/unmerge`, 'manager', { reason: 'Twins after all: Robin and Robyn' });
    expect(await get(`/api/children/${survivor}/decisions`, 'worker')).toEqual([]);
    expect(await get(`/api/children/${survivor}/disagreements`, 'worker')).toEqual([]);
    const decisions = await get(`/api/children/${merged}/decisions`, 'teammate') as { id: string; child_id: string; superseded_by: string | null; supersedes_id: string | null; participants: { practitioner_id: string; position: string }[] }[];
    expect(decisions).toHaveLength(4);
    expect(decisions.every((d) => d.child_id === merged)).toBe(true);
    const first = decisions.find((d) => d.id === d1)!;
    expect(first.participants.map((p) => `${p.practitioner_id}:${p.position}`).sort()).toEqual([`${w.actors.hv.id}:dissent`, `${w.actors.police.id}:dissent`].sort());
    expect(first.superseded_by).toBeTruthy();
    expect(decisions.find((d) => d.id === first.superseded_by)!.supersedes_id).toBe(d1);
    expect(decisions.find((d) => d.id === d2)!.superseded_by).toBeTruthy();
    const disagreements = await get(`/api/children/${merged}/disagreements`, 'teammate') as { decision_id: string; raiser_id: string }[];
    expect(disagreements.map((d) => `${d.decision_id}:${d.raiser_id}`).sort()).toEqual([
      `${d1}:${w.actors.hv.id}`, `${d1}:${w.actors.police.id}`, `${d1}:${w.actors.worker.id}`, `${d2}:${w.actors.worker.id}`,
    ].sort());
    // Both chains still verify.
    for (const id of [survivor, merged]) expect((await s.integrity.verifyOne(null, id)).ok).toBe(true);
  });
});
