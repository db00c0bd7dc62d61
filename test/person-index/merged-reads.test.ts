import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildApp, type Services } from '../../src/app.js';
import { addGroupMember, allocate } from '../../src/people/store.js';
import { testServices } from '../support/db.js';
import { newChild, world, type World } from '../support/fixtures.js';
import { bearer } from '../access/support.js';
import { Browser, textOf } from '../web/session.js';

/**
 * A merged record's process, decisions, disagreements, alerts and group members read as the
 * survivor's, each marked with the record it is on; its membership ends and its alert is answered from
 * the survivor; unmerging leaves each record showing only its own.
 */
let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
const h: Record<string, Record<string, string>> = {};
let survivor: string;
let merged: string;
let alertId: string;
let hvMembership: string;

const get = async (url: string, who: string) => {
  const res = await app.inject({ method: 'GET', url, headers: h[who] });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json();
};
const post = async (url: string, who: string, payload: object, status = 201) => {
  const res = await app.inject({ method: 'POST', url, headers: h[who], payload });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(status);
  return res.json();
};
const at = (d: string, t = '10:00') => `${d}T${t}:00Z`;

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  for (const k of ['worker', 'otherworker', 'manager', 'hv']) h[k] = await bearer(app, w.emails[k]);
  survivor = await newChild(s, { given_name: 'Casey', family_name: 'Hartley', date_of_birth: '2026-04-04' });
  merged = await newChild(s, { given_name: 'Kasey', family_name: 'Hartley', date_of_birth: '2026-04-04', nhs_number: '9990010005' });
  const db = s.database.db;
  await allocate(db, survivor, w.actors.worker.id, w.team, w.actors.manager.id);
  await allocate(db, merged, w.actors.otherworker.id, w.otherTeam, w.actors.manager.id);
  hvMembership = await addGroupMember(db, merged, w.actors.hv.id, 'core_group', w.actors.manager.id);
  // The survivor's own process: a referral awaiting its decision.
  await post(`/api/children/${survivor}/process/steps`, 'worker', { step: 'referral', occurred_at: at('2026-03-09', '09:00'), data: { referral_source: '3B', primary_need: 'N1' } });
  // The merged record's: referral, decision (a named decision) and a strategy discussion (into section 47).
  await post(`/api/children/${merged}/process/steps`, 'otherworker', { step: 'referral', occurred_at: at('2026-03-02', '09:00'), data: { referral_source: '3B', primary_need: 'N1' } });
  await post(`/api/children/${merged}/process/steps`, 'otherworker', { step: 'referral_decision', occurred_at: at('2026-03-02', '15:00'), narrative: 'Decided on the school’s account.', data: { outcome: 'strategy_discussion' } });
  await post(`/api/children/${merged}/process/steps`, 'otherworker', {
    step: 'strategy_discussion', occurred_at: at('2026-03-03', '11:00'), narrative: 'Injuries unexplained; agencies enquire jointly.',
    data: { outcome: 's47', s47_lead_id: w.actors.otherworker.id, attendees: [
      { practitioner_id: w.actors.otherworker.id, name: 'Test otherworker', agency_kind: 'local_authority' },
      { name: 'DC Example', agency_kind: 'police' }, { name: 'Dr Example', agency_kind: 'health' },
    ] },
  });
  await post(`/api/children/${merged}/disagreements`, 'otherworker', { respondent_id: w.actors.manager.id, matter: 'The case should be stepped up to a conference now.', urgent: false });
  // A bruise on a baby who cannot move about: R1 alerts the merged record's worker and manager.
  await post(`/api/children/${merged}/entries`, 'hv', {
    kind: 'injury', occurred_at: at('2026-11-20'), narrative: 'Bruise to the thigh seen at the health visit.',
    data: { body_locations: ['thigh'], injury_type: 'bruise', explanation_consistent: 'unclear', child_mobile: false },
  });
  alertId = (await sql<{ id: string }>`SELECT id FROM alerts WHERE child_id = ${merged} AND rule_id = 'R1'`.execute(db)).rows[0].id;
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

/** What each record shows of its own through the API: process, decisions, disagreements, alerts, group members. */
async function own(id: string, who: string) {
  const process = await get(`/api/children/${id}/process`, who);
  return {
    process,
    decisions: await get(`/api/children/${id}/decisions`, who),
    disagreements: await get(`/api/children/${id}/disagreements`, who),
    alerts: await get(`/api/children/${id}/alerts`, who),
    members: await get(`/api/children/${id}/group-members`, 'manager'),
  };
}
const stable = (p: { merged_records?: unknown; due: { code: string; status: string }[]; done: unknown[]; stage: string; episode: unknown }) =>
  ({ stage: p.stage, episode: p.episode, due: p.due.map((d) => `${d.code} ${d.status}`), done: p.done.length, merged_records: p.merged_records });
const ids = (xs: { id: string }[]) => xs.map((x) => x.id).sort();

describe('a merged record read as the survivor’s', () => {
  it('shows the merged record’s process, decisions, alerts and members beside the survivor’s, acts on them, and unmerging takes them back', async () => {
    const before = { survivor: await own(survivor, 'worker'), merged: await own(merged, 'otherworker') };
    expect(before.merged.process.stage).not.toBe(before.survivor.process.stage);
    expect(before.merged.decisions.length).toBeGreaterThanOrEqual(2);
    expect(before.merged.disagreements).toHaveLength(1);
    expect(before.merged.alerts.map((a: { id: string }) => a.id)).toContain(alertId);
    expect(before.survivor.process.merged_records).toEqual([]);

    const m = await post(`/api/people/${merged}/merge`, 'manager', { into: survivor, reason: 'Same baby: recorded twice, as Casey and as Kasey' });

    // The survivor keeps their own name, though the merged record's was recorded later; it joins the history.
    const child = await get(`/api/children/${survivor}`, 'worker');
    expect(child.child.name).toMatchObject({ given_name: 'Casey', family_name: 'Hartley' });
    expect(child.child.names).toEqual(expect.arrayContaining([expect.objectContaining({ given_name: 'Kasey' })]));

    // 1. The process: the survivor's own, unchanged, and the merged record's beside it (not folded in).
    const both = await own(survivor, 'worker');
    expect(stable(both.process)).toEqual({ ...stable(before.survivor.process), merged_records: expect.any(Array) });
    expect(both.process.merged_records).toHaveLength(1);
    const side = both.process.merged_records[0];
    expect(side).toMatchObject({ child_id: merged, name: 'Kasey Hartley', merged_at: m.at });
    expect(side.label).toMatch(/^From the record merged on \d+ \w+ 2\d{3} \(Kasey Hartley\)$/);
    expect(stable(side.process)).toEqual(stable({ ...before.merged.process, merged_records: undefined }));
    expect(side.process.due.length).toBeGreaterThan(0);
    // Audited once, as a read of the survivor that names the merged record it also showed.
    const read = await sql<{ child_id: string; detail: Record<string, unknown> }>`SELECT child_id, detail FROM audit_events WHERE action = 'read_process' ORDER BY id DESC LIMIT 1`.execute(s.database.db);
    expect(read.rows[0]).toMatchObject({ child_id: survivor, detail: { merged_records: [merged] } });

    // 2. Decisions and disagreements: both records', each naming its record.
    expect(ids(both.decisions)).toEqual(ids([...before.survivor.decisions, ...before.merged.decisions]));
    for (const d of both.decisions) expect(d.child_id).toBe(before.merged.decisions.some((x: { id: string }) => x.id === d.id) ? merged : survivor);
    expect(both.disagreements).toEqual([{ ...before.merged.disagreements[0], child_id: merged }]);
    const disagreementId = both.disagreements[0].id;
    expect((await get(`/api/children/${survivor}/disagreements/${disagreementId}`, 'worker')).child_id).toBe(merged);
    // Answered from the survivor's side: the response goes on the merged record's own chain.
    const responded = await post(`/api/children/${survivor}/disagreements/${disagreementId}/responses`, 'manager', { response: 'Agreed: a conference will be convened this week.' });
    expect(responded).toMatchObject({ id: disagreementId, status: 'awaiting_raiser' });
    const response = (await sql<{ child_id: string }>`SELECT child_id FROM entries WHERE kind = 'disagreement' ORDER BY recorded_at DESC LIMIT 1`.execute(s.database.db)).rows[0];
    expect(response.child_id).toBe(merged);

    // 3. Alerts: the merged record's, linked to entries on the survivor's page.
    const alert = both.alerts.find((a: { id: string }) => a.id === alertId);
    expect(alert).toMatchObject({ child_id: merged, read_through: survivor, status: 'open' });
    expect(alert.triggering_entries[0].href).toMatch(new RegExp(`^/children/${survivor}#entry-`));
    expect(await get(`/api/alerts/${alertId}`, 'worker')).toMatchObject({ id: alertId, child_id: merged, read_through: survivor });
    const mine = (await get('/api/alerts', 'otherworker')).find((a: { id: string }) => a.id === alertId);
    expect(mine).toMatchObject({ child_id: merged, open_as: survivor, child_name: 'Casey Hartley' });

    // 4. The chronology: two chains both number from 1, so each entry names its record beside its seq.
    const chron = (await get(`/api/children/${survivor}/entries`, 'worker')).entries as { id: string; child_id: string; seq: number }[];
    expect(new Set(chron.map((e) => e.child_id))).toEqual(new Set([survivor, merged]));
    expect(chron.filter((e) => e.seq === 1)).toHaveLength(2);
    expect(new Set(chron.map((e) => `${e.child_id}/${e.seq}`)).size).toBe(chron.length);

    // The survivor's page: every section marks what came from the merged record; anchors stay unique.
    const browser = new Browser(app);
    await browser.signIn(w.emails.worker);
    const page = await browser.get(`/children/${survivor}`);
    expect(page.statusCode).toBe(200);
    const label = side.label.replace(/'/g, '&#39;');
    expect(page.body).toContain(`id="process-${merged}"`);
    expect(page.body).toContain(`id="process-due-${merged}"`);
    const section = (id: string) => page.body.slice(page.body.indexOf(`id="${id}"`));
    expect(section(`process-${merged}`)).toContain(label);
    expect(textOf(section('alerts').slice(0, section('alerts').indexOf('id="decisions"')))).toContain(side.label);
    expect(textOf(section('decisions'))).toContain(side.label);
    const anchors = [...page.body.matchAll(/id="(entry-[^"]+)"/g)].map((x) => x[1]);
    expect(anchors).toHaveLength(chron.length);
    expect(new Set(anchors).size).toBe(anchors.length);
    const entryHtml = (id: string) => { const i = page.body.indexOf(`id="entry-${id}"`); return page.body.slice(i, page.body.indexOf('</li>', i)); };
    const fromMerged = chron.find((e) => e.child_id === merged)!;
    const fromSurvivor = chron.find((e) => e.child_id === survivor)!;
    expect(entryHtml(fromMerged.id)).toContain('sl-from-merged');
    expect(entryHtml(fromSurvivor.id)).not.toContain('sl-from-merged');

    // The deadlines list keeps the merged record's due steps (its timers run), named and linked as the survivor.
    const due = (await get('/api/deadlines?scope=mine&within_days=366', 'otherworker')) as { child_id: string; open_as: string; child_name: string }[];
    expect(due.length).toBeGreaterThan(0);
    for (const d of due) expect(d).toMatchObject({ child_id: merged, open_as: survivor, child_name: 'Casey Hartley' });
    const other = new Browser(app);
    await other.signIn(w.emails.otherworker);
    const list = await other.get('/deadlines?show=mine');
    expect(list.body).toContain(`href="/children/${survivor}#process"`);
    expect(list.body).toContain(`href="/children/${survivor}/disagreements/${disagreementId}"`);
    expect(list.body).not.toContain(`href="/children/${merged}`);

    // 5. The merged record's memberships: listed on the survivor's, and ended from there (API and page).
    const members = await get(`/api/children/${survivor}/group-members`, 'manager');
    const strategy = members.current.find((x: { child_id: string; group_kind: string }) => x.child_id === merged && x.group_kind === 'strategy_discussion');
    expect(members.current.find((x: { id: string }) => x.id === hvMembership)).toMatchObject({ child_id: merged, practitioner_id: w.actors.hv.id });
    const ended = await app.inject({ method: 'DELETE', url: `/api/children/${survivor}/group-members/${hvMembership}`, headers: h.manager });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json()).toMatchObject({ id: hvMembership, child_id: merged });
    expect(ended.json().valid_to).not.toBeNull();
    const audit = await sql<{ child_id: string; detail: Record<string, unknown> }>`SELECT child_id, detail FROM audit_events WHERE action = 'group_member_removed' ORDER BY at DESC LIMIT 1`.execute(s.database.db);
    expect(audit.rows[0]).toMatchObject({ child_id: survivor, detail: { group_member_id: hvMembership, merged_record_id: merged } });
    const boss = new Browser(app);
    await boss.signIn(w.emails.manager);
    const working = await boss.get(`/children/${survivor}/working-with`);
    expect(working.body).toContain(`/children/${survivor}/working-with/members/${strategy.id}/end`);
    const removed = await boss.post(`/children/${survivor}/working-with/members/${strategy.id}/end`, {});
    expect(removed.statusCode, removed.body).toBe(303);
    expect((await get(`/api/children/${survivor}/group-members`, 'manager')).current.map((x: { id: string }) => x.id)).not.toContain(strategy.id);

    // 3 again: the merged record's alert answered from the survivor's side, on its own record.
    const disagreementPage = await boss.get(`/children/${survivor}/disagreements/${disagreementId}`);
    expect(disagreementPage.statusCode).toBe(200);
    expect(textOf(disagreementPage.body)).toContain('The case should be stepped up to a conference now.');
    const alertPage = await other.get(`/alerts/${alertId}`);
    expect(alertPage.statusCode).toBe(200);
    expect(alertPage.body).toContain(`href="/children/${survivor}#alerts"`);
    const idem = /name="_idem" value="([^"]+)"/.exec(alertPage.body)![1];
    const answered = await other.post(`/alerts/${alertId}/answer`, { _idem: idem, type: 'no_action', 'no-action-reason': 'Seen by the paediatrician: a birthmark, recorded on the plan.' });
    expect(answered.statusCode, answered.body).toBe(303);
    expect(await get(`/api/alerts/${alertId}`, 'worker')).toMatchObject({ status: 'answered', child_id: merged });
    const lastAlertEntry = (await sql<{ child_id: string }>`SELECT child_id FROM entries WHERE kind = 'alert' ORDER BY recorded_at DESC LIMIT 1`.execute(s.database.db)).rows[0];
    expect(lastAlertEntry.child_id).toBe(merged);

    // The merged record's allocation: listed on the survivor's, and ended from its page (the last act: it ends the other worker's route in).
    const allocation = await get(`/api/children/${survivor}/allocation`, 'manager');
    expect(allocation.current).toMatchObject({ child_id: survivor, practitioner_id: w.actors.worker.id });
    expect(allocation.merged).toMatchObject([{ child_id: merged, practitioner_id: w.actors.otherworker.id }]);
    expect((await boss.get(`/children/${survivor}/working-with`)).body).toContain(`/children/${survivor}/working-with/allocations/${allocation.merged[0].id}/end`);
    const endedAllocation = await boss.post(`/children/${survivor}/working-with/allocations/${allocation.merged[0].id}/end`, {});
    expect(endedAllocation.statusCode, endedAllocation.body).toBe(303);
    expect((await get(`/api/children/${survivor}/allocation`, 'manager'))).toMatchObject({ current: { practitioner_id: w.actors.worker.id }, merged: [] });
    const again = await app.inject({ method: 'DELETE', url: `/api/children/${survivor}/allocations/${allocation.merged[0].id}`, headers: h.manager });
    expect(again.statusCode).toBe(409);

    // Unmerging: each record shows only its own again, with what was done to the merged one kept there.
    await post(`/api/people/${merged}/unmerge`, 'manager', { reason: 'Two babies after all: twins' });
    const after = { survivor: await own(survivor, 'worker'), merged: await own(merged, 'otherworker') };
    expect(after.survivor).toEqual(before.survivor);
    expect((await get(`/api/children/${merged}/allocation`, 'manager'))).toMatchObject({ current: null, history: [{ id: allocation.merged[0].id, child_id: merged }] });
    expect(stable(after.merged.process)).toEqual(stable(before.merged.process));
    expect(after.merged.decisions).toEqual(before.merged.decisions);
    expect(after.merged.disagreements).toMatchObject([{ id: disagreementId, status: 'awaiting_raiser' }]);
    expect((await app.inject({ method: 'GET', url: `/api/alerts/${alertId}`, headers: h.worker })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/api/children/${survivor}/disagreements/${disagreementId}`, headers: h.worker })).statusCode).toBe(409);
    expect(ids(after.merged.alerts)).toEqual(ids(before.merged.alerts));
    expect(after.merged.alerts.find((a: { id: string }) => a.id === alertId)).toMatchObject({ status: 'answered', child_id: merged, read_through: merged });
    expect(after.merged.members.current.map((x: { id: string }) => x.id)).not.toContain(hvMembership);
    expect(after.merged.members.past.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining([hvMembership, strategy.id]));
    expect((await get(`/api/children/${survivor}/entries`, 'worker')).entries.every((e: object) => !('child_id' in e))).toBe(true);
    expect((await get('/api/deadlines?scope=mine&within_days=366', 'otherworker')).every((d: { open_as: string }) => d.open_as === merged)).toBe(true);
  });
});
