import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface Notice {
  kind: string;
  childId: string | null;
  title: string;
  body: string;
  /** When it happened, if not now (the door's clock). */
  at?: Date;
  /** The recipient must say they have seen it (an unscheduled-care check, emergency access). */
  mustAcknowledge?: boolean;
  /** The chronology entry the notice reports, so the child's page can show who acknowledged it. */
  entryId?: string;
}

/** Written in the caller's transaction, so a notice exists exactly when the thing it reports does. */
export async function notify(q: Q, recipients: string[], n: Notice): Promise<void> {
  if (!recipients.length) return;
  await q
    .insertInto('notifications')
    .values(recipients.map((r) => ({
      id: randomUUID(), recipient_id: r, kind: n.kind, child_id: n.childId, title: n.title, body: n.body,
      must_acknowledge: n.mustAcknowledge ?? false, entry_id: n.entryId ?? null, ...(n.at ? { created_at: n.at } : {}),
    })))
    .execute();
}

export interface NoticeRow {
  id: string;
  kind: string;
  child_id: string | null;
  title: string;
  body: string;
  created_at: Date;
  read_at: Date | null;
  must_acknowledge: boolean;
  acknowledged_at: Date | null;
  acknowledgement_note: string | null;
}

/** A practitioner's own notices with their acknowledgement, if any. */
const noticesOf = (q: Q, practitionerId: string) => q
  .selectFrom('notifications as n')
  .leftJoin('notice_acknowledgements as a', 'a.notification_id', 'n.id')
  .select(['n.id', 'n.kind', 'n.child_id', 'n.title', 'n.body', 'n.created_at', 'n.read_at', 'n.must_acknowledge', 'a.at as acknowledged_at', 'a.note as acknowledgement_note'])
  .where('n.recipient_id', '=', practitionerId);

/** A practitioner's notices: those still awaiting their acknowledgement first, then newest first. */
export async function notificationsFor(q: Q, practitionerId: string, limit = 50): Promise<NoticeRow[]> {
  return noticesOf(q, practitionerId).orderBy(sql`(n.must_acknowledge AND a.at IS NULL)`, 'desc').orderBy('n.created_at', 'desc').limit(limit).execute();
}

/** How many of a practitioner's notices still await their acknowledgement. */
export async function awaitingAcknowledgement(q: Q, practitionerId: string): Promise<number> {
  const r = await sql<{ n: string }>`SELECT count(*) AS n FROM notifications n
    WHERE n.recipient_id = ${practitionerId} AND n.must_acknowledge
      AND NOT EXISTS (SELECT 1 FROM notice_acknowledgements a WHERE a.notification_id = n.id)`.execute(q);
  return Number(r.rows[0]?.n ?? 0);
}

/** One notice as its recipient sees it, or undefined if it is not theirs (or does not exist). */
export async function noticeOf(q: Q, practitionerId: string, id: string): Promise<NoticeRow | undefined> {
  return noticesOf(q, practitionerId).where('n.id', '=', id).executeTakeFirst();
}

/** Records the acknowledgement; false when one already exists (the primary key keeps it to one). */
export async function insertAcknowledgement(tx: Transaction<DB>, a: { id: string; by: string; at: Date; note: string | null }): Promise<boolean> {
  const r = await sql`INSERT INTO notice_acknowledgements (notification_id, practitioner_id, at, note)
    VALUES (${a.id}, ${a.by}, ${a.at}, ${a.note}) ON CONFLICT DO NOTHING RETURNING 1`.execute(tx);
  return r.rows.length === 1;
}

export interface EntryAcknowledgement {
  entry_id: string;
  recipient_name: string;
  recipient_role: string;
  acknowledged_at: Date | null;
  note: string | null;
}

/** For each of these entries, who was told and whether each has acknowledged (read inside the door). */
export async function acknowledgementsOfEntries(tx: Transaction<DB>, childId: string, entryIds: string[]): Promise<EntryAcknowledgement[]> {
  if (!entryIds.length) return [];
  return tx
    .selectFrom('notifications as n')
    .innerJoin('practitioners as p', 'p.id', 'n.recipient_id')
    .leftJoin('notice_acknowledgements as a', 'a.notification_id', 'n.id')
    .select(['n.entry_id as entry_id', 'p.display_name as recipient_name', 'p.role as recipient_role', 'a.at as acknowledged_at', 'a.note'])
    .where('n.child_id', '=', childId)
    .where('n.entry_id', 'in', entryIds)
    .where('n.must_acknowledge', '=', true)
    .orderBy('n.created_at')
    .execute() as Promise<EntryAcknowledgement[]>;
}
