import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { PersonInput } from './schemas.js';

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
