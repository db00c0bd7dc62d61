import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface Notice {
  kind: string;
  childId: string | null;
  title: string;
  body: string;
  /** When it happened, if not now (the door's clock). */
  at?: Date;
}

/** Written in the caller's transaction, so a notice exists exactly when the thing it reports does. */
export async function notify(q: Q, recipients: string[], n: Notice): Promise<void> {
  if (!recipients.length) return;
  await q
    .insertInto('notifications')
    .values(recipients.map((r) => ({ id: randomUUID(), recipient_id: r, kind: n.kind, child_id: n.childId, title: n.title, body: n.body, ...(n.at ? { created_at: n.at } : {}) })))
    .execute();
}

export async function notificationsFor(q: Q, practitionerId: string, limit = 50) {
  return q
    .selectFrom('notifications')
    .select(['id', 'kind', 'child_id', 'title', 'body', 'created_at', 'read_at'])
    .where('recipient_id', '=', practitionerId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}
