import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from './actor.js';
import { writeAudit } from './store.js';

/** One child on a practitioner's work list: who, and whose allocation it is. Nothing from the record. */
export interface CaseloadChild {
  child_id: string;
  name: string;
  mine: boolean;
  worker_name: string;
  allocated_since: string;
}

/**
 * The children allocated now to the practitioner or to their team: ids and names only, for the
 * work list. Opening any of them still goes through the door. The listing is audited as one row
 * naming every child it showed.
 */
export async function caseload(db: Kysely<DB>, actor: Extract<Actor, { type: 'practitioner' }>, now = new Date()): Promise<CaseloadChild[]> {
  return db.transaction().execute(async (tx) => {
    const rows = await sql<{ child_id: string; name: string | null; mine: boolean; worker_name: string; valid_from: Date }>`
      SELECT a.child_id, a.practitioner_id = ${actor.id} AS mine, w.display_name AS worker_name, a.valid_from,
        (SELECT n.given_name || ' ' || n.family_name FROM person_names n
          WHERE n.person_id = a.child_id AND n.name_type = 'legal'
            AND (n.valid_to IS NULL OR n.valid_to > (${now}::timestamptz AT TIME ZONE 'Europe/London')::date)
          ORDER BY n.valid_from DESC NULLS LAST, n.recorded_at DESC LIMIT 1) AS name
      FROM allocations a
      JOIN practitioners w ON w.id = a.practitioner_id
      WHERE a.valid_from <= ${now} AND (a.valid_to IS NULL OR a.valid_to > ${now})
        AND (a.practitioner_id = ${actor.id} OR (${actor.teamId}::uuid IS NOT NULL AND a.team_id = ${actor.teamId}::uuid))
      ORDER BY mine DESC, name, a.child_id`.execute(tx);
    await writeAudit(tx, {
      actorPractitionerId: actor.id,
      actorTokenId: null,
      childId: null,
      action: 'list_caseload',
      basis: 'allocated_worker_or_team',
      detail: { children: rows.rows.map((r) => r.child_id) },
    });
    return rows.rows.map((r) => ({
      child_id: r.child_id,
      name: r.name ?? 'Name not recorded',
      mine: r.mine,
      worker_name: r.worker_name,
      allocated_since: r.valid_from.toISOString(),
    }));
  });
}
