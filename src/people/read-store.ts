import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { childIn, mergedIntoThis } from '../person-index/group.js';
import { nameHistory, newestFirst } from './history.js';
import type { SearchInput } from './schemas.js';
import type { ChildSummary, HouseholdMember, IdentifierView, PersonView } from './views.js';

type Q = Kysely<DB> | Transaction<DB>;

/**
 * Each person with their name history, identifiers and addresses (five queries however many people).
 * A person others were merged into shows their names, identifiers and addresses too (nothing moves).
 */
export async function personViews(q: Q, given: string[], today: string): Promise<Map<string, PersonView>> {
  const out = new Map<string, PersonView>();
  if (!given.length) return out;
  const persons = await q.selectFrom('persons').select(['id', 'kind', 'sex', 'date_of_birth', 'expected_date_of_birth']).where('id', 'in', given).execute();
  const merges = await sql<{ merged_id: string; survivor_id: string }>`SELECT merged_id, survivor_id FROM person_merges
    WHERE survivor_id = ANY(${given}::uuid[]) AND unmerged_at IS NULL`.execute(q);
  const owner = new Map(merges.rows.map((m) => [m.merged_id, m.survivor_id]));
  const ids = [...given, ...owner.keys()];
  const of = <T extends { person_id: string }>(rows: T[]) => rows.map((r) => ({ ...r, person_id: owner.get(r.person_id) ?? r.person_id, merged: owner.has(r.person_id) }));
  const names = of(await q
    .selectFrom('person_names')
    .select(['person_id', 'given_name', 'family_name', 'name_type', 'valid_from', 'valid_to', 'recorded_at'])
    .where('person_id', 'in', ids)
    .execute());
  const identifiers = of(await q
    .selectFrom('person_identifiers as i')
    .leftJoin('agencies as a', 'a.id', 'i.agency_id')
    .select(['i.person_id', 'i.scheme', 'i.agency_id', 'a.name as agency_name', 'i.value'])
    .where('i.person_id', 'in', ids)
    .orderBy('i.scheme')
    .orderBy('a.name')
    .execute());
  const addresses = of(await q
    .selectFrom('person_addresses')
    .select(['person_id', 'line1', 'line2', 'town', 'postcode', 'valid_from', 'valid_to', 'recorded_at'])
    .where('person_id', 'in', ids)
    .execute());
  for (const p of persons) {
    const { name, names: history } = nameHistory(names.filter((n) => n.person_id === p.id), today, (n) => !n.merged);
    out.set(p.id, {
      id: p.id,
      kind: p.kind as PersonView['kind'],
      sex: p.sex,
      date_of_birth: p.date_of_birth,
      expected_date_of_birth: p.expected_date_of_birth,
      name,
      names: history,
      identifiers: identifiers
        .filter((i) => i.person_id === p.id)
        .map((i): IdentifierView => ({ scheme: i.scheme as IdentifierView['scheme'], agency_id: i.agency_id, agency_name: i.agency_name, value: i.value })),
      addresses: newestFirst(addresses.filter((a) => a.person_id === p.id)).map(({ line1, line2, town, postcode, valid_from, valid_to }) => ({
        line1, line2, town, postcode, valid_from, valid_to,
      })),
    });
  }
  return out;
}

export async function personView(q: Q, id: string, today: string): Promise<PersonView> {
  const v = (await personViews(q, [id], today)).get(id);
  if (!v) throw new Error('person vanished inside its own transaction');
  return v;
}

/** Every relationship the child (and anyone merged into them) has or had, newest first, with the other person's details. */
export async function relationshipsOfChild(q: Q, childId: string, today: string, onlyId?: string): Promise<HouseholdMember[]> {
  const merged = await mergedIntoThis(q, childId);
  let query = q
    .selectFrom('relationships')
    .select(['id', 'other_person_id', 'kind', 'lives_with_child', 'valid_from', 'valid_to', 'recorded_at'])
    .where(sql<boolean>`child_id ${childIn(childId, merged)}`);
  if (onlyId) query = query.where('id', '=', onlyId);
  const rows = newestFirst(await query.execute());
  const people = await personViews(q, [...new Set(rows.map((r) => r.other_person_id))], today);
  return rows.map((r) => ({
    relationship_id: r.id,
    person: people.get(r.other_person_id)!,
    kind: r.kind,
    lives_with_child: r.lives_with_child,
    valid_from: r.valid_from,
    valid_to: r.valid_to,
  }));
}

export async function currentAllocation(q: Q, childId: string, now: Date): Promise<ChildSummary['allocation']> {
  const row = await q
    .selectFrom('allocations as a')
    .innerJoin('practitioners as p', 'p.id', 'a.practitioner_id')
    .innerJoin('teams as t', 't.id', 'a.team_id')
    .select(['a.practitioner_id', 'p.display_name', 'a.team_id', 't.name as team_name', 'a.valid_from'])
    .where('a.child_id', '=', childId)
    .where('a.valid_from', '<=', now)
    .where((eb) => eb.or([eb('a.valid_to', 'is', null), eb('a.valid_to', '>', now)]))
    .orderBy('a.valid_from', 'desc')
    .executeTakeFirst();
  if (!row) return null;
  return { worker_id: row.practitioner_id, worker_name: row.display_name, team_id: row.team_id, team_name: row.team_name, since: new Date(row.valid_from).toISOString() };
}

export async function currentGroupMembers(q: Q, childId: string, now: Date): Promise<ChildSummary['group_members']> {
  return q
    .selectFrom('group_members as g')
    .innerJoin('practitioners as p', 'p.id', 'g.practitioner_id')
    .innerJoin('agencies as a', 'a.id', 'p.agency_id')
    .select(['g.practitioner_id', 'p.display_name as name', 'p.role', 'a.name as agency_name', 'g.group_kind'])
    .where('g.child_id', '=', childId)
    .where('g.valid_from', '<=', now)
    .where((eb) => eb.or([eb('g.valid_to', 'is', null), eb('g.valid_to', '>', now)]))
    .orderBy('g.group_kind')
    .orderBy('p.display_name')
    .execute();
}

/**
 * Children matching every identifier given: NHS number exactly; names case-insensitively, in any name
 * they have had. A record merged into another is found as the record it was merged into.
 */
export async function findChildren(q: Q, s: SearchInput, limit: number): Promise<string[]> {
  let query = q.selectFrom('persons as p')
    .select(sql<string>`coalesce((SELECT m.survivor_id FROM person_merges m WHERE m.merged_id = p.id AND m.unmerged_at IS NULL), p.id)`.as('id'))
    .where('p.kind', '=', 'child');
  if (s.nhs_number) {
    const nhs = s.nhs_number;
    query = query.where(({ exists, selectFrom }) =>
      exists(selectFrom('person_identifiers as i').select('i.id').whereRef('i.person_id', '=', 'p.id').where('i.scheme', '=', 'nhs_number').where('i.value', '=', nhs)),
    );
  }
  if (s.family_name || s.given_name) {
    query = query.where(({ exists, selectFrom }) => {
      let names = selectFrom('person_names as n').select('n.id').whereRef('n.person_id', '=', 'p.id');
      if (s.family_name) names = names.where(sql<string>`lower(n.family_name)`, '=', sql<string>`lower(${s.family_name})`);
      if (s.given_name) names = names.where(sql<string>`lower(n.given_name)`, '=', sql<string>`lower(${s.given_name})`);
      return exists(names);
    });
  }
  if (s.date_of_birth) {
    const dob = s.date_of_birth;
    query = query.where((eb) => eb.or([eb('p.date_of_birth', '=', dob), eb('p.expected_date_of_birth', '=', dob)]));
  }
  return [...new Set((await query.orderBy('p.created_at').limit(limit).execute()).map((r) => r.id))];
}

/** The child themselves, or an adult who has (or had) a relationship with the child. */
export async function isChildOrRelatedAdult(q: Q, childId: string, personId: string): Promise<boolean> {
  if (personId === childId) return true;
  const row = await q
    .selectFrom('relationships as r')
    .innerJoin('persons as p', 'p.id', 'r.other_person_id')
    .select('r.id')
    .where('r.child_id', '=', childId)
    .where('r.other_person_id', '=', personId)
    .where('p.kind', '=', 'adult')
    .executeTakeFirst();
  return !!row;
}
