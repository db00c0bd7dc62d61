import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { AddressInput, IdentifierInput, NameInput, PersonInput } from './schemas.js';

type Q = Kysely<DB> | Transaction<DB>;

/** Inserts a person with their first name, identifiers and address. The caller starts a child's chain. */
export async function insertPerson(q: Q, p: PersonInput, by: string | null): Promise<string> {
  const id = randomUUID();
  await q.insertInto('persons').values({ id, kind: p.kind, sex: p.sex, date_of_birth: p.date_of_birth ?? null, expected_date_of_birth: p.expected_date_of_birth ?? null, created_by: by }).execute();
  await q.insertInto('person_names').values({ id: randomUUID(), person_id: id, given_name: p.given_name, family_name: p.family_name, name_type: 'legal', valid_from: p.date_of_birth ?? null, recorded_by: by }).execute();
  const ids = [
    ...(p.nhs_number ? [{ scheme: 'nhs_number', agency_id: null, value: p.nhs_number }] : []),
    ...p.local_ids.map((l) => ({ scheme: 'local', agency_id: l.agency_id, value: l.value })),
  ];
  if (ids.length) await q.insertInto('person_identifiers').values(ids.map((i) => ({ ...i, id: randomUUID(), person_id: id, recorded_by: by }))).execute();
  if (p.address) {
    await q.insertInto('person_addresses').values({ id: randomUUID(), person_id: id, ...p.address, line2: p.address.line2 ?? null, town: p.address.town ?? null, recorded_by: by }).execute();
  }
  return id;
}

export async function insertRelationship(q: Q, childId: string, r: { other_person_id: string; kind: string; lives_with_child: boolean; valid_from: string; valid_to?: string | null }, by: string | null) {
  const id = randomUUID();
  await q.insertInto('relationships').values({ id, child_id: childId, other_person_id: r.other_person_id, kind: r.kind, lives_with_child: r.lives_with_child, valid_from: r.valid_from, valid_to: r.valid_to ?? null, recorded_by: by }).execute();
  return id;
}

export async function allocate(q: Q, childId: string, practitionerId: string, teamId: string, by: string | null, from = new Date()) {
  const id = randomUUID();
  await q.insertInto('allocations').values({ id, child_id: childId, practitioner_id: practitionerId, team_id: teamId, valid_from: from, recorded_by: by }).execute();
  return id;
}

export async function addGroupMember(q: Q, childId: string, practitionerId: string, group: 'core_group' | 'strategy_discussion', by: string | null, from = new Date()) {
  const id = randomUUID();
  await q.insertInto('group_members').values({ id, child_id: childId, practitioner_id: practitionerId, group_kind: group, valid_from: from, recorded_by: by }).execute();
  return id;
}

/** Who already holds an identifier (an NHS number, or an agency's local id), if anyone. */
export async function identifierHolder(q: Q, scheme: 'nhs_number' | 'local', value: string, agencyId: string | null) {
  let query = q
    .selectFrom('person_identifiers as i')
    .innerJoin('persons as p', 'p.id', 'i.person_id')
    .select(['i.person_id', 'p.kind'])
    .where('i.scheme', '=', scheme)
    .where('i.value', '=', value);
  if (agencyId) query = query.where('i.agency_id', '=', agencyId);
  return query.executeTakeFirst();
}

export async function personKind(q: Q, id: string): Promise<string | undefined> {
  return (await q.selectFrom('persons').select('kind').where('id', '=', id).executeTakeFirst())?.kind;
}

export async function agencyExists(q: Q, id: string): Promise<boolean> {
  return !!(await q.selectFrom('agencies').select('id').where('id', '=', id).executeTakeFirst());
}

/** The periods (legal names, addresses) still open for a person: a new one ends them. */
export async function openLegalNames(q: Q, personId: string) {
  return q.selectFrom('person_names').select(['id', 'valid_from']).where('person_id', '=', personId).where('name_type', '=', 'legal').where('valid_to', 'is', null).execute();
}

export async function openAddresses(q: Q, personId: string) {
  return q.selectFrom('person_addresses').select(['id', 'valid_from']).where('person_id', '=', personId).where('valid_to', 'is', null).execute();
}

export async function insertName(q: Q, personId: string, n: Omit<NameInput, 'valid_from'> & { valid_from: string | null }, endIds: string[], by: string | null) {
  if (endIds.length) await q.updateTable('person_names').set({ valid_to: n.valid_from }).where('id', 'in', endIds).execute();
  const id = randomUUID();
  await q.insertInto('person_names').values({ id, person_id: personId, given_name: n.given_name, family_name: n.family_name, name_type: n.name_type, valid_from: n.valid_from, recorded_by: by }).execute();
  return id;
}

export async function insertAddress(q: Q, personId: string, a: AddressInput, endIds: string[], by: string | null) {
  if (endIds.length) await q.updateTable('person_addresses').set({ valid_to: a.valid_from }).where('id', 'in', endIds).execute();
  const id = randomUUID();
  await q.insertInto('person_addresses').values({ id, person_id: personId, ...a, line2: a.line2 ?? null, town: a.town ?? null, recorded_by: by }).execute();
  return id;
}

export async function insertIdentifier(q: Q, personId: string, i: IdentifierInput, by: string | null) {
  const id = randomUUID();
  const agencyId = i.scheme === 'local' ? i.agency_id : null;
  await q.insertInto('person_identifiers').values({ id, person_id: personId, scheme: i.scheme, agency_id: agencyId, value: i.value, recorded_by: by }).execute();
  return id;
}

export async function relationshipRow(q: Q, childId: string, id: string) {
  return q.selectFrom('relationships').select(['id', 'valid_from', 'valid_to']).where('child_id', '=', childId).where('id', '=', id).executeTakeFirst();
}

export async function setRelationshipEnd(q: Q, id: string, validTo: string) {
  await q.updateTable('relationships').set({ valid_to: validTo }).where('id', '=', id).execute();
}
