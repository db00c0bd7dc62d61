import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src/app.js';
import { testServices } from '../support/db.js';
import { world, type World } from '../support/fixtures.js';
import { freshNhsNumber } from './helpers.js';

let s: Services;
let w: World;
beforeAll(async () => {
  s = await testServices();
  w = await world(s);
});
afterAll(() => s.database.close());

const referral = { occurred_at: '2026-01-05T09:00:00Z', narrative: 'Nursery staff worried about bruising.', data: { source: 'school' } };
const child = (over: Record<string, unknown> = {}) => ({ given_name: 'Robin', family_name: 'Hollowell', date_of_birth: '2021-06-02', nhs_number: freshNhsNumber(), ...over });
const count = async (table: 'persons' | 'entries' | 'audit_events' | 'person_names' | 'chain_heads') =>
  Number((await s.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('creating a child', () => {
  it('makes the creator an author who can read the summary; an unrelated practitioner gets 404', async () => {
    const res = await s.people.createChild(w.actors.dsl, { person: child(), first_entry: referral });
    expect(res.status).toBe(201);
    expect(res.body.first_entry).toMatchObject({ kind: 'contact_referral', seq: 1, author: { id: w.actors.dsl.id } });
    const summary = await s.people.childSummary(w.actors.dsl, res.body.child.id);
    expect(summary.basis).toBe('author');
    expect(summary.child.name).toMatchObject({ given_name: 'Robin', family_name: 'Hollowell', name_type: 'legal' });
    await expect(s.people.childSummary(w.actors.police, res.body.child.id)).rejects.toMatchObject({ status: 404 });
    const v = await s.integrity.verifyOne(null, res.body.child.id);
    expect(v).toMatchObject({ ok: true, entries: 1 });
  });

  it('refuses a duplicate NHS number with 409, naming only that the child exists', async () => {
    const nhs = freshNhsNumber();
    await s.people.createChild(w.actors.dsl, { person: child({ nhs_number: nhs }), first_entry: referral });
    const before = await count('persons');
    const err = await s.people.createChild(w.actors.hv, { person: child({ given_name: 'Other', nhs_number: nhs.replace(/(\d{3})(\d{3})/, '$1 $2 ') }), first_entry: referral }).catch((e) => e);
    expect(err).toMatchObject({ status: 409, message: 'A child with that NHS number already exists.' });
    expect(await count('persons')).toBe(before);
  });

  it('writes nothing on bad input', async () => {
    const tables = ['persons', 'entries', 'audit_events', 'person_names', 'chain_heads'] as const;
    const before = await Promise.all(tables.map(count));
    await expect(s.people.createChild(w.actors.dsl, { person: child({ date_of_birth: undefined }), first_entry: referral })).rejects.toThrow();
    await expect(s.people.createChild(w.actors.dsl, { person: child(), first_entry: { ...referral, data: { source: 'nobody' } } })).rejects.toThrow();
    // A first entry the creator may not write without a relationship is refused before anything is written.
    await expect(s.people.createChild(w.actors.dsl, { person: child(), first_entry: { ...referral, kind: 'case_note', data: {} } })).rejects.toMatchObject({ status: 422 });
    expect(await Promise.all(tables.map(count))).toEqual(before);
  });

  it('an Idempotency-Key retry creates one child', async () => {
    const input = { person: child(), first_entry: referral };
    const a = await s.people.createChild(w.actors.dsl, input, 'create-child-1');
    const b = await s.people.createChild(w.actors.dsl, input, 'create-child-1');
    expect(b.replayed).toBe(true);
    expect(b.body.child.id).toBe(a.body.child.id);
  });
});

describe('names and addresses over time', () => {
  it('a new legal name ends the previous one; a new address ends the previous one', async () => {
    const c = w.child;
    await s.people.addAddress(w.actors.worker, c, c, { line1: '1 Mill Lane', postcode: 'NM1 1AA', valid_from: '2025-03-01' });
    await s.people.addName(w.actors.worker, c, c, { given_name: 'Alex', family_name: 'Newname', valid_from: '2025-09-01' });
    const after = await s.people.addAddress(w.actors.worker, c, c, { line1: '2 Quay Street', town: 'Northmoor', postcode: 'nm2 2bb', valid_from: '2025-10-01' });
    const p = after.body;
    expect(p.name).toMatchObject({ family_name: 'Newname', valid_from: '2025-09-01', valid_to: null });
    expect(p.names[0]).toMatchObject({ family_name: 'Testchild', name_type: 'legal', valid_to: '2025-09-01' });
    expect(p.addresses.map((a) => [a.line1, a.postcode, a.valid_from, a.valid_to])).toEqual([
      ['2 Quay Street', 'NM2 2BB', '2025-10-01', null],
      ['1 Mill Lane', 'NM1 1AA', '2025-03-01', '2025-10-01'],
    ]);
    const summary = await s.people.childSummary(w.actors.worker, c);
    expect(summary.child.addresses).toHaveLength(2);
    expect(summary.allocation).toMatchObject({ worker_id: w.actors.worker.id, team_name: 'Assessment Team A' });
  });

  it('refuses a legal name starting before the current one, and writes nothing', async () => {
    const before = await count('person_names');
    await expect(s.people.addName(w.actors.worker, w.child, w.child, { given_name: 'A', family_name: 'B', valid_from: '2020-01-01' })).rejects.toMatchObject({ status: 422 });
    expect(await count('person_names')).toBe(before);
  });

  it('a practitioner without a relationship cannot change names (404)', async () => {
    await expect(s.people.addName(w.actors.police, w.child, w.child, { given_name: 'A', family_name: 'B' })).rejects.toMatchObject({ status: 404 });
  });
});

describe('household', () => {
  it('moves a household member from current to previous when the relationship ends', async () => {
    const mum = await s.people.createAdult(w.actors.worker, { given_name: 'Dana', family_name: 'Testchild' });
    const lodger = await s.people.createAdult(w.actors.worker, { given_name: 'Lee', family_name: 'Lodger' });
    const dad = await s.people.createAdult(w.actors.worker, { given_name: 'Chris', family_name: 'Elsewhere' });
    await s.people.addRelationship(w.actors.worker, w.child, { other_person_id: mum.body.id, kind: 'parent', lives_with_child: true, valid_from: '2025-03-01' });
    const l = await s.people.addRelationship(w.actors.worker, w.child, { other_person_id: lodger.body.id, kind: 'lodger', lives_with_child: true, valid_from: '2025-06-01' });
    await s.people.addRelationship(w.actors.worker, w.child, { other_person_id: dad.body.id, kind: 'parent', valid_from: '2025-03-01' });
    let h = await s.people.household(w.actors.worker, w.child);
    expect(h.household.current.map((m) => m.person.name.given_name).sort()).toEqual(['Dana', 'Lee']);
    expect(h.household.previous).toEqual([]);
    expect(h.relationships.map((m) => m.person.name.given_name)).toEqual(['Chris']);

    const ended = await s.people.endRelationship(w.actors.worker, w.child, l.body.relationship_id, '2025-12-31');
    expect(ended.valid_to).toBe('2025-12-31');
    h = await s.people.household(w.actors.worker, w.child);
    expect(h.household.current.map((m) => m.person.name.given_name)).toEqual(['Dana']);
    expect(h.household.previous.map((m) => [m.person.name.given_name, m.kind, m.valid_to])).toEqual([['Lee', 'lodger', '2025-12-31']]);
    await expect(s.people.endRelationship(w.actors.worker, w.child, l.body.relationship_id, '2026-01-01')).rejects.toMatchObject({ status: 409 });

    // An adult related to the child can be given a new address through the child's record.
    const moved = await s.people.addAddress(w.actors.worker, w.child, mum.body.id, { line1: '3 Bank Row', postcode: 'NM3 3CC', valid_from: '2026-01-02' });
    expect(moved.body.addresses[0].line1).toBe('3 Bank Row');
    // An adult not related to this child cannot.
    const stranger = await s.people.createAdult(w.actors.worker, { given_name: 'Sol', family_name: 'Stranger' });
    await expect(s.people.addAddress(w.actors.worker, w.child, stranger.body.id, { line1: 'x', postcode: 'NM3 3CC', valid_from: '2026-01-02' })).rejects.toMatchObject({ status: 404 });
  });

  it('refuses to link another child the caller cannot see', async () => {
    const other = await s.people.createChild(w.actors.police, { person: child(), first_entry: { ...referral, data: { source: 'police' } } });
    await expect(s.people.addRelationship(w.actors.worker, w.child, { other_person_id: other.body.child.id, kind: 'sibling', valid_from: '2025-03-01' })).rejects.toMatchObject({ status: 422 });
  });
});

describe('identifiers', () => {
  it('adds a local id with the agency name, and refuses a second NHS number', async () => {
    const p = await s.people.addIdentifier(w.actors.worker, w.child, w.child, { scheme: 'local', agency_id: w.school, value: 'UPN-123' });
    expect(p.body.identifiers).toContainEqual({ scheme: 'local', agency_id: w.school, agency_name: 'Elm Street Primary', value: 'UPN-123' });
    await expect(s.people.addIdentifier(w.actors.worker, w.child, w.child, { scheme: 'nhs_number', value: freshNhsNumber() })).rejects.toMatchObject({ status: 409 });
    await expect(s.people.addIdentifier(w.actors.worker, w.child, w.child, { scheme: 'nhs_number', value: '9434765918' })).rejects.toThrow();
  });
});

describe('search', () => {
  it('shows matches the caller can reach, and only a stub for others; audits each match', async () => {
    const nhs = freshNhsNumber();
    const made = await s.people.createChild(w.actors.hv, { person: child({ given_name: 'Jody', family_name: 'Searchable', date_of_birth: '2022-02-02', nhs_number: nhs }), first_entry: { ...referral, data: { source: 'health' } } });
    const id = made.body.child.id;
    const audits = async () => s.database.db.selectFrom('audit_events').selectAll().where('child_id', '=', id).where('action', '=', 'search_match').execute();

    const mine = await s.people.search(w.actors.hv, { nhs_number: nhs });
    expect(mine.results).toEqual([{ child_id: id, accessible: true, name: 'Jody Searchable', date_of_birth: '2022-02-02', basis: 'author' }]);

    const theirs = await s.people.search(w.actors.police, { family_name: 'SEARCHABLE', date_of_birth: '2022-02-02' });
    expect(theirs.results).toEqual([{ child_id: id, accessible: false, name: 'SEARCHABLE', date_of_birth: '2022-02-02' }]);
    const byNhs = await s.people.search(w.actors.police, { nhs_number: nhs });
    expect(byNhs.results).toEqual([{ child_id: id, accessible: false, name: null, date_of_birth: null }]);

    const rows = await audits();
    expect(rows.map((r) => [r.actor_practitioner_id, r.basis])).toEqual([
      [w.actors.hv.id, 'author'],
      [w.actors.police.id, 'none'],
      [w.actors.police.id, 'none'],
    ]);
    expect(await s.people.search(w.actors.police, { family_name: 'Searchable', given_name: 'Someone', date_of_birth: '2022-02-02' })).toEqual({ results: [] });
  });

  it('needs an NHS number, or family name and date of birth (422)', async () => {
    await expect(s.people.search(w.actors.worker, { family_name: 'Testchild' })).rejects.toMatchObject({ name: 'ZodError' });
    await expect(s.people.search(w.actors.worker, { given_name: 'Alex', date_of_birth: '2025-03-01' })).rejects.toMatchObject({ name: 'ZodError' });
  });
});
