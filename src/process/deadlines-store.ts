import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { writeAudit } from '../access/store.js';
import { openedAs } from '../person-index/group.js';

/** Whose deadlines: the practitioner's own children, their team's and reports', or the conferences their authority must convene. */
export const deadlineScopes = ['mine', 'team', 'conferences'] as const;
export type DeadlineScope = (typeof deadlineScopes)[number];

export interface DeadlineRow {
  /** The record the deadline runs on. */
  child_id: string;
  /** The child whose page shows it: the survivor when that record is merged into another (its timers still run), else child_id. */
  open_as: string;
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
      SELECT c.child_id, ${openedAs('c.child_id')} AS open_as, c.code, c.label, to_char(c.due_on, 'YYYY-MM-DD') AS due_on, c.due_at, c.overdue_at, w.display_name AS worker_name,
        CASE WHEN c.overdue_at <= ${now} THEN 'overdue' WHEN c.due_soon_at <= ${now} THEN 'due_soon' ELSE 'upcoming' END AS status,
        coalesce((SELECT n.given_name || ' ' || n.family_name FROM person_names n WHERE n.person_id = ${openedAs('c.child_id')} AND n.name_type = 'legal'
          ORDER BY n.valid_to DESC NULLS FIRST, n.recorded_at DESC LIMIT 1), 'Name not recorded') AS child_name
      FROM process_clocks c
      LEFT JOIN allocations al ON al.child_id = c.child_id AND al.valid_from <= ${now} AND (al.valid_to IS NULL OR al.valid_to > ${now})
      LEFT JOIN practitioners w ON w.id = al.practitioner_id
      WHERE c.completed_at IS NULL AND c.cancelled_at IS NULL AND c.overdue_at <= ${horizon} AND ${whose}
      ORDER BY c.overdue_at, c.child_id, c.code`.execute(tx);
    await writeAudit(tx, {
      actorPractitionerId: me.id, actorTokenId: null, childId: null, action: `list_deadlines_${scope}`, basis: scope === 'conferences' ? 'conferences_to_convene' : 'allocated_worker_team_or_manager',
      detail: { children: [...new Set(rows.rows.flatMap((r) => [r.child_id, r.open_as]))] },
    });
    return rows.rows;
  });
}

/** One open episode's (or a child's emergency or court) steps that are overdue or due soon, as rule codes. */
export interface EpisodeDue {
  child_id: string;
  episode_id: string | null;
  overdue: string[];
  due_soon: string[];
  /** The date the oldest overdue step was due by, or the next due-soon one. */
  earliest_due_on: string;
}

/**
 * For every open episode, its steps that are due soon or overdue at `now`, across every authority:
 * the whole-service computation `npm run bench -- deadlines` measures (no page or route calls it yet;
 * a dashboard or census return would, and would audit its listing as openDeadlines does). One row per episode, aggregated by the database from the open-deadline index
 * (nothing due soon is more than `soonDays` from being overdue).
 */
export async function dueAndOverdue(db: Kysely<DB>, now: Date, soonDays: number): Promise<EpisodeDue[]> {
  const horizon = new Date(now.getTime() + soonDays * 86_400_000);
  const rows = await sql<{ child_id: string; episode_id: string | null; overdue: string; due_soon: string; earliest: string }>`
    SELECT child_id, episode_id,
      coalesce(string_agg(code, ',') FILTER (WHERE overdue_at <= ${now}), '') AS overdue,
      coalesce(string_agg(code, ',') FILTER (WHERE overdue_at > ${now}), '') AS due_soon,
      to_char(min(due_on), 'YYYY-MM-DD') AS earliest
    FROM process_clocks
    WHERE completed_at IS NULL AND cancelled_at IS NULL AND overdue_at <= ${horizon} AND due_soon_at <= ${now}
    GROUP BY child_id, episode_id`.execute(db);
  const split = (v: string) => (v ? v.split(',') : []);
  return rows.rows.map((r) => ({ child_id: r.child_id, episode_id: r.episode_id, overdue: split(r.overdue), due_soon: split(r.due_soon), earliest_due_on: r.earliest }));
}
