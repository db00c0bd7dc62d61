import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src/app.js';
import { buildApp } from '../../src/app.js';
import { ukDate } from '../../src/people/history.js';
import { testServices } from '../support/db.js';
import { PASSWORD, world, type World } from '../support/fixtures.js';
import { Browser, textOf } from './session.js';

let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
let worker: Browser;
beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  worker = new Browser(app);
  await worker.signIn(w.emails.worker);
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const db = () => s.database.db;
const count = async (table: 'persons' | 'person_names' | 'person_identifiers' | 'person_addresses' | 'relationships' | 'entries') =>
  Number((await db().selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const counts = async () => Object.fromEntries(await Promise.all((['persons', 'person_names', 'person_identifiers', 'person_addresses', 'relationships', 'entries'] as const).map(async (t) => [t, await count(t)])));

const today = ukDate(new Date());
const [ty, tm, td] = today.split('-').map(Number);
const todayFields = (prefix: string) => ({ [`${prefix}-day`]: String(td), [`${prefix}-month`]: String(tm), [`${prefix}-year`]: String(ty) });
const dateFields = (prefix: string, iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return { [`${prefix}-day`]: String(d), [`${prefix}-month`]: String(m), [`${prefix}-year`]: String(y) };
};

/** A new child's page form: a born child and the school's contact about them. */
const newChildForm = (over: Record<string, string> = {}) => ({
  given_name: 'Robin', family_name: 'Newrecord', born: 'yes', ...dateFields('dob', '2019-05-04'), sex: 'female',
  nhs_number: '999 000 0026', 'address-line1': '3 Mill Lane', 'address-town': 'Northmoor', 'address-postcode': 'nm2 5ab',
  narrative: 'Robin came to school with a bruise on her cheek and said her uncle had hit her.',
  ...dateFields('occurred', '2026-01-14'), 'occurred-time': '9:15am', source: 'school', referrer_name: 'Test dsl',
  ...over,
});

/** The rows of the table under a caption (on the child's page, "Who Alex lives with now" and "before"). */
function tableText(html: string, caption: string): string {
  const at = html.indexOf(caption);
  if (at < 0) return '';
  return textOf(html.slice(at, html.indexOf('</table>', at)));
}

describe("creating a child's record with its first contact", () => {
  it('creates the child and lands on their page as the author; a second click creates nothing more', async () => {
    const dsl = new Browser(app);
    await dsl.signIn(w.emails.dsl);
    const form = await dsl.get('/children/new');
    expect(form.statusCode).toBe(200);
    expect(textOf(form.body)).toContain('Create a record and record the contact');
    const idem = /name="_idem" value="([^"]+)"/.exec(form.body)![1];
    const before = await counts();

    const res = await dsl.post('/children/new', { _idem: idem, ...newChildForm() });
    expect(res.statusCode).toBe(303);
    const id = /^\/children\/([0-9a-f-]{36})\?changed=created$/.exec(String(res.headers.location))![1];
    const page = await dsl.get(String(res.headers.location));
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('Robin Newrecord');
    expect(text).toContain('The record is created, with the contact as its first entry.');
    expect(text).toContain('Your access: Author of an entry about the child');
    expect(text).toContain('999 000 0026');
    expect(text).toContain('3 Mill Lane');
    expect(text).toContain('NM2 5AB');
    expect(text).toContain('Robin came to school with a bruise');

    const entries = await db().selectFrom('entries').selectAll().where('child_id', '=', id).execute();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ kind: 'contact_referral', author_id: w.actors.dsl.id, data: { source: 'school', referrer_name: 'Test dsl' } });
    expect(entries[0].occurred_at.toISOString()).toBe('2026-01-14T09:15:00.000Z');
    const person = await db().selectFrom('persons').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(person).toMatchObject({ kind: 'child', sex: 'female', date_of_birth: '2019-05-04', expected_date_of_birth: null });

    // The same form again (a double click, or the back button and submit): the same child, nothing new.
    const again = await dsl.post('/children/new', { _idem: idem, ...newChildForm() });
    expect(again.headers.location).toBe(res.headers.location);
    expect(await counts()).toEqual({ ...before, persons: before.persons + 1, person_names: before.person_names + 1, person_identifiers: before.person_identifiers + 1, person_addresses: before.person_addresses + 1, entries: before.entries + 1 });
  });

  it('records an unborn child with an expected date of birth', async () => {
    const res = await worker.post('/children/new', newChildForm({ given_name: 'Baby', family_name: 'Unborn', born: 'no', ...dateFields('edd', '2027-03-01'), 'dob-day': '', 'dob-month': '', 'dob-year': '', nhs_number: '', 'address-line1': '', 'address-town': '', 'address-postcode': '' }));
    expect(res.statusCode).toBe(303);
    const id = /\/children\/([0-9a-f-]{36})/.exec(String(res.headers.location))![1];
    expect(await db().selectFrom('persons').select(['date_of_birth', 'expected_date_of_birth']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ date_of_birth: null, expected_date_of_birth: '2027-03-01' });
    expect(textOf((await worker.get(`/children/${id}`)).body)).toContain('Born expected 1 March 2027');
  });

  it('says a record already exists for a duplicate NHS number, with a search by that number, and writes nothing', async () => {
    const before = await counts();
    const res = await worker.post('/children/new', newChildForm({ nhs_number: '9990000018' }));
    expect(res.statusCode).toBe(422);
    const text = textOf(res.body);
    expect(text).toContain('There is a problem');
    expect(text).toContain('A record already exists for a child with this NHS number');
    expect(res.body).toContain('href="/search?nhs_number=9990000018"');
    expect(res.body).toContain('value="Robin"');
    expect(await counts()).toEqual(before);
    // The link finds the child (this worker is allocated, so sees them).
    const found = await worker.get('/search?nhs_number=9990000018');
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain(`href="/children/${w.child}"`);
  });

  it('shows an invalid NHS number in the error summary, keeps everything typed and writes nothing', async () => {
    const before = await counts();
    const res = await worker.post('/children/new', newChildForm({ nhs_number: '999 000 0019', given_name: 'Kit', family_name: 'Typedin' }));
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('text/html');
    const text = textOf(res.body);
    expect(text).toContain('There is a problem');
    expect(text).toContain('That is not a valid NHS number');
    expect(res.body).toContain('href="#nhs_number"');
    for (const v of ['value="Kit"', 'value="Typedin"', 'value="999 000 0019"', 'value="3 Mill Lane"', 'value="9:15am"', 'Robin came to school with a bruise']) expect(res.body).toContain(v);
    expect(res.body).toMatch(/<option value="school" selected/);
    expect(await counts()).toEqual(before);
  });

  it('asks for what is missing, every problem at once', async () => {
    const res = await worker.post('/children/new', { given_name: '', family_name: '' });
    expect(res.statusCode).toBe(422);
    for (const href of ['#given_name', '#family_name', '#born', '#narrative', '#occurred-time', '#f-source']) expect(res.body).toContain(`href="${href}"`);
  });

  it('is offered from the search page when nothing matches, starting with what was searched for', async () => {
    const search = await worker.post('/search', { family_name: 'Nobodyhere', ...dateFields('date_of_birth', '2020-02-02') });
    expect(textOf(search.body)).toContain('Create a record and record the contact');
    const start = await worker.post('/children/new', { _from: 'search', family_name: 'Nobodyhere', ...dateFields('date_of_birth', '2020-02-02') });
    expect(start.statusCode).toBe(200);
    expect(textOf(start.body)).not.toContain('There is a problem');
    expect(start.body).toContain('value="Nobodyhere"');
    expect(start.body).toContain('value="2020"');
    // And from the main navigation.
    expect((await worker.get('/')).body).toContain('href="/children/new"');
  });
});

describe("the child's household", () => {
  it("adds a carer's partner who lives with the child, then ends it: now, then before", async () => {
    const form = await worker.get(`/children/${w.child}/people/add`);
    expect(form.statusCode).toBe(200);
    const add = await worker.post(`/children/${w.child}/people/add`, {
      who: 'new', given_name: 'Dean', family_name: 'Partnerson', ...dateFields('dob', '1990-06-01'),
      kind: 'partner_of_carer', lives_with: 'yes', ...dateFields('from', '2026-02-01'),
    });
    expect(add.statusCode).toBe(303);
    expect(add.headers.location).toBe(`/children/${w.child}?changed=household`);
    const page = await worker.get(String(add.headers.location));
    expect(textOf(page.body)).toContain('The household is updated.');
    expect(tableText(page.body, 'Who Alex lives with now')).toContain('Dean Partnerson Partner of a carer');
    expect(tableText(page.body, 'Who lived with Alex before')).not.toContain('Dean Partnerson');

    const rel = await db().selectFrom('relationships as r').innerJoin('person_names as n', 'n.person_id', 'r.other_person_id').select(['r.id', 'r.lives_with_child', 'r.valid_from'])
      .where('r.child_id', '=', w.child).where('n.given_name', '=', 'Dean').executeTakeFirstOrThrow();
    expect(rel).toMatchObject({ lives_with_child: true, valid_from: '2026-02-01' });
    const people = await worker.get(`/children/${w.child}/people`);
    expect(people.body).toContain(`href="/children/${w.child}/people/${rel.id}/end"`);

    const end = await worker.post(`/children/${w.child}/people/${rel.id}/end`, todayFields('to'));
    expect(end.statusCode).toBe(303);
    const after = await worker.get(String(end.headers.location));
    expect(tableText(after.body, 'Who Alex lives with now')).not.toContain('Dean Partnerson');
    expect(tableText(after.body, 'Who lived with Alex before')).toContain('Dean Partnerson');
    // Ending it again with the same date (a second click) is not an error.
    expect((await worker.post(`/children/${w.child}/people/${rel.id}/end`, todayFields('to'))).statusCode).toBe(303);
  });

  it('links someone already in the child’s life, and refuses an end date before the start', async () => {
    const visitor = await s.people.createAdult(w.actors.worker, { given_name: 'Gran', family_name: 'Visiting' });
    await s.people.addRelationship(w.actors.worker, w.child, { other_person_id: visitor.body.id, kind: 'visitor', lives_with_child: false, valid_from: '2025-06-01' });
    const form = await worker.get(`/children/${w.child}/people/add`);
    expect(form.body).toContain(`value="${visitor.body.id}"`);
    const before = await count('persons');
    const res = await worker.post(`/children/${w.child}/people/add`, { who: 'existing', person_id: visitor.body.id, kind: 'household_member', lives_with: 'yes', ...dateFields('from', '2026-03-01') });
    expect(res.statusCode).toBe(303);
    expect(await count('persons')).toBe(before);
    expect(tableText((await worker.get(`/children/${w.child}`)).body, 'Who Alex lives with now')).toContain('Gran Visiting Household member');

    const rel = await db().selectFrom('relationships').select('id').where('other_person_id', '=', visitor.body.id).where('kind', '=', 'visitor').executeTakeFirstOrThrow();
    const early = await worker.post(`/children/${w.child}/people/${rel.id}/end`, dateFields('to', '2025-01-01'));
    expect(early.statusCode).toBe(422);
    expect(textOf(early.body)).toContain('The date it ended must be on or after 1 June 2025');
    expect((await db().selectFrom('relationships').select('valid_to').where('id', '=', rel.id).executeTakeFirstOrThrow()).valid_to).toBeNull();
  });

  it('shows what is wrong with the add-a-person form, keeps what was typed, and writes nothing', async () => {
    const before = await counts();
    const res = await worker.post(`/children/${w.child}/people/add`, { who: 'new', given_name: 'Half', family_name: '', kind: '', lives_with: '', ...dateFields('from', '2026-02-31'), 'address-line1': '9 Nowhere', 'address-postcode': 'not a postcode' });
    expect(res.statusCode).toBe(422);
    for (const href of ['#family_name', '#kind', '#lives_with', '#from-day', '#address-postcode']) expect(res.body).toContain(`href="${href}"`);
    expect(textOf(res.body)).toContain('The date this started must be a real date');
    expect(res.body).toContain('value="Half"');
    expect(res.body).toContain('value="9 Nowhere"');
    expect(await counts()).toEqual(before);
  });

  it('records a new address, which ends the one before', async () => {
    const first = await worker.post(`/children/${w.child}/people/address`, { 'address-line1': '14 Tannery Row', 'address-town': 'Northmoor', 'address-postcode': 'NM1 4TR', ...dateFields('from', '2026-01-05') });
    expect(first.statusCode).toBe(303);
    const second = await worker.post(`/children/${w.child}/people/address`, { 'address-line1': '2 Canal Court', 'address-postcode': 'NM3 1CC', ...dateFields('from', '2026-04-10') });
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toBe(`/children/${w.child}?changed=address`);
    const rows = await db().selectFrom('person_addresses').select(['line1', 'valid_from', 'valid_to']).where('person_id', '=', w.child).orderBy('valid_from').execute();
    expect(rows).toEqual([
      { line1: '14 Tannery Row', valid_from: '2026-01-05', valid_to: '2026-04-10' },
      { line1: '2 Canal Court', valid_from: '2026-04-10', valid_to: null },
    ]);
    const page = textOf((await worker.get(`/children/${w.child}`)).body);
    expect(page).toMatch(/Lives at 2 Canal Court NM3 1CC/);
    const people = textOf((await worker.get(`/children/${w.child}/people`)).body);
    expect(people).toContain('Now 2 Canal Court NM3 1CC Since 10 April 2026');
    expect(people).toContain('Before 14 Tannery Row Northmoor NM1 4TR 5 January 2026 to 10 April 2026');
    // An address that would start before the current one is refused, nothing written.
    const early = await worker.post(`/children/${w.child}/people/address`, { 'address-line1': '1 Old Road', 'address-postcode': 'NM1 1AA', ...dateFields('from', '2026-03-01') });
    expect(early.statusCode).toBe(422);
    expect(early.body).toContain('href="#from-day"');
    expect(early.body).toContain('value="1 Old Road"');
    expect(await db().selectFrom('person_addresses').select('id').where('person_id', '=', w.child).execute()).toHaveLength(2);
  });

  it('records a known-as name and an agency reference; refuses an NHS number already recorded', async () => {
    const name = await worker.post(`/children/${w.child}/people/name`, { name_type: 'known_as', given_name: 'Lexi', family_name: 'Testchild' });
    expect(name.statusCode).toBe(303);
    expect(textOf((await worker.get(`/children/${w.child}`)).body)).toContain('Lexi Testchild (known as)');
    const local = await worker.post(`/children/${w.child}/people/identifier`, { scheme: 'local', agency_id: w.school, local_id: 'ESP-00417' });
    expect(local.statusCode).toBe(303);
    const people = textOf((await worker.get(`/children/${w.child}/people`)).body);
    expect(people).toContain('Elm Street Primary reference ESP-00417');
    const dup = await worker.post(`/children/${w.child}/people/identifier`, { scheme: 'nhs_number', nhs_number: '9990000018' });
    expect(dup.statusCode).toBe(422);
    expect(dup.body).toContain('href="#nhs_number"');
  });
});

describe('the forms are protected', () => {
  it('refuses a form without the CSRF token and writes nothing', async () => {
    const before = await counts();
    for (const [url, form] of [
      ['/children/new', newChildForm({ nhs_number: '' })],
      [`/children/${w.child}/people/add`, { who: 'new', given_name: 'No', family_name: 'Token', kind: 'lodger', lives_with: 'yes', ...todayFields('from') }],
      [`/children/${w.child}/people/address`, { 'address-line1': '1 Token Street', 'address-postcode': 'NM1 1AA', ...todayFields('from') }],
    ] as const) {
      const res = await worker.post(url, form as Record<string, string>, { csrf: null });
      expect(res.statusCode).toBe(403);
      expect(textOf(res.body)).toContain('This form has expired');
    }
    expect(await counts()).toEqual(before);
  });

  it('gives a practitioner with no relationship to the child the 404 page for every form, and writes nothing', async () => {
    const other = new Browser(app);
    await other.signIn(w.emails.otherworker);
    const before = await counts();
    const rel = await db().selectFrom('relationships').select('id').where('child_id', '=', w.child).executeTakeFirstOrThrow();
    const base = `/children/${w.child}/people`;
    for (const url of [base, `${base}/add`, `${base}/address`, `${base}/name`, `${base}/identifier`, `${base}/${rel.id}/end`]) {
      const res = await other.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toContain('text/html');
      expect(textOf(res.body)).toContain('Page not found');
      expect(res.body).not.toContain('Testchild');
    }
    const posts: [string, Record<string, string>][] = [
      [`${base}/add`, { who: 'new', given_name: 'Sneaky', family_name: 'Adult', kind: 'lodger', lives_with: 'yes', ...todayFields('from') }],
      [`${base}/address`, { 'address-line1': '1 Elsewhere', 'address-postcode': 'NM1 1AA', ...todayFields('from') }],
      [`${base}/name`, { name_type: 'legal', given_name: 'Other', family_name: 'Name' }],
      [`${base}/identifier`, { scheme: 'local', agency_id: w.la, local_id: 'X-1' }],
      [`${base}/${rel.id}/end`, todayFields('to')],
    ];
    for (const [url, form] of posts) {
      const res = await other.post(url, form);
      expect(res.statusCode, url).toBe(404);
      expect(textOf(res.body)).toContain('Page not found');
    }
    expect(await counts()).toEqual(before);
  });
});

describe('unknown addresses', () => {
  it('answers an unknown page with the HTML 404 page, and an unknown API path with problem+json', async () => {
    const page = await worker.get('/nope');
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toContain('text/html');
    expect(textOf(page.body)).toContain('Page not found');
    expect(textOf(page.body)).toContain('Test worker');
    expect((await new Browser(app).get('/nope/deeper')).statusCode).toBe(404);

    const token = (await app.inject({ method: 'POST', url: '/api/auth/token', payload: { email: w.emails.worker, password: PASSWORD } })).json().token;
    const api = await app.inject({ method: 'GET', url: '/api/nope', headers: { authorization: `Bearer ${token}` } });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toContain('application/problem+json');
    expect(api.json()).toMatchObject({ status: 404, title: 'Not found' });
    // Without credentials the API still says only 401, as it did before pages had their own 404.
    const anonymous = await app.inject({ method: 'GET', url: '/api/nope' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
  });
});
