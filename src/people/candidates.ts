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
 * Blocking for the matcher: children (or, for the person index, adults) born that day or bearing that
 * surname (now or before), one record per name and current address. Capped: a lookup never scores the
 * whole index.
 */
export async function candidateRecords(q: Q, d: Demographics, cap = 2000, kind: 'child' | 'adult' = 'child'): Promise<PersonRecord[]> {
  const r = await sql<{ id: string; given_name: string; family_name: string; date_of_birth: string | null; postcode: string | null }>`
    WITH blocked AS (
      SELECT id FROM persons WHERE kind = ${sql.lit(kind)} AND date_of_birth = ${d.date_of_birth}::date
      UNION SELECT p.id FROM persons p JOIN person_names n ON n.person_id = p.id
        WHERE p.kind = ${sql.lit(kind)} AND lower(n.family_name) = lower(${d.family_name})
      LIMIT ${cap})
    SELECT p.id, n.given_name, n.family_name, to_char(p.date_of_birth, 'YYYY-MM-DD') AS date_of_birth, a.postcode
    FROM blocked b JOIN persons p ON p.id = b.id JOIN person_names n ON n.person_id = p.id
    LEFT JOIN person_addresses a ON a.person_id = p.id AND a.valid_to IS NULL`.execute(q);
  return r.rows.map((x) => ({
    id: x.id, given_name: x.given_name, surname: x.family_name,
    ...(x.date_of_birth ? { date_of_birth: x.date_of_birth } : {}), ...(x.postcode ? { postcode: x.postcode } : {}),
  }));
}
