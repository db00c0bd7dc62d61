import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Found } from './policy.js';
import { notMerged, sameChild } from '../person-index/group.js';

type Q = Kysely<DB> | Transaction<DB>;

/**
 * Every relationship the practitioner has with the child right now (one round trip). Authorship
 * counts only for entries written through a relationship: a contact or referral about a child who
 * already has a record (the front door) and an entry written under emergency access do not make
 * their writer an author, or either would give lasting, unnotified access. Creating a child's
 * record with its first contact does.
 */
export async function relationshipsOf(q: Q, practitionerId: string, childId: string, now: Date): Promise<Found[]> {
  // A merged person's relationships count as the survivor's (person-index/group.ts).
  const res = await sql<{ basis: Found['basis']; emergency_access_id: string | null }>`
    WITH RECURSIVE ids AS ${sameChild(childId)}, alloc AS (
      SELECT practitioner_id, team_id FROM allocations
      WHERE child_id IN (SELECT * FROM ids) AND valid_from <= ${now} AND (valid_to IS NULL OR valid_to > ${now})
    ), chain AS (
      SELECT p.manager_id AS id, 1 AS depth FROM practitioners p JOIN alloc a ON a.practitioner_id = p.id
      UNION ALL
      SELECT p.manager_id, c.depth + 1 FROM practitioners p JOIN chain c ON p.id = c.id
      WHERE p.manager_id IS NOT NULL AND c.depth < 10
    )
    SELECT 'allocated_worker' AS basis, NULL::uuid AS emergency_access_id
      WHERE EXISTS (SELECT 1 FROM alloc WHERE practitioner_id = ${practitionerId})
    UNION ALL SELECT 'allocated_team', NULL WHERE EXISTS (
      SELECT 1 FROM alloc a JOIN practitioners me ON me.id = ${practitionerId} AND me.team_id = a.team_id)
    UNION ALL SELECT 'manager', NULL WHERE EXISTS (SELECT 1 FROM chain WHERE id = ${practitionerId})
    UNION ALL SELECT group_kind, NULL FROM group_members
      WHERE child_id IN (SELECT * FROM ids) AND practitioner_id = ${practitionerId}
        AND valid_from <= ${now} AND (valid_to IS NULL OR valid_to > ${now})
    UNION ALL SELECT 'disagreement', NULL WHERE EXISTS (
      SELECT 1 FROM disagreement_parties dp JOIN disagreements d ON d.id = dp.disagreement_id
      WHERE dp.child_id IN (SELECT * FROM ids) AND dp.practitioner_id = ${practitionerId} AND d.status <> 'closed')
    UNION ALL SELECT 'screening_team', NULL WHERE NOT EXISTS (SELECT 1 FROM alloc) AND EXISTS (
      SELECT 1 FROM practitioners me JOIN teams t ON t.id = me.team_id JOIN agencies ag ON ag.id = t.agency_id
      WHERE me.id = ${practitionerId} AND me.active AND t.screening AND ag.kind = 'local_authority')
    UNION ALL SELECT 'author', NULL WHERE EXISTS (
      SELECT 1 FROM entries e WHERE e.child_id IN (SELECT * FROM ids) AND e.author_id = ${practitionerId}
        AND NOT (e.kind = 'contact_referral' AND e.seq > 1)
        AND e.kind <> 'unscheduled_care_check' -- a CP-IS check answers from the plan alone; it opens no record
        AND NOT EXISTS (SELECT 1 FROM emergency_access x WHERE x.child_id = e.child_id AND x.practitioner_id = e.author_id
          AND e.recorded_at >= x.granted_at AND e.recorded_at < x.expires_at))
    UNION ALL (SELECT 'emergency', id FROM emergency_access
      WHERE child_id IN (SELECT * FROM ids) AND practitioner_id = ${practitionerId}
        AND granted_at <= ${now} AND expires_at > ${now}
      ORDER BY expires_at DESC LIMIT 1)
  `.execute(q);
  return res.rows.map((r) => ({ basis: r.basis, emergencyAccessId: r.emergency_access_id ?? undefined }));
}

export async function isChild(q: Q, id: string): Promise<boolean> {
  const row = await q.selectFrom('persons').select('id').where('id', '=', id).where('kind', '=', 'child').where(notMerged('persons.id')).executeTakeFirst();
  return !!row;
}

export interface AuditRow {
  actorPractitionerId: string | null;
  actorTokenId: string | null;
  childId: string | null;
  action: string;
  basis: string;
  emergencyAccessId?: string;
  detail?: Record<string, unknown>;
}

export function writeAudit(q: Q, row: AuditRow): Promise<void> {
  return writeAudits(q, [row]);
}

/** Several audit rows in one statement (a batch write audits each child it touched). */
export async function writeAudits(q: Q, rows: AuditRow[]): Promise<void> {
  if (!rows.length) return;
  await q
    .insertInto('audit_events')
    .values(rows.map((row) => ({
      actor_practitioner_id: row.actorPractitionerId,
      actor_token_id: row.actorTokenId,
      child_id: row.childId,
      action: row.action,
      basis: row.basis,
      emergency_access_id: row.emergencyAccessId ?? null,
      detail: JSON.stringify(row.detail ?? {}),
    })))
    .execute();
}

/** The child this person's record is merged into now, if any (person-index/merge.ts). */
export async function mergedInto(q: Q, id: string): Promise<string | null> {
  const r = await sql<{ survivor_id: string }>`SELECT survivor_id FROM person_merges WHERE merged_id = ${id} AND unmerged_at IS NULL`.execute(q);
  return r.rows[0]?.survivor_id ?? null;
}

/** Which of `ids` are children (one round trip for a batch). */
export async function childrenAmong(q: Q, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await q.selectFrom('persons').select('id').where('id', 'in', ids).where('kind', '=', 'child').where(notMerged('persons.id')).execute();
  return new Set(rows.map((r) => r.id));
}

/** The allocated worker and their line manager: the people told when someone uses emergency access. */
export async function allocatedWorkerAndManager(q: Q, childId: string, now: Date): Promise<string[]> {
  const rows = await q
    .selectFrom('allocations as a')
    .innerJoin('practitioners as p', 'p.id', 'a.practitioner_id')
    .select(['p.id', 'p.manager_id'])
    .where('a.child_id', '=', childId)
    .where('a.valid_from', '<=', now)
    .where((eb) => eb.or([eb('a.valid_to', 'is', null), eb('a.valid_to', '>', now)]))
    .execute();
  return [...new Set(rows.flatMap((r) => [r.id, r.manager_id]).filter((x): x is string => !!x))];
}
