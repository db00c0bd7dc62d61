import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { PersonRecord } from '../matching/index.js';

/**
 * Candidate retrieval for finding a child from what a caller knows: by NHS number, exactly by
 * demographics, and the blocked candidates the matcher scores. Shared by the unscheduled-care check
 * and the person index.
 */

type Q = Kysely<DB> | Transaction<DB>;
const compact = (s: string) => s.replace(/\s+/g, '').toUpperCase();

/** Children holding this NHS number (identifiers are unique, so zero or one). */
export async function childrenByNhsNumber(q: Q, nhs: string): Promise<string[]> {
  const rows = await q.selectFrom('person_identifiers as i').innerJoin('persons as p', 'p.id', 'i.person_id')
    .select('p.id').where('i.scheme', '=', 'nhs_number').where('i.value', '=', nhs).where('p.kind', '=', 'child').execute();
  return rows.map((r) => r.id);
}

export interface Demographics { given_name: string; family_name: string; date_of_birth: string; postcode: string }

/** Children whose current name, date of birth and current postcode are exactly those given. */
export async function exactDemographicMatches(q: Q, d: Demographics): Promise<string[]> {
  const r = await sql<{ id: string }>`SELECT DISTINCT p.id FROM persons p
    JOIN person_names n ON n.person_id = p.id AND n.valid_to IS NULL
    JOIN person_addresses a ON a.person_id = p.id AND a.valid_to IS NULL
    WHERE p.kind = 'child' AND p.date_of_birth = ${d.date_of_birth}::date
      AND lower(n.given_name) = lower(${d.given_name}) AND lower(n.family_name) = lower(${d.family_name})
      AND upper(replace(a.postcode, ' ', '')) = ${compact(d.postcode)}`.execute(q);
  return r.rows.map((x) => x.id);
}

/**
 * Blocking for the matcher: children (or, for the person index, adults) born that day whose given or
 * family name starts with either initial given (so a mistyped or swapped name still comes, but not
 * every child born that day); or bearing that family and given name together (now or before); or
 * living at that postcode now. One record per name and current address. Each block reads index
 * ranges (migration 0022), so a lookup scores tens of candidates at a million children where a
 * family name alone would bring ten thousand Smiths (bench/lookup.ts). Capped all the same.
 */
export async function candidateRecords(q: Q, d: Demographics, cap = 2000, kind: 'child' | 'adult' = 'child'): Promise<PersonRecord[]> {
  const k = sql.lit(kind);
  const initials = sql.join([d.given_name, d.family_name].map((x) => x.trim().slice(0, 1).toLowerCase()));
  // Two statements: the ids first, so the second is planned for the real number of candidates.
  const blocked = await sql<{ id: string }>`
    SELECT p.id FROM persons p JOIN person_names n ON n.person_id = p.id
      WHERE p.kind = ${k} AND p.date_of_birth = ${d.date_of_birth}::date
        AND (left(lower(n.given_name), 1) IN (${initials}) OR left(lower(n.family_name), 1) IN (${initials}))
    UNION SELECT person_id FROM person_names WHERE lower(family_name) = lower(${d.family_name}) AND lower(given_name) = lower(${d.given_name})
    UNION SELECT person_id FROM person_addresses WHERE upper(replace(postcode, ' ', '')) = ${compact(d.postcode) || '-'} AND valid_to IS NULL
    LIMIT ${cap}`.execute(q);
  if (!blocked.rows.length) return [];
  const r = await sql<{ id: string; given_name: string; family_name: string; date_of_birth: string | null; postcode: string | null }>`
    SELECT p.id, n.given_name, n.family_name, to_char(p.date_of_birth, 'YYYY-MM-DD') AS date_of_birth, a.postcode
    FROM persons p JOIN person_names n ON n.person_id = p.id
    LEFT JOIN person_addresses a ON a.person_id = p.id AND a.valid_to IS NULL
    WHERE p.id = ANY(${blocked.rows.map((b) => b.id)}::uuid[]) AND p.kind = ${k}`.execute(q);
  return r.rows.map((x) => ({
    id: x.id, given_name: x.given_name, surname: x.family_name,
    ...(x.date_of_birth ? { date_of_birth: x.date_of_birth } : {}), ...(x.postcode ? { postcode: x.postcode } : {}),
  }));
}

