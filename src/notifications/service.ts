import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import { actorKey } from '../access/actor.js';
import { once, type Stored } from '../db/idempotency.js';
import { conflict, forbidden, notFound } from '../errors.js';
import { insertAcknowledgement, noticeOf } from './store.js';
import type { Acknowledgement } from './schemas.js';

type Practitioner = Extract<Actor, { type: 'practitioner' }>;

/** Notices are a practitioner's own: agency systems have none. */
export function practitionerOnly(actor: Actor): Practitioner {
  if (actor.type !== 'practitioner') throw forbidden('Notices are for signed-in practitioners.');
  return actor;
}

/**
 * Acknowledges a notice: only its recipient (anyone else, or no such notice: 404), only once (409),
 * and only a notice that asks for it (409). A retry with the same Idempotency-Key answers the first result.
 */
export async function acknowledge(db: Kysely<DB>, actor: Actor, id: string, note: string | undefined, key?: string, clock = () => new Date()): Promise<Stored<Acknowledgement>> {
  const me = practitionerOnly(actor);
  return db.transaction().execute((tx) => once(tx, actorKey(me), key, { acknowledge: id, note: note ?? null }, async () => {
    const notice = await noticeOf(tx, me.id, id);
    if (!notice) throw notFound('The notice');
    if (!notice.must_acknowledge) throw conflict('This notice does not need acknowledging.');
    const at = clock();
    if (notice.acknowledged_at || !(await insertAcknowledgement(tx, { id, by: me.id, at, note: note ?? null }))) {
      throw conflict('You have already acknowledged this notice.');
    }
    await tx.updateTable('notifications').set({ read_at: at }).where('id', '=', id).where('read_at', 'is', null).execute();
    return { status: 201, body: { notification_id: id, acknowledged_at: at.toISOString(), note: note ?? null } };
  }));
}
