import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { writeAudit } from '../access/store.js';

/** Whose deadlines: the practitioner's own children, their team's and reports', or the conferences their authority must convene. */
export const deadlineScopes = ['mine', 'team', 'conferences'] as const;
export type DeadlineScope = (typeof deadlineScopes)[number];

export interface DeadlineRow {
  child_id: string;
  child_name: string;
  worker_name: string | null;
  code: string;
  label: string;
  due_on: string;
  due_at: string | null;
  overdue_at: Date;
  status: 'overdue' | 'due_soon' | 'upcoming';
}

/**
 * Open deadlines, overdue first, for a work list. Names and dates only: opening a child still goes
 * through the door. The listing is audited as one row naming every child it showed.
 */
export async function openDeadlines(db: Kysely<DB>, me: { id: string; agencyId: string; teamId: string | null }, scope: DeadlineScope, now: Date, withinDays: number): Promise<DeadlineRow[]> {
  return db.transaction().execute(async (tx) => {
    const horizon = new Date(now.getTime() + withinDays * 86_400_000);
    const whose =
      scope === 'mine' ? sql`(al.practitioner_id = ${me.id} OR (c.also_for = 'author' AND c.author_id = ${me.id}))`
      : scope === 'team' ? sql`(al.practitioner_id IN (SELECT id FROM reports) OR (${me.teamId}::uuid IS NOT NULL AND al.team_id = ${me.teamId}::uuid) OR al.practitioner_id = ${me.id})`
      : sql`(c.also_for = 'conference_chairs' AND c.la_id = ${me.agencyId})`;
    const rows = await sql<DeadlineRow>`
      WITH RECURSIVE reports AS (
        SELECT id, 1 AS depth FROM practitioners WHERE manager_id = ${me.id}
        UNION ALL SELECT p.id, r.depth + 1 FROM practitioners p JOIN reports r ON p.manager_id = r.id WHERE r.depth < 10
      )
      SELECT c.child_id, c.code, c.label, to_char(c.due_on, 'YYYY-MM-DD') AS due_on, c.due_at, c.overdue_at, w.display_name AS worker_name,
        CASE WHEN c.overdue_at <= ${now} THEN 'overdue' WHEN c.due_soon_at <= ${now} THEN 'due_soon' ELSE 'upcoming' END AS status,
        coalesce((SELECT n.given_name || ' ' || n.family_name FROM person_names n WHERE n.person_id = c.child_id AND n.name_type = 'legal'
          ORDER BY n.valid_to DESC NULLS FIRST, n.recorded_at DESC LIMIT 1), 'Name not recorded') AS child_name
      FROM process_clocks c
      LEFT JOIN allocations al ON al.child_id = c.child_id AND al.valid_from <= ${now} AND (al.valid_to IS NULL OR al.valid_to > ${now})
      LEFT JOIN practitioners w ON w.id = al.practitioner_id
      WHERE c.completed_at IS NULL AND c.cancelled_at IS NULL AND c.overdue_at <= ${horizon} AND ${whose}
      ORDER BY c.overdue_at, c.child_id, c.code`.execute(tx);
    await writeAudit(tx, {
      actorPractitionerId: me.id, actorTokenId: null, childId: null, action: `list_deadlines_${scope}`, basis: scope === 'conferences' ? 'conferences_to_convene' : 'allocated_worker_team_or_manager',
      detail: { children: [...new Set(rows.rows.map((r) => r.child_id))] },
    });
    return rows.rows;
  });
}
