import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildApp, type Services } from '../../src/app.js';
import { allocate } from '../../src/people/store.js';
import { testServices } from '../support/db.js';
import { newChild, world, type World } from '../support/fixtures.js';
import { bearer } from '../access/support.js';
import { Browser } from '../web/session.js';

let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
let riley: string;
let reviewId: string;

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  riley = await newChild(s, { given_name: 'Riley', family_name: 'Ashworth', date_of_birth: '2016-09-30', address: { line1: '3 Hill Top', postcode: 'NM5 6GH', valid_from: '2020-01-01' } });
  await allocate(s.database.db, riley, w.actors.worker.id, w.team, w.actors.manager.id);
  const police = await bearer(app, w.emails.police);
  const res = await app.inject({ method: 'POST', url: '/api/person-index/records', headers: police, payload: { local_id: 'NMP-4411', given_name: 'Riley', family_name: 'Ashworth', date_of_birth: '2016-09-30', postcode: 'NM9 9QQ' } });
  expect(res.json().outcome, res.body).toBe('queued');
  reviewId = res.json().review_id;
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const numbers = (cells: string[]) => cells.map((c) => Number(c.replace('−', '-').replace('+', '')));

describe('the review pages', () => {
  it('list the queue and show the two records side by side, each field\'s weight, and the total as their sum', async () => {
    const b = new Browser(app);
    await b.signIn(w.emails.manager);
    const list = await b.get('/person-index/reviews');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`/person-index/reviews/${reviewId}`);
    expect(list.body).toContain('Northmoor Police (NMP-4411)');
    expect(list.body).not.toContain('Ashworth');

    const page = await b.get(`/person-index/reviews/${reviewId}`);
    expect(page.statusCode).toBe(200);
    const rows = [...page.body.matchAll(/<tr class="govuk-table__row" data-role="([a-z_]+)">([\s\S]*?)<\/tr>/g)].map(([, role, html]) => ({
      role, cells: [...html.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').trim()),
    }));
    expect(rows.map((r) => r.role)).toEqual(['prior', 'given_name', 'surname', 'date_of_birth', 'postcode', 'nhs_number', 'sex', 'total']);
    const postcode = rows.find((r) => r.role === 'postcode')!;
    expect(postcode.cells.slice(0, 4)).toEqual(['Postcode', 'NM9 9QQ', 'NM5 6GH', 'different']);
    expect(Number(postcode.cells[6].replace('−', '-'))).toBeLessThan(0);
    const weights = numbers(rows.slice(0, -1).map((r) => r.cells.at(-1)!));
    const total = numbers([rows.at(-1)!.cells.at(-1)!])[0];
    expect(Math.abs(weights.reduce((a, x) => a + x, 0) - total)).toBeLessThanOrEqual(0.005 * weights.length);
    const view = (await app.inject({ method: 'GET', url: `/api/person-index/reviews/${reviewId}`, headers: await bearer(app, w.emails.manager) })).json();
    expect(total).toBeCloseTo(view.match_weight, 2);
    const audits = await sql`SELECT 1 FROM audit_events WHERE action = 'read_review_item' AND child_id = ${riley}`.execute(s.database.db);
    expect(audits.rows.length).toBe(2);
  });

  it('keeps what was typed and says what is missing; a decision needs the CSRF token; then it is recorded', async () => {
    const b = new Browser(app);
    await b.signIn(w.emails.head);
    await b.get(`/person-index/reviews/${reviewId}`);
    const missing = await b.post(`/person-index/reviews/${reviewId}`, { decision: 'same', reason: '' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('govuk-error-summary');
    expect(missing.body).toContain('Give the reason for your decision');
    expect(missing.body).toMatch(/value="same" checked/);
    expect((await b.post(`/person-index/reviews/${reviewId}`, { decision: 'same', reason: 'Same child' }, { csrf: null })).statusCode).toBe(403);
    const done = await b.post(`/person-index/reviews/${reviewId}`, { decision: 'same', reason: 'Police record of the same child: same school' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/person-index/reviews?decided');
    expect((await b.get(`/person-index/reviews/${reviewId}`)).body).toContain('Police record of the same child: same school');

    const child = await b.get(`/children/${riley}`);
    expect(child.body).toContain('Records linked to this child');
    expect(child.body).toMatch(/Northmoor Police: NMP-4411/);
    expect(child.body).toContain(`/children/${riley}/merge`);
  });

  it('is refused to those who do not review', async () => {
    const b = new Browser(app);
    await b.signIn(w.emails.worker);
    expect((await b.get('/person-index/reviews')).statusCode).toBe(403);
    expect((await b.get(`/person-index/reviews/${reviewId}`)).statusCode).toBe(403);
    expect((await b.get(`/children/${w.child}`)).body).not.toContain('/merge"');
  });

  it('merges from the child\'s page with a reason, and undoes it', async () => {
    const twin = await newChild(s, { given_name: 'Rylee', family_name: 'Ashworth', date_of_birth: '2016-09-30' });
    await allocate(s.database.db, twin, w.actors.worker.id, w.team, w.actors.manager.id);
    const b = new Browser(app);
    await b.signIn(w.emails.manager);
    await b.get(`/children/${riley}/merge`);
    const blank = await b.post(`/children/${riley}/merge`, { duplicate: twin, reason: '' });
    expect(blank.statusCode).toBe(422);
    expect(blank.body).toContain('Give the reason');
    expect(blank.body).toContain(`value="${twin}"`);
    const merged = await b.post(`/children/${riley}/merge`, { duplicate: twin, reason: 'One child, recorded twice with a misspelt name' });
    expect(merged.statusCode).toBe(303);
    const page = await b.get(`/children/${riley}`);
    expect(page.body).toContain('Rylee');
    expect(page.body).toContain(`/children/${riley}/unmerge/${twin}`);
    await b.get(`/children/${riley}/unmerge/${twin}`);
    const undone = await b.post(`/children/${riley}/unmerge/${twin}`, { reason: 'Checked with the GP: twins after all' });
    expect(undone.statusCode).toBe(303);
    expect((await b.get(`/children/${twin}`)).statusCode).toBe(200);
  });
});
