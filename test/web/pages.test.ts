import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src/app.js';
import { buildApp } from '../../src/app.js';
import { testServices } from '../support/db.js';
import { homeVisit, world, type World } from '../support/fixtures.js';
import { Browser, textOf } from './session.js';

let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const entryCount = async () => Number((await s.database.db.selectFrom('entries').select((eb) => eb.fn.countAll().as('n')).where('child_id', '=', w.child).executeTakeFirstOrThrow()).n);

describe('the page shell', () => {
  it('sends security headers, and never lets a child page be cached or framed', async () => {
    const b = new Browser(app);
    const signIn = await b.get('/sign-in');
    expect(signIn.statusCode).toBe(200);
    expect(signIn.headers['content-security-policy']).toContain("default-src 'self'");
    expect(signIn.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(signIn.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(signIn.headers['x-frame-options']).toBe('DENY');
    await b.signIn(w.emails.worker);
    const child = await b.get(`/children/${w.child}`);
    expect(child.statusCode).toBe(200);
    expect(child.headers['cache-control']).toBe('no-store');
    expect(child.headers['x-frame-options']).toBe('DENY');
    expect(child.headers['referrer-policy']).toBe('no-referrer');
    // No inline script anywhere, so the policy needs no exceptions.
    expect(child.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('uses its own header and system fonts, never the GOV.UK crown or GDS Transport', async () => {
    const b = new Browser(app);
    const page = await b.get('/sign-in');
    expect(page.body).toContain('class="sl-header"');
    expect(page.body).not.toContain('govuk-header');
    const css = await b.get('/assets/sightline.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    expect(css.body).toContain('.moj-timeline');
    expect(css.body).toContain('.govuk-error-summary');
    expect(css.body).not.toContain('GDS Transport');
    expect(css.body).not.toContain('@font-face');
    expect(css.body).toContain('system-ui');
    expect((await b.get('/assets/govuk/govuk-frontend.min.js')).statusCode).toBe(200);
    expect((await b.get('/assets/moj/moj-frontend.min.js')).statusCode).toBe(200);
    expect((await b.get('/assets/images/icon-search-black.svg')).statusCode).toBe(200);
    expect((await b.get('/assets/fonts/bold-b542beb274-v2.woff2')).statusCode).toBe(404);
  });
});

describe('signing in and out', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie, Secure when the browser used HTTPS', async () => {
    const b = new Browser(app);
    await b.get('/sign-in');
    const plain = await b.post('/sign-in', { email: w.emails.teammate, password: 'correct horse battery staple' });
    expect(plain.statusCode).toBe(303);
    const cookie = String(([] as string[]).concat(plain.headers['set-cookie'] ?? []).find((c) => c.startsWith('sl_session=')));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);

    const csrf = b.cookies.get('sl_csrf')!;
    const https = await app.inject({
      method: 'POST', url: '/sign-in',
      headers: { 'x-forwarded-proto': 'https', cookie: `sl_csrf=${csrf}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, email: w.emails.teammate, password: 'correct horse battery staple' }).toString(),
    });
    expect(https.statusCode).toBe(303);
    expect(String(([] as string[]).concat(https.headers['set-cookie'] ?? []).find((c) => c.startsWith('sl_session=')))).toMatch(/Secure/);
  });

  it('marks cookies Secure whatever the scheme when SECURE_COOKIES=yes', async () => {
    const secureApp = await buildApp({ ...s, config: { ...s.config, SECURE_COOKIES: 'yes' } });
    try {
      const b = new Browser(secureApp);
      const page = await b.get('/sign-in');
      expect(String(page.headers['set-cookie'])).toMatch(/sl_csrf=[^;]+;.*Secure/);
      const res = await b.post('/sign-in', { email: w.emails.teammate, password: 'correct horse battery staple' });
      expect(String(([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('sl_session=')))).toMatch(/Secure/);
    } finally {
      await secureApp.close();
    }
  });

  it('says when the password is wrong, and when the account is locked, keeping the email typed', async () => {
    const b = new Browser(app);
    await b.get('/sign-in');
    const wrong = await b.post('/sign-in', { email: w.emails.dsl, password: 'not the password' });
    expect(wrong.statusCode).toBe(401);
    expect(textOf(wrong.body)).toContain('There is a problem');
    expect(textOf(wrong.body)).toContain('The email address or password is not right.');
    expect(wrong.body).toContain(`value="${w.emails.dsl}"`);
    expect(b.cookies.has('sl_session')).toBe(false);
    for (let i = 0; i < 3; i++) await b.post('/sign-in', { email: w.emails.dsl, password: 'still wrong' });
    const locking = await b.post('/sign-in', { email: w.emails.dsl, password: 'still wrong' });
    expect(locking.statusCode).toBe(423);
    expect(textOf(locking.body)).toMatch(/locked for 15 minutes/);
    // Even the right password is refused while the lock lasts.
    const locked = await b.post('/sign-in', { email: w.emails.dsl, password: 'correct horse battery staple' });
    expect(locked.statusCode).toBe(423);
    expect(textOf(locked.body)).toMatch(/This account is locked after too many failed sign-ins/);
    expect(b.cookies.has('sl_session')).toBe(false);
  });

  it('is rate limited per address like the API sign-in, answering with a page', async () => {
    const b = new Browser(app);
    await b.get('/sign-in');
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await b.post('/sign-in', { email: 'nobody@example.test', password: '' })).statusCode);
    expect(statuses.slice(0, 20).every((st) => st === 422)).toBe(true);
    expect(statuses[20]).toBe(429);
    const limited = await b.post('/sign-in', { email: 'nobody@example.test', password: '' });
    expect(limited.headers['content-type']).toContain('text/html');
    expect(textOf(limited.body)).toContain('Too many attempts');
    // Another address is unaffected.
    const other = new Browser(app);
    await other.get('/sign-in');
    expect((await other.post('/sign-in', { email: 'nobody@example.test', password: '' })).statusCode).toBe(422);
  });

  it('asks for what is missing before trying to sign in', async () => {
    const b = new Browser(app);
    await b.get('/sign-in');
    const res = await b.post('/sign-in', { email: '', password: '' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('href="#email"');
    expect(res.body).toContain('href="#password"');
  });

  it('sends someone not signed in to the sign-in page, and back again afterwards', async () => {
    const b = new Browser(app);
    const res = await b.get(`/children/${w.child}`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/sign-in?next=${encodeURIComponent(`/children/${w.child}`)}`);
    const page = await b.get(res.headers.location as string);
    expect(page.body).toContain(`name="next" value="/children/${w.child}"`);
    const signedIn = await b.post('/sign-in', { email: w.emails.worker, password: 'correct horse battery staple', next: `/children/${w.child}` });
    expect(signedIn.headers.location).toBe(`/children/${w.child}`);
    // Never off-site.
    const offsite = await new Browser(app).get('/sign-in?next=//evil.example/');
    expect(offsite.body).toContain('name="next" value="/"');
  });

  it('ends the session on sign-out', async () => {
    const b = new Browser(app);
    await b.signIn(w.emails.worker);
    expect((await b.get('/')).statusCode).toBe(200);
    const token = b.cookies.get('sl_session')!;
    const out = await b.post('/sign-out', {});
    expect(out.statusCode).toBe(303);
    expect(b.cookies.has('sl_session')).toBe(false);
    // The old cookie no longer works even if replayed.
    const replay = await app.inject({ method: 'GET', url: '/', headers: { cookie: `sl_session=${token}` } });
    expect(replay.statusCode).toBe(303);
  });
});

describe('CSRF', () => {
  it('refuses a form without the token, or with a token that does not match the cookie, and writes nothing', async () => {
    const b = new Browser(app);
    await b.signIn(w.emails.worker);
    const before = await entryCount();
    const form = { kind: 'case_note', narrative: 'Should never be saved', 'occurred-day': '2', 'occurred-month': '1', 'occurred-year': '2026', 'occurred-time': '10:00' };
    const missing = await b.post(`/children/${w.child}/entries`, form, { csrf: null });
    expect(missing.statusCode).toBe(403);
    expect(textOf(missing.body)).toContain('This form has expired');
    const mismatch = await b.post(`/children/${w.child}/entries`, form, { csrf: 'x'.repeat(43) });
    expect(mismatch.statusCode).toBe(403);
    expect(await entryCount()).toBe(before);
    // The same form with the right token goes through.
    const ok = await b.post(`/children/${w.child}/entries`, form);
    expect(ok.statusCode).toBe(303);
    expect(await entryCount()).toBe(before + 1);
  });

  it('protects sign-in too: no token, no session', async () => {
    const b = new Browser(app);
    const res = await b.post('/sign-in', { email: w.emails.worker, password: 'correct horse battery staple' }, { csrf: null });
    expect(res.statusCode).toBe(403);
    expect(b.cookies.has('sl_session')).toBe(false);
  });
});

describe('the work list', () => {
  it("shows the practitioner's own and their team's children, and their notifications; audited", async () => {
    const b = new Browser(app);
    await b.signIn(w.emails.teammate);
    await s.door.grantEmergency(w.actors.police, w.child, 'Officers attending a call at the address now', 1);
    const home = await b.get('/');
    const text = textOf(home.body);
    expect(text).toContain('Children allocated to your team');
    expect(text).toContain('Alex Testchild');
    expect(home.body).toContain(`href="/children/${w.child}"`);
    const mine = await new Browser(app);
    await mine.signIn(w.emails.worker);
    const workerHome = textOf((await mine.get('/')).body);
    expect(workerHome).toContain('Children allocated to you');
    expect(workerHome).toContain('Emergency access by Test police');
    const audit = await s.database.db.selectFrom('audit_events').select(['detail']).where('action', '=', 'list_caseload').where('actor_practitioner_id', '=', w.actors.teammate.id).execute();
    expect(audit.length).toBeGreaterThan(0);
    expect(audit[0].detail).toMatchObject({ children: [w.child] });
    // Someone with no allocations sees none.
    const police = new Browser(app);
    await police.signIn(w.emails.police);
    expect(textOf((await police.get('/')).body)).toContain('No children are allocated to you.');
  });
});

describe('a child the practitioner cannot see', () => {
  it('answers 404 with a page that names no one', async () => {
    await s.record.append(w.actors.worker, w.child, homeVisit());
    const b = new Browser(app);
    await b.signIn(w.emails.otherworker);
    for (const url of [`/children/${w.child}`, `/children/${w.child}/entries/new?kind=home_visit`, `/children/${w.child}/access-log`]) {
      const res = await b.get(url);
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('text/html');
      expect(textOf(res.body)).toContain('Page not found');
      expect(res.body).not.toContain('Testchild');
    }
    expect((await b.get('/children/not-a-uuid')).statusCode).toBe(404);
  });
});
