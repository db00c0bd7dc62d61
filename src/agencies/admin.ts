import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import { writeAudit } from '../access/store.js';
import { DomainError, forbidden } from '../errors.js';

export type PractitionerActor = Extract<Actor, { type: 'practitioner' }>;

/** Managing accounts and agency systems is the administrator's job alone. */
export function requireAdministrator(actor: Actor | null): PractitionerActor {
  if (actor?.type !== 'practitioner' || actor.role !== 'administrator') {
    throw forbidden('Only an administrator can manage agencies, practitioners and API tokens.');
  }
  return actor;
}

export interface AdminChange {
  tx: Transaction<DB>;
  admin: PractitionerActor;
  now: Date;
  /** Ids (never personal details) for the audit row. */
  audit: Record<string, unknown>;
}

/**
 * One administrative change: checked, done in one transaction, and audited in that transaction
 * (with no child, basis "administrator") so a change to who can sign in is never unrecorded.
 */
export async function administer<T>(db: Kysely<DB>, actor: Actor | null, action: string, fn: (c: AdminChange) => Promise<T>): Promise<T> {
  const admin = requireAdministrator(actor);
  return db.transaction().execute(async (tx) => {
    const change: AdminChange = { tx, admin, now: new Date(), audit: {} };
    const result = await fn(change);
    await writeAudit(tx, { actorPractitionerId: admin.id, actorTokenId: null, childId: null, action, basis: 'administrator', detail: change.audit });
    return result;
  });
}

/** A clash with an existing record, named on the field that clashes (the pages show it there). */
export const taken = (path: string, message: string) => new DomainError(message, 409, 'Conflict', [{ path, message }]);
