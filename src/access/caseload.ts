import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from './actor.js';
import { writeAudit } from './store.js';

/** One child on a practitioner's work list: who, and whose allocation it is. Nothing from the record. */
export interface CaseloadChild {
  child_id: string;
  name: string;
  mine: boolean;
  /** Why it is listed: allocated to the practitioner, to their team, or to someone they line-manage. */
  via: 'mine' | 'team' | 'managed';
  worker_name: string;
  allocated_since: string;
}

/**
 * The children allocated now to the practitioner, to their team, or to anyone they line-manage
 * (directly or further down, as far as the access policy's manager basis reaches): ids and names
 * only, for the work list. Opening any of them still goes through the door. The listing is audited
 * as one row naming every child it showed.
 */
export async function caseload(db: Kysely<DB>, actor: Extract<Actor, { type: 'practitioner' }>, now = new Date()): Promise<CaseloadChild[]> {
  return db.transaction().execute(async (tx) => {
    const rows = await sql<{ child_id: string; name: string | null; via: CaseloadChild['via']; worker_name: string; valid_from: Date }>`
      WITH RECURSIVE reports AS (
        SELECT id, 1 AS depth FROM practitioners WHERE manager_id = ${actor.id}
        UNION ALL
        SELECT p.id, r.depth + 1 FROM practitioners p JOIN reports r ON p.manager_id = r.id WHERE r.depth < 10
      )
      SELECT a.child_id, w.display_name AS worker_name, a.valid_from,
        CASE WHEN a.practitioner_id = ${actor.id} THEN 'mine'
          WHEN ${actor.teamId}::uuid IS NOT NULL AND a.team_id = ${actor.teamId}::uuid THEN 'team' ELSE 'managed' END AS via,
        (SELECT n.given_name || ' ' || n.family_name FROM person_names n
          WHERE n.person_id = a.child_id AND n.name_type = 'legal'
            AND (n.valid_to IS NULL OR n.valid_to > (${now}::timestamptz AT TIME ZONE 'Europe/London')::date)
          ORDER BY n.valid_from DESC NULLS LAST, n.recorded_at DESC LIMIT 1) AS name
      FROM allocations a
      JOIN practitioners w ON w.id = a.practitioner_id
      WHERE a.valid_from <= ${now} AND (a.valid_to IS NULL OR a.valid_to > ${now})
        AND (a.practitioner_id = ${actor.id} OR (${actor.teamId}::uuid IS NOT NULL AND a.team_id = ${actor.teamId}::uuid)
          OR a.practitioner_id IN (SELECT id FROM reports))
      ORDER BY CASE WHEN a.practitioner_id = ${actor.id} THEN 0
          WHEN ${actor.teamId}::uuid IS NOT NULL AND a.team_id = ${actor.teamId}::uuid THEN 1 ELSE 2 END, name, a.child_id`.execute(tx);
    await writeAudit(tx, {
      actorPractitionerId: actor.id,
      actorTokenId: null,
      childId: null,
      action: 'list_caseload',
      basis: 'allocated_worker_team_or_manager',
      detail: { children: rows.rows.map((r) => r.child_id) },
    });
    return rows.rows.map((r) => ({
      child_id: r.child_id,
      name: r.name ?? 'Name not recorded',
      mine: r.via === 'mine',
      via: r.via,
      worker_name: r.worker_name,
      allocated_since: r.valid_from.toISOString(),
    }));
  });
}
