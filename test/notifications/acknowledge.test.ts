import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildApp, type Services } from '../../src/app.js';
import { testServices } from '../support/db.js';
import { world, type World } from '../support/fixtures.js';
import { bearer, expectProblem } from '../access/support.js';
import { Browser, textOf } from '../web/session.js';

let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
let hv: Record<string, string>;
let worker: Record<string, string>;
let manager: Record<string, string>;

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  [hv, worker, manager] = [await bearer(app, w.emails.hv), await bearer(app, w.emails.worker), await bearer(app, w.emails.manager)];
  // An older notice that asks for nothing, so ordering has something to put the pending ones before.
  await s.database.db.insertInto('notifications').values({ id: '7b0e1c9a-1111-4a2b-8c3d-000000000001', recipient_id: w.actors.worker.id, kind: 'fyi', child_id: null, title: 'For information', body: 'Nothing to do.', created_at: new Date(Date.now() + 3600_000) }).execute();
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const check = (reason: string) => app.inject({ method: 'POST', url: '/api/unscheduled-care/checks', headers: hv, payload: { nhs_number: '9990000018', setting: 'emergency_department', reason } });
const mine = async (headers: Record<string, string>) => (await app.inject({ method: 'GET', url: '/api/notifications', headers })).json();
const ack = (id: string, headers: Record<string, string>, payload: object = {}) =>
  app.inject({ method: 'POST', url: `/api/notifications/${id}/acknowledge`, headers, payload });

describe('notices that must be acknowledged', () => {
  it('the check tells the worker and the manager with a notice each must acknowledge, listed first while pending', async () => {
    expect((await check('Fell from a swing')).statusCode).toBe(201);
    for (const who of [worker, manager]) {
      const list = await mine(who);
      expect(list.awaiting_acknowledgement).toBe(1);
      expect(list.notifications[0]).toMatchObject({ kind: 'unscheduled_care_check', child_id: w.child, must_acknowledge: true, acknowledgement: null });
    }
    // The newer notice that needs nothing comes after the pending one.
    expect((await mine(worker)).notifications.map((n: { kind: string }) => n.kind)).toEqual(['unscheduled_care_check', 'fyi']);
  });

  it('only the recipient may acknowledge (404 for anyone else), once (409), and a retry with the same key replays', async () => {
    const [notice] = (await mine(worker)).notifications;
    expectProblem(await ack(notice.id, manager), 404);
    expectProblem(await ack(notice.id, hv), 404);
    expectProblem(await ack('7b0e1c9a-1111-4a2b-8c3d-000000000001', worker), 409); // asks for no acknowledgement
    const keyed = { ...worker, 'idempotency-key': 'ack-worker-0001' };
    const first = await ack(notice.id, keyed, { note: 'Rang the ward; discussed with the family.' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ notification_id: notice.id, note: 'Rang the ward; discussed with the family.' });
    const replay = await ack(notice.id, keyed, { note: 'Rang the ward; discussed with the family.' });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    expectProblem(await ack(notice.id, worker), 409);
    const rows = await s.database.db.selectFrom('notice_acknowledgements').selectAll().where('notification_id', '=', notice.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].practitioner_id).toBe(w.actors.worker.id);
    const list = await mine(worker);
    expect(list.awaiting_acknowledgement).toBe(0);
    expect(list.notifications.find((n: { id: string }) => n.id === notice.id).acknowledgement).toMatchObject({ note: 'Rang the ward; discussed with the family.' });
  });

  it('keeps acknowledgements for good', async () => {
    await expect(sql`UPDATE notice_acknowledgements SET note = 'changed'`.execute(s.database.db)).rejects.toThrow();
    await expect(sql`DELETE FROM notice_acknowledgements`.execute(s.database.db)).rejects.toThrow();
  });

  it('the child\'s page shows who has acknowledged the check and who has not yet', async () => {
    const b = new Browser(app);
    await b.signIn(w.emails.worker);
    const text = textOf((await b.get(`/children/${w.child}`)).body);
    expect(text).toContain('Acknowledged by Test worker (Social worker)');
    expect(text).toContain('Rang the ward; discussed with the family.');
    expect(text).toContain('Not yet acknowledged by Test manager (Team manager)');
  });

  it('the home page counts what awaits acknowledgement, and /notices acknowledges with a note (CSRF, error summary)', async () => {
    const b = new Browser(app);
    await b.signIn(w.emails.manager);
    const home = await b.get('/');
    expect(textOf(home.body)).toContain('1 notice needs your acknowledgement');
    expect(home.body).toContain('href="/notices"');
    const page = await b.get('/notices');
    const [notice] = (await mine(manager)).notifications;
    expect(page.body).toContain(`action="/notices/${notice.id}/acknowledge"`);
    expect((await b.post(`/notices/${notice.id}/acknowledge`, { note: 'x' }, { csrf: 'forged' })).statusCode).toBe(403);
    const bad = await b.post(`/notices/${notice.id}/acknowledge`, { note: 'n'.repeat(1001) });
    expect(bad.statusCode).toBe(422);
    expect(textOf(bad.body)).toContain('There is a problem');
    expect(bad.body).toContain(`href="#note-${notice.id}"`);
    expect(bad.body).toContain('n'.repeat(1001)); // keeps what was typed
    const ok = await b.post(`/notices/${notice.id}/acknowledge`, { note: 'Seen; will visit tomorrow.' });
    expect(ok.statusCode).toBe(303);
    const after = await b.get(ok.headers.location as string);
    expect(textOf(after.body)).toContain('You acknowledged the notice.');
    expect(textOf(after.body)).toContain('No notices need your acknowledgement.');
    expect(textOf((await b.get('/')).body)).not.toContain('your acknowledgement');
  });

  it('emergency access also asks the worker and manager to acknowledge', async () => {
    const res = await app.inject({ method: 'POST', url: `/api/children/${w.child}/emergency-access`, headers: await bearer(app, w.emails.police), payload: { reason: 'Child found alone at the station late at night' } });
    expect(res.statusCode, res.body).toBe(201);
    const [first] = (await mine(worker)).notifications;
    expect(first).toMatchObject({ kind: 'emergency_access', must_acknowledge: true, acknowledgement: null });
  });
});
