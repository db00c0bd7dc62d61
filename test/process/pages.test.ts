import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildApp, type Services } from '../../src/app.js';
import { addDays, londonDate } from '../../src/process/dates.js';
import { onPostgres, testServices } from '../support/db.js';
import { world, type World } from '../support/fixtures.js';
import { Browser, textOf } from '../web/session.js';

let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
let admin: Browser;
let worker: Browser;
beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  admin = new Browser(app);
  worker = new Browser(app);
  expect((await admin.signIn(w.emails.admin)).statusCode).toBe(303);
  expect((await worker.signIn(w.emails.worker)).statusCode).toBe(303);
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const ruleCount = async () => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM timescale_rules`.execute(s.database.db)).rows[0].n);
const idemOf = (html: string) => /name="_idem" value="([^"]+)"/.exec(html)?.[1] ?? '';
/** Tomorrow on UK clocks: a local timescale cannot start before today, whenever this runs. */
const tomorrow = addDays(londonDate(new Date()), 1);
const [year, month, day] = tomorrow.split('-').map(Number);
const t11 = {
  code: 'T11', amount: '20', unit: 'calendar_days', convention: 'calendar',
  source: 'Northmoor LSCP procedures 2026, 4.3: visits at least every 20 days',
  'effective_from-day': String(day), 'effective_from-month': String(month), 'effective_from-year': String(year),
};

describe(`Timescales page (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('lists the rules in force with their sources, linked from the main navigation', async () => {
    const res = await worker.get('/timescales');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<a class="sl-nav__link" href="/timescales" aria-current="page">Timescales</a>');
    const text = textOf(res.body);
    expect(text).toContain('Timescales England, with Northmoor Council’s local practice');
    for (const [code, timescale] of [['T1', '1 working day'], ['T2', '45 working days'], ['T5', '15 working days']]) {
      expect(text, code).toMatch(new RegExp(`${code} \\S[^]*?${timescale} working-days:t0-is-day-0`));
    }
    expect(text).toContain('[secondary S8,S10]');
    expect(text).toMatch(/T2 Assessment .*? Starts: The point of referral/);
    expect(text).not.toContain('Add a local timescale');
    // Wales's own rule is not England's.
    expect(text).not.toContain('W1');
  });

  it('works out T1 from Thursday 24 December 2026: Tuesday 29 December, over Christmas and the Boxing Day substitute', async () => {
    const res = await worker.get('/timescales?rule=T1&start-day=24&start-month=12&start-year=2026&time=');
    expect(res.statusCode).toBe(200);
    const text = textOf(res.body);
    expect(text).toContain('Started Thursday 24 December 2026');
    expect(text).toContain('Due Tuesday 29 December 2026 (2026-12-29)');
    expect(text).toContain('Counted 1 working day, counted working-days:t0-is-day-0');
    expect(text).toContain('Bank holidays passed Friday 25 December 2026: Christmas Day Monday 28 December 2026: Boxing Day (substitute day)');
    expect(res.body).toContain('value="24"');
  });

  it('gives hours as an exact UK time, and explains what it cannot work out', async () => {
    const ep1 = textOf((await worker.get('/timescales?rule=EP1&start-day=27&start-month=3&start-year=2026&time=18:00')).body);
    expect(ep1).toContain('Due 30 March 2026 at 7pm (2026-03-30T19:00:00+01:00)');
    const noTime = await worker.get('/timescales?rule=EP1&start-day=27&start-month=3&start-year=2026&time=');
    expect(noTime.statusCode).toBe(422);
    expect(textOf(noTime.body)).toContain('There is a problem Enter the date and time');
    const bad = await worker.get('/timescales?rule=&start-day=31&start-month=2&start-year=2026&time=25:00');
    expect(bad.statusCode).toBe(422);
    const text = textOf(bad.body);
    expect(text).toContain('Choose a rule');
    expect(text).toContain('The date it started must be a real date');
    expect(text).toContain('Enter a time such as 09:30');
    expect(bad.body).toContain('href="#start-day"');
    expect(bad.body).toContain('value="31"');
  });
});

describe('adding a local timescale', () => {
  it('lets the authority’s administrator add one for T11, shown as local', async () => {
    const before = await ruleCount();
    const form = await admin.get('/timescales');
    expect(textOf(form.body)).toContain('Add a local timescale');
    const values = { ...t11, _idem: idemOf(form.body) };
    const res = await admin.post('/timescales/overrides', values);
    expect(res.statusCode, res.body).toBe(303);
    // A second click of the same form records nothing more.
    expect((await admin.post('/timescales/overrides', values)).headers.location).toBe(res.headers.location);
    expect(await ruleCount()).toBe(before + 1);

    const page = textOf((await worker.get(res.headers.location as string)).body);
    expect(page).toMatch(/T11 Local Child protection visit .*? Set by Northmoor Council 20 calendar days calendar Northmoor LSCP procedures 2026, 4\.3: visits at least every 20 days \(local\)/);
    expect(page).toContain('Not yet in force');
    const row = await s.database.db.selectFrom('timescale_rules').select(['locality', 'status', 'effective_from', 'recorded_by']).where('code', '=', 'T11').where('locality', 'is not', null).executeTakeFirstOrThrow();
    expect(row).toEqual({ locality: w.la, status: 'local', effective_from: tomorrow, recorded_by: w.actors.admin.id });
  });

  it('refuses a step set nationally (T2) with an error summary, keeping what was typed and writing nothing', async () => {
    const before = await ruleCount();
    const res = await admin.post('/timescales/overrides', { ...t11, code: 'T2', source: 'Our own wish for quicker assessments' });
    expect(res.statusCode).toBe(422);
    const text = textOf(res.body);
    expect(text).toContain('There is a problem Choose a rule left to local practice');
    expect(res.body).toContain('href="#code"');
    expect(res.body).toContain('<option value="T2" selected>');
    expect(res.body).toContain('Our own wish for quicker assessments');
    expect(res.body).toContain('value="20"');
    expect(await ruleCount()).toBe(before);

    const blank = await admin.post('/timescales/overrides', { code: 'T11', amount: 'ten', source: '', 'effective_from-day': '', 'effective_from-month': '', 'effective_from-year': '' });
    expect(blank.statusCode).toBe(422);
    const why = textOf(blank.body);
    for (const m of ['Enter how long', 'Choose what the timescale is counted in', 'Choose how the days are counted', 'Enter the date it takes effect', 'Enter where your local rule is written']) expect(why).toContain(m);
    expect(blank.body).toContain('href="#effective_from-day"');
    expect(await ruleCount()).toBe(before);
  });

  it('refuses a form without its CSRF token, and anyone but an administrator', async () => {
    const before = await ruleCount();
    const form = await admin.get('/timescales');
    const forged = await admin.post('/timescales/overrides', { ...t11, amount: '21', _idem: idemOf(form.body) }, { csrf: null });
    expect(forged.statusCode).toBe(403);
    const notAdmin = await worker.post('/timescales/overrides', { ...t11, amount: '5' });
    expect(notAdmin.statusCode).toBe(403);
    expect(textOf(notAdmin.body)).toContain('Only an administrator');
    expect(await ruleCount()).toBe(before);
    expect((await new Browser(app).get('/timescales')).statusCode).toBe(303);
  });
});
