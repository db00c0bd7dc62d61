import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';

type Q = Kysely<DB> | Transaction<DB>;

export type NoticeKind = 'due_soon' | 'overdue';

/** A timer an open clock still needs: when its due-soon or overdue notice falls. */
export interface TimerDue {
  child_id: string;
  key: string;
  kind: NoticeKind;
  at: Date;
}

/**
 * The timers open clocks still need, for one child (after a step) or for every child (at start-up):
 * an overdue one until that notice is sent, a due-soon one until either notice is.
 */
export async function timersDue(q: Q, childId: string | null): Promise<TimerDue[]> {
  const r = await sql<TimerDue>`
    SELECT c.child_id, c.key, k.kind, CASE k.kind WHEN 'due_soon' THEN c.due_soon_at ELSE c.overdue_at END AS at
    FROM process_clocks c CROSS JOIN (VALUES ('due_soon'), ('overdue')) AS k(kind)
    WHERE c.completed_at IS NULL AND c.cancelled_at IS NULL AND (${childId}::uuid IS NULL OR c.child_id = ${childId}::uuid)
      AND NOT EXISTS (SELECT 1 FROM process_clock_notices n WHERE n.child_id = c.child_id AND n.clock_key = c.key
        AND (n.kind = k.kind OR (k.kind = 'due_soon' AND n.kind = 'overdue')))`.execute(q);
  return r.rows;
}

/** One clock as its timer finds it, on the database's clock. */
export interface ClockAtTimer {
  child_id: string;
  key: string;
  code: string;
  label: string;
  due_on: string;
  due_at: string | null;
  la_id: string | null;
  also_for: 'author' | 'conference_chairs' | null;
  author_id: string | null;
  open: boolean;
  /** The timer's own time (due soon or overdue) has come. */
  reached: boolean;
  overdue: boolean;
}

/**
 * Reads the clock and holds its row until commit: a step completing it at the same moment waits,
 * or is waited for, so a notice never goes out for a deadline met in a transaction already committed.
 */
export async function lockClock(tx: Transaction<DB>, childId: string, key: string, kind: NoticeKind): Promise<ClockAtTimer | undefined> {
  const r = await sql<ClockAtTimer>`
    SELECT child_id, key, code, label, to_char(due_on, 'YYYY-MM-DD') AS due_on, due_at, la_id, also_for, author_id,
      (completed_at IS NULL AND cancelled_at IS NULL) AS open,
      (CASE WHEN ${kind} = 'due_soon' THEN due_soon_at ELSE overdue_at END) <= now() AS reached,
      overdue_at <= now() AS overdue
    FROM process_clocks WHERE child_id = ${childId} AND key = ${key} FOR UPDATE`.execute(tx);
  return r.rows[0];
}

/**
 * Who is told: the child's allocated worker now; the practitioner who started a police-protection
 * clock; an authority's conference chairs for its conferences; once overdue, the worker's manager.
 * Practitioners who have left (inactive) are not told.
 */
export async function noticeRecipients(tx: Transaction<DB>, c: ClockAtTimer, kind: NoticeKind): Promise<string[]> {
  const r = await sql<{ id: string }>`
    WITH worker AS (
      SELECT al.practitioner_id AS id FROM allocations al
      WHERE al.child_id = ${c.child_id} AND al.valid_from <= now() AND (al.valid_to IS NULL OR al.valid_to > now())
    )
    SELECT p.id FROM practitioners p WHERE p.active AND p.id IN (
      SELECT id FROM worker
      UNION SELECT m.manager_id FROM practitioners m JOIN worker w ON w.id = m.id WHERE ${kind} = 'overdue'
      UNION SELECT ${c.author_id}::uuid WHERE ${c.also_for} = 'author'
      UNION SELECT ch.id FROM practitioners ch WHERE ${c.also_for} = 'conference_chairs' AND ch.role = 'conference_chair' AND ch.agency_id = ${c.la_id}::uuid
    ) ORDER BY p.id`.execute(tx);
  return r.rows.map((x) => x.id);
}

/** Marks the notice sent; false when it already was (a retried or duplicated job). */
export async function recordNotice(tx: Transaction<DB>, c: ClockAtTimer, kind: NoticeKind, recipients: number): Promise<boolean> {
  const r = await sql`INSERT INTO process_clock_notices (child_id, clock_key, kind, recipients)
    VALUES (${c.child_id}, ${c.key}, ${kind}, ${recipients}) ON CONFLICT DO NOTHING RETURNING 1`.execute(tx);
  return r.rows.length === 1;
}
