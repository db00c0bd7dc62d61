import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { PersonRecord } from '../matching/index.js';
import type { Access, Setting } from './schemas.js';

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
 * Blocking for the matcher: children born that day or bearing that surname (now or before), one record
 * per name and current address. Capped: a lookup never scores the whole index.
 */
export async function candidateRecords(q: Q, d: Demographics, cap = 2000): Promise<PersonRecord[]> {
  const r = await sql<{ id: string; given_name: string; family_name: string; date_of_birth: string | null; postcode: string | null }>`
    WITH blocked AS (
      SELECT id FROM persons WHERE kind = 'child' AND date_of_birth = ${d.date_of_birth}::date
      UNION SELECT p.id FROM persons p JOIN person_names n ON n.person_id = p.id
        WHERE p.kind = 'child' AND lower(n.family_name) = lower(${d.family_name})
      LIMIT ${cap})
    SELECT p.id, n.given_name, n.family_name, to_char(p.date_of_birth, 'YYYY-MM-DD') AS date_of_birth, a.postcode
    FROM blocked b JOIN persons p ON p.id = b.id JOIN person_names n ON n.person_id = p.id
    LEFT JOIN person_addresses a ON a.person_id = p.id AND a.valid_to IS NULL`.execute(q);
  return r.rows.map((x) => ({
    id: x.id, given_name: x.given_name, surname: x.family_name,
    ...(x.date_of_birth ? { date_of_birth: x.date_of_birth } : {}), ...(x.postcode ? { postcode: x.postcode } : {}),
  }));
}

export interface PlanFacts {
  planStart: string | null;
  unborn: boolean;
  la: { name: string; office_hours_phone: string | null; out_of_hours_phone: string | null } | null;
}

/**
 * The child's open child protection plan (from the process projection), whether the child is not yet
 * born, and the responsible authority: the process's, else the allocated team's.
 */
export async function planFacts(q: Q, childId: string, now: Date): Promise<PlanFacts> {
  const r = await sql<{ plan_start: string | null; unborn: boolean; name: string | null; office_hours_phone: string | null; out_of_hours_phone: string | null }>`
    SELECT (SELECT pl->>'start' FROM process_children pc, jsonb_array_elements(pc.state->'cpPlans') pl
              WHERE pc.child_id = p.id AND pl->>'end' IS NULL LIMIT 1) AS plan_start,
      (p.date_of_birth IS NULL AND p.expected_date_of_birth IS NOT NULL) AS unborn,
      a.name, a.office_hours_phone, a.out_of_hours_phone
    FROM persons p
    LEFT JOIN agencies a ON a.id = COALESCE(
      (SELECT la_id FROM process_children WHERE child_id = p.id),
      (SELECT t.agency_id FROM allocations al JOIN teams t ON t.id = al.team_id
        WHERE al.child_id = p.id AND al.valid_from <= ${now} AND (al.valid_to IS NULL OR al.valid_to > ${now}) LIMIT 1))
    WHERE p.id = ${childId}`.execute(q);
  const row = r.rows[0];
  return {
    planStart: row?.plan_start ?? null,
    unborn: !!row?.unborn,
    la: row?.name ? { name: row.name, office_hours_phone: row.office_hours_phone, out_of_hours_phone: row.out_of_hours_phone } : null,
  };
}

/** The most recent unscheduled-care checks of this child: when, where, and by which organisation. */
export async function previousChecks(q: Q, childId: string, limit = 25): Promise<Access[]> {
  const rows = await q.selectFrom('entries as e').innerJoin('agencies as a', 'a.id', 'e.author_agency_id')
    .select(['e.occurred_at', 'e.data', 'a.name']).where('e.child_id', '=', childId).where('e.kind', '=', 'unscheduled_care_check')
    .orderBy('e.seq', 'desc').limit(limit).execute();
  return rows.map((r) => ({ at: new Date(r.occurred_at).toISOString(), setting: (r.data as { setting: Setting }).setting, organisation: r.name }));
}
