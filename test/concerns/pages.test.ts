import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Services } from '../../src/app.js';
import { onPostgres, testServices } from '../support/db.js';
import type { World } from '../support/fixtures.js';
import { Browser, textOf } from '../web/session.js';
import { concernWorld, type App } from './support.js';

/** The pages, without JavaScript: raise a concern, the concern's page and its steps, errors kept with what was typed. */
let s: Services;
let w: World;
let app: App;
const as: Record<string, Browser> = {};
beforeAll(async () => {
  s = await testServices();
  w = await concernWorld(s);
  app = await buildApp(s);
  for (const key of ['worker', 'head', 'manager', 'director']) {
    as[key] = new Browser(app);
    expect((await as[key].signIn(w.emails[key])).statusCode).toBe(303);
  }
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const idemOf = (html: string) => /name="_idem" value="([^"]+)"/.exec(html)?.[1] ?? '';
const count = async (table: string) => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(s.database.db)).rows[0].n);
const concernIdOf = (location: unknown) => /^\/concerns\/([0-9a-f-]{36})\?raised=1$/.exec(String(location))?.[1] ?? '';

describe(`concern pages (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let id: string;

  it('raise a concern from the navigation; a form with problems comes back with a GOV.UK error summary and what was typed, nothing written', async () => {
    const list = await as.worker.get('/concerns');
    expect(list.body).toContain('<a class="sl-nav__link" href="/concerns" aria-current="page">Concerns</a>');
    const form = await as.worker.get('/concerns/new');
    expect(form.statusCode).toBe(200);
    const text = textOf(form.body);
    expect(text).toContain('Seal my identity');
    expect(text).toContain('A unit unfit for purpose');
    const bad = await as.worker.post('/concerns', { _idem: idemOf(form.body), what: 'The unit has had no manager for months.', agency_id: '', category: '', sealed: 'yes' });
    expect(bad.statusCode).toBe(422);
    expect(textOf(bad.body)).toMatch(/There is a problem Choose the service’s agency Choose what the concern is about/);
    // The summary links to each field, and the form keeps what was typed and ticked.
    for (const kept of ['href="#agency_id"', 'href="#category"', 'The unit has had no manager for months.']) expect(bad.body).toContain(kept);
    expect(bad.body).toMatch(/name="sealed" type="checkbox" value="yes" checked/);
    expect(await count('concerns')).toBe(0);
  });

  it('raises it once however often the form is sent, and refuses a form without its CSRF token', async () => {
    const form = await as.worker.get('/concerns/new');
    const body = { _idem: idemOf(form.body), what: 'Night staffing at the assessment unit is one person for twelve children.', agency_id: w.la, service: 'Assessment unit', category: 'unsafe_staffing', subject_id: '', head_id: '', sealed: 'yes' };
    expect((await as.worker.post('/concerns', body, { csrf: null })).statusCode).toBe(403);
    const first = await as.worker.post('/concerns', body);
    expect(first.statusCode, first.body).toBe(303);
    id = concernIdOf(first.headers.location);
    const second = await as.worker.post('/concerns', body);
    expect(concernIdOf(second.headers.location)).toBe(id);
    expect(await count('concerns')).toBe(1);
    const page = textOf((await as.worker.get(String(first.headers.location))).body);
    expect(page).toContain('Your concern is raised.');
    expect(page).toContain('Raised by Test worker (you)');
    expect(page).toContain('Accountable now Test head');
  });

  it('offers each viewer only the steps they may take, and says why a step is refused beside its form', async () => {
    const head = await as.head.get(`/concerns/${id}`);
    expect(textOf(head.body)).toContain('Acknowledge the concern');
    expect(head.body).not.toContain('Give the action plan');
    const director = textOf((await as.director.get(`/concerns/${id}`)).body);
    expect(director).toContain(`Raised by Identity sealed at the raiser's request`);
    expect(director).not.toContain('Close the concern');

    const events = await count('concern_events');
    const refused = await as.director.post(`/concerns/${id}/steps`, { _idem: idemOf(head.body), type: 'closed', resolution: 'Not for me to say.' });
    expect(refused.statusCode).toBe(422);
    expect(textOf(refused.body)).toContain('There is a problem Only the person accountable at its current stage');
    expect(refused.body).toContain('href="#closed-resolution"');
    expect(refused.body).toContain('Not for me to say.');
    expect(await count('concern_events')).toBe(events);

    const empty = await as.head.post(`/concerns/${id}/steps`, { _idem: idemOf(head.body), type: 'acknowledged' });
    expect(empty.statusCode).toBe(303);
    const planPage = await as.head.get(`/concerns/${id}`);
    const noPlan = await as.head.post(`/concerns/${id}/steps`, { _idem: idemOf(planPage.body), type: 'action_plan', plan: '  ' });
    expect(noPlan.statusCode).toBe(422);
    expect(textOf(noPlan.body)).toContain('Enter the action plan');
    const plan = await as.head.post(`/concerns/${id}/steps`, { _idem: idemOf(planPage.body), type: 'action_plan', plan: 'A second night worker from Monday; rota reviewed weekly.' });
    expect(plan.headers.location).toBe(`/concerns/${id}?done=action_plan`);
    expect(await count('concern_events')).toBe(events + 2);
  });

  it('closes at the accountable person’s hand with a resolution, never the person it is about, and stays readable with its trail', async () => {
    const about = await as.worker.get('/concerns/new');
    const res = await as.worker.post('/concerns', {
      _idem: idemOf(about.body), what: 'The manager cancels core group meetings at short notice.', agency_id: w.la, category: 'unsafe_practice', subject_id: w.actors.manager.id, sealed: '',
    });
    const c = concernIdOf(res.headers.location);
    const asSubject = await as.manager.get(`/concerns/${c}`);
    expect(textOf(asSubject.body)).toContain('About this person Test manager');
    expect(textOf(asSubject.body)).not.toContain('Close the concern');
    const refused = await as.manager.post(`/concerns/${c}/steps`, { _idem: idemOf(asSubject.body), type: 'closed', resolution: 'Nothing to see.' });
    expect(textOf(refused.body)).toContain('A concern cannot be closed by the person it is about.');

    const head = await as.head.get(`/concerns/${c}`);
    const closed = await as.head.post(`/concerns/${c}/steps`, { _idem: idemOf(head.body), type: 'closed', resolution: 'Meetings now set a month ahead; the manager is supervised on it.' });
    expect(closed.headers.location).toBe(`/concerns/${c}?done=closed`);
    const page = textOf((await as.worker.get(`/concerns/${c}`)).body);
    expect(page).toContain('Closed');
    expect(page).toContain('Resolution Meetings now set a month ahead; the manager is supervised on it. (Test head');
    expect(page).toMatch(/What has happened .*Raised\. .*Closed\. Resolution: Meetings now set a month ahead/);
    const board = textOf((await as.head.get('/oversight')).body);
    expect(board).toContain('Closed, and how each was resolved');
    expect(board).toMatch(/closed at the accountable head of service stage .*Resolution Meetings now set a month ahead/);
  });
});
