import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Services } from '../../src/app.js';
import { onPostgres, testServices } from '../support/db.js';
import type { World } from '../support/fixtures.js';
import { Browser, textOf } from '../web/session.js';
import { bearer, concernReads, concernWorld, raiseByApi, staffing, stepByApi, tokens, type App } from './support.js';

/**
 * A sealed raiser's identity is returned to no one but the partnership's independent chair (and the
 * raiser), through every API answer and page that shows the concern, and the notices; every read of
 * the concern still writes an audit row saying whether the identity was shown.
 */
let s: Services;
let w: World;
let app: App;
let tok: Record<string, string>;
const pages: Record<string, Browser> = {};
let id: string;
const SEALED = "Identity sealed at the raiser's request";

beforeAll(async () => {
  s = await testServices();
  w = await concernWorld(s);
  app = await buildApp(s);
  tok = await tokens(app, w);
  for (const key of Object.keys(w.emails)) {
    pages[key] = new Browser(app);
    expect((await pages[key].signIn(w.emails[key])).statusCode, key).toBe(303);
  }
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

/** Whether a body carries anything of the raiser's: name, email or id. */
const leaks = (body: string) => ['Test worker', 'worker@example.test', w.actors.worker.id].filter((x) => body.includes(x));
const get = (key: string, url: string) => app.inject({ method: 'GET', url, headers: bearer(tok[key]) });
/** The home page's notifications panel (the rest of the page is the caseload, which names allocated workers). */
const noticesPanel = (html: string) => html.slice(html.indexOf('<h2 class="govuk-heading-m">Notifications</h2>'));

const mayShow = ['worker', 'chair'];
const sealedFrom = ['head', 'manager', 'director', 'auditor'];
const cannotSee = ['teammate', 'otherworker', 'police', 'hv', 'dsl', 'admin'];

describe(`a sealed raiser (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('raises, and every step answer to anyone else carries the sealed text, never the raiser', async () => {
    const raised = await raiseByApi(app, tok.worker, staffing(w, { subject_id: w.actors.manager.id, sealed: true }), 'sealed-raise-1');
    expect(raised.statusCode, raised.body).toBe(201);
    id = raised.json().id;
    expect(raised.json()).toMatchObject({ identity_sealed: true, raised_by: 'Test worker (you)', raiser: { name: 'Test worker' } });

    const ack = await stepByApi(app, tok.head, id, { type: 'acknowledged', note: 'Looking into it.' });
    expect(ack.statusCode, ack.body).toBe(201);
    expect(ack.json()).toMatchObject({ raised_by: SEALED, raiser: null });
    expect(leaks(ack.body)).toEqual([]);

    const update = await stepByApi(app, tok.worker, id, { type: 'update', text: 'Another shift was left uncovered on Friday.' });
    expect(update.statusCode).toBe(201);
    const up = await stepByApi(app, tok.worker, id, { type: 'escalated', reason: 'No plan after a week.' });
    expect(up.json()).toMatchObject({ stage: 'director' });
    const again = await stepByApi(app, tok.director, id, { type: 'escalated', reason: 'This needs the partnership.' });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ stage: 'partnership', raised_by: SEALED });
    expect(leaks(again.body)).toEqual([]);
    // The raiser's own steps read as the raiser's, without a name, to everyone who may not see it.
    expect(again.json().trail.filter((t: { by: string }) => t.by.startsWith('The raiser')).map((t: { type: string }) => t.type)).toEqual(['raised', 'update', 'escalated']);
  });

  it('is shown only to the chair and the raiser through the API: list, detail and oversight board, each read audited', async () => {
    for (const key of [...mayShow, ...sealedFrom]) {
      const before = (await concernReads(s, id)).length;
      const detail = await get(key, `/api/concerns/${id}`);
      const board = await get(key, '/api/oversight/concerns');
      const mine = await get(key, '/api/concerns');
      expect([detail.statusCode, board.statusCode, mine.statusCode], key).toEqual([200, 200, 200]);
      expect(board.json().open.map((c: { id: string }) => c.id), key).toEqual([id]);
      const reads = (await concernReads(s, id)).slice(before);
      const listed = mine.json().length;
      expect(reads, key).toHaveLength(2 + listed);
      const shown = mayShow.includes(key);
      for (const r of reads) expect(r.endsWith(` ${shown}`), `${key}: ${r}`).toBe(true);
      for (const [what, res] of Object.entries({ detail, board, mine })) {
        if (shown) expect(res.body, `${key} ${what}`).toContain('Test worker');
        else expect(leaks(res.body), `${key} ${what}`).toEqual([]);
      }
      expect(detail.json().raised_by, key).toBe(key === 'worker' ? 'Test worker (you)' : shown ? 'Test worker' : SEALED);
    }
  });

  it('is not found by anyone with no part in it, and their tries are not counted as reads', async () => {
    const before = (await concernReads(s, id)).length;
    for (const key of cannotSee) {
      expect((await get(key, `/api/concerns/${id}`)).statusCode, key).toBe(404);
      expect((await get(key, '/api/oversight/concerns')).json().open, key).toEqual([]);
      expect((await get(key, '/api/concerns')).json(), key).toEqual([]);
      expect((await pages[key].get(`/concerns/${id}`)).statusCode, key).toBe(404);
    }
    expect(await concernReads(s, id)).toHaveLength(before);
  });

  it('is shown only to the chair and the raiser on every page: my concerns, the concern, the oversight board, the notifications', async () => {
    for (const key of [...mayShow, ...sealedFrom]) {
      const before = (await concernReads(s, id)).length;
      const concern = await pages[key].get(`/concerns/${id}`);
      const oversight = await pages[key].get('/oversight');
      const list = await pages[key].get('/concerns');
      expect([concern.statusCode, oversight.statusCode, list.statusCode], key).toEqual([200, 200, 200]);
      // One read for the concern's page, one for the board, and one for "my concerns" when it is theirs.
      const theirs = ['worker', 'head', 'director', 'chair'].includes(key);
      expect((await concernReads(s, id)).length - before, key).toBe(theirs ? 3 : 2);
      const home = noticesPanel((await pages[key].get('/')).body);
      if (mayShow.includes(key)) {
        expect(textOf(concern.body), key).toContain('Raised by Test worker');
        expect(textOf(oversight.body), key).toContain('Raised by Test worker');
      } else {
        expect(textOf(concern.body), key).toContain(`Raised by ${SEALED}`);
        expect(textOf(oversight.body), key).toContain(`Raised by ${SEALED}`);
        for (const body of [concern.body, oversight.body, list.body]) expect(leaks(body), key).toEqual([]);
      }
      // Notices never name the raiser, whoever reads them.
      expect(leaks(home), key).toEqual([]);
    }
    const notices = await sql<{ text: string }>`SELECT title || ' ' || body AS text FROM notifications WHERE kind LIKE 'concern_%'`.execute(s.database.db);
    expect(notices.rows.length).toBeGreaterThan(5);
    for (const n of notices.rows) expect(leaks(n.text), n.text).toEqual([]);
  });

  it('names an unsealed raiser to the managers who may see the concern', async () => {
    const open = await raiseByApi(app, tok.teammate, staffing(w, { service: 'Duty desk', category: 'unfit_unit' }));
    expect(open.statusCode).toBe(201);
    const read = await get('auditor', `/api/concerns/${open.json().id}`);
    expect(read.json()).toMatchObject({ identity_sealed: false, raised_by: 'Test teammate', raiser: { name: 'Test teammate', role: 'Social worker', agency: 'Northmoor Council' } });
    expect((await concernReads(s, open.json().id)).at(-1)).toBe(`${w.actors.auditor.id} agency_oversight detail true`);
  });
});
