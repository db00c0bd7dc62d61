import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Services } from '../../src/app.js';
import { hashToken } from '../../src/auth/secrets.js';
import { testServices } from '../support/db.js';
import { world, type World } from '../support/fixtures.js';
import { Browser, textOf } from '../web/session.js';

let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
let admin: Browser;
beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  admin = new Browser(app);
  expect((await admin.signIn(w.emails.admin)).statusCode).toBe(303);
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const count = async (table: 'agencies' | 'teams' | 'practitioners' | 'api_tokens') =>
  (await s.database.db.selectFrom(table).select('id').execute()).length;
const idemOf = (html: string) => /name="_idem" value="([^"]+)"/.exec(html)?.[1] ?? '';
const agencyForm = { kind: 'health', name: 'Riverside Hospital', code: 'rvh', jurisdiction: 'england', office_hours_phone: '', out_of_hours_phone: '' };

describe('agency pages', () => {
  it('lists agencies and adds one, then a team', async () => {
    const list = await admin.get('/admin/agencies');
    expect(list.statusCode).toBe(200);
    expect(textOf(list.body)).toContain('Northmoor Council');
    const form = await admin.get('/admin/agencies/new');
    const res = await admin.post('/admin/agencies', { ...agencyForm, _idem: idemOf(form.body) });
    expect(res.statusCode, res.body).toBe(303);
    const page = await admin.get(res.headers.location as string);
    expect(textOf(page.body)).toContain('Riverside Hospital');
    expect(textOf(page.body)).toContain('RVH');
    const id = /\/admin\/agencies\/([0-9a-f-]{36})/.exec(res.headers.location as string)![1];

    const team = await admin.post(`/admin/agencies/${id}/teams`, { name: 'Safeguarding Children Team', _idem: idemOf(page.body) });
    expect(team.statusCode).toBe(303);
    expect(textOf((await admin.get(`/admin/agencies/${id}`)).body)).toContain('Safeguarding Children Team');
  });

  it('shows an error summary, keeps what was typed and saves nothing on bad input', async () => {
    const before = await count('agencies');
    const res = await admin.post('/admin/agencies', { ...agencyForm, name: '', code: 'not a code!', out_of_hours_phone: '01632 960 999' });
    expect(res.statusCode).toBe(422);
    const text = textOf(res.body);
    expect(text).toContain('There is a problem');
    expect(text).toContain('Enter the agency’s name');
    expect(text).toContain('Enter a short code');
    expect(res.body).toContain('href="#name"');
    expect(res.body).toContain('value="not a code!"');
    expect(res.body).toContain('value="01632 960 999"');
    expect(await count('agencies')).toBe(before);

    const clash = await admin.post('/admin/agencies', { ...agencyForm, code: 'NMC' });
    expect(clash.statusCode).toBe(422);
    expect(textOf(clash.body)).toContain('Another agency already uses the code NMC');
  });

  it('refuses a form without its CSRF token, and anyone but an administrator', async () => {
    const before = await count('agencies');
    const forged = await admin.post('/admin/agencies', { ...agencyForm, code: 'FORGED' }, { csrf: null });
    expect(forged.statusCode).toBe(403);
    const wrong = await admin.post('/admin/agencies', { ...agencyForm, code: 'FORGED' }, { csrf: 'x'.repeat(43) });
    expect(wrong.statusCode).toBe(403);
    const worker = new Browser(app);
    await worker.signIn(w.emails.worker);
    for (const url of ['/admin', '/admin/agencies', '/admin/practitioners', `/admin/practitioners/${w.actors.worker.id}`, '/admin/api-tokens']) {
      const res = await worker.get(url);
      expect(res.statusCode, url).toBe(403);
      expect(textOf(res.body)).toContain('Only an administrator');
    }
    expect((await worker.post('/admin/agencies', { ...agencyForm, code: 'SNEAKY' })).statusCode).toBe(403);
    expect(await count('agencies')).toBe(before);
    expect((await new Browser(app).get('/admin/agencies')).statusCode).toBe(303);
  });
});

describe('practitioner pages', () => {
  it('asks for the agency first, then adds a practitioner who can sign in', async () => {
    expect(textOf((await admin.get('/admin/practitioners/new')).body)).toContain('Which agency does the practitioner work for?');
    const form = await admin.get(`/admin/practitioners/new?agency=${w.la}`);
    expect(textOf(form.body)).toContain('Assessment Team A');
    const values = { agency_id: w.la, email: 'morgan.page@example.test', display_name: 'Morgan Page', role: 'social_worker', team_id: w.team, manager_id: w.actors.manager.id, qualified_social_worker: 'yes', password: 'a sturdy first password', _idem: idemOf(form.body) };

    const before = await count('practitioners');
    const [policeTeam] = await s.database.db.insertInto('teams').values({ id: crypto.randomUUID(), agency_id: w.police, name: 'Custody' }).returning('id').execute();
    const bad = await admin.post('/admin/practitioners', { ...values, team_id: policeTeam.id });
    expect(bad.statusCode).toBe(422);
    expect(textOf(bad.body)).toContain('Choose a team in the practitioner’s own agency');
    expect(bad.body).toContain('value="morgan.page@example.test"');
    expect(bad.body).not.toContain('a sturdy first password');
    expect(await count('practitioners')).toBe(before);

    const ok = await admin.post('/admin/practitioners', values);
    expect(ok.statusCode, ok.body).toBe(303);
    const again = await admin.post('/admin/practitioners', values);
    expect(again.headers.location).toBe(ok.headers.location);
    expect(await count('practitioners')).toBe(before + 1);
    const page = textOf((await admin.get(ok.headers.location as string)).body);
    expect(page).toContain('Morgan Page');
    expect(page).toContain('Test manager');
    const them = new Browser(app);
    expect((await them.signIn('morgan.page@example.test', 'a sturdy first password')).statusCode).toBe(303);
  });

  it('edits, deactivates and unlocks from the practitioner’s page', async () => {
    const id = w.actors.otherworker.id;
    const url = `/admin/practitioners/${id}`;
    expect(textOf((await admin.get(url)).body)).toContain('Test otherworker');
    const edit = await admin.post(url, { display_name: 'Test otherworker', role: 'team_manager', team_id: w.otherTeam, manager_id: w.actors.head.id, qualified_social_worker: 'yes' });
    expect(edit.statusCode).toBe(303);
    const row = await s.database.db.selectFrom('practitioners').select(['role', 'manager_id']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ role: 'team_manager', manager_id: w.actors.head.id });

    const loop = await admin.post(`/admin/practitioners/${w.actors.head.id}`, { display_name: 'Test head', role: 'head_of_service', team_id: '', manager_id: id, qualified_social_worker: 'yes' });
    expect(loop.statusCode).toBe(422);
    expect(textOf(loop.body)).toContain('cannot be managed by themselves or by someone they manage');

    expect((await admin.post(`${url}/deactivate`, {})).statusCode).toBe(303);
    expect(textOf((await admin.get(url)).body)).toContain('Deactivated');
    expect((await new Browser(app).signIn(w.emails.otherworker)).statusCode).toBe(401);
    expect((await admin.post(`${url}/reactivate`, {})).statusCode).toBe(303);

    const self = await admin.post(`/admin/practitioners/${w.actors.admin.id}/deactivate`, {});
    expect(self.statusCode).toBe(422);
    expect(textOf(self.body)).toContain('You cannot deactivate your own account');
    expect(self.body).toContain('href="#account"');
    // The edit form shows the account as it is now.
    expect(self.body).toMatch(/<option value="administrator"\s+selected>/);

    const locked = new Browser(app);
    for (let i = 0; i < 5; i++) await locked.signIn(w.emails.hv, 'not the password');
    expect(textOf((await admin.get(`/admin/practitioners/${w.actors.hv.id}`)).body)).toContain('Unlock account');
    expect((await admin.post(`/admin/practitioners/${w.actors.hv.id}/unlock`, {})).statusCode).toBe(303);
    expect((await new Browser(app).signIn(w.emails.hv)).statusCode).toBe(303);
  });
});

describe('API token pages', () => {
  it('shows the secret once, lists without it, and revokes', async () => {
    const form = await admin.get(`/admin/api-tokens/new?agency=${w.school}`);
    const values = { agency_id: w.school, name: 'School MIS', entry_kinds: ['school_concern', 'correspondence'], _idem: idemOf(form.body) };
    const none = await admin.post('/admin/api-tokens', { ...values, entry_kinds: [] });
    expect(none.statusCode).toBe(422);
    expect(textOf(none.body)).toContain('Choose at least one kind of entry');
    expect(await count('api_tokens')).toBe(0);

    const made = await admin.post('/admin/api-tokens', values);
    expect(made.statusCode).toBe(200);
    expect(made.headers['cache-control']).toBe('no-store');
    const secret = /(slt_[A-Za-z0-9_-]{43})/.exec(made.body)![1];
    const row = await s.database.db.selectFrom('api_tokens').selectAll().executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(secret));
    expect(row.entry_kinds.sort()).toEqual(['correspondence', 'school_concern']);

    const twice = await admin.post('/admin/api-tokens', values);
    expect(textOf(twice.body)).toContain('This token was already created');
    expect(twice.body).not.toContain(secret);
    expect(await count('api_tokens')).toBe(1);

    const list = await admin.get('/admin/api-tokens');
    expect(textOf(list.body)).toContain('School MIS');
    expect(list.body).not.toContain(secret);
    const page = await admin.get(`/admin/api-tokens/${row.id}`);
    expect(page.body).not.toContain(secret);
    expect((await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${secret}` } })).statusCode).toBe(200);
    const revoked = await admin.post(`/admin/api-tokens/${row.id}/revoke`, {});
    expect(revoked.statusCode).toBe(303);
    expect(textOf((await admin.get(revoked.headers.location as string)).body)).toContain('Revoked');
    expect(textOf((await admin.get('/admin/api-tokens')).body)).toMatch(/School MIS Elm Street Primary .* Revoked/);
    expect((await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${secret}` } })).statusCode).toBe(401);
  });
});
