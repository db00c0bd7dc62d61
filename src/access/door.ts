import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { notFound, forbidden, invalid, MergedRecord } from '../errors.js';
import { notify } from '../notifications/store.js';
import { actorKey, type Actor } from './actor.js';
import { once } from '../db/idempotency.js';
import { mayWriteWithoutRelationship, strongest, type Basis } from './policy.js';
import { allocatedWorkerAndManager, childrenAmong, isChild, mergedInto, relationshipsOf, writeAudit, writeAudits, type AuditRow } from './store.js';

/** Notices are read by people in England and Wales: say times as they would. */
const ukTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', timeStyle: 'short' });

/** A recorded emergency grant; `replayed` when an Idempotency-Key retry returned the first grant. */
export interface EmergencyGrant {
  id: string;
  expiresAt: Date;
  notified: number;
  replayed: boolean;
}

/** What a caller holds once through the door: the transaction, and why it was let in. */
export interface Access {
  tx: Transaction<DB>;
  actor: Actor;
  childId: string;
  basis: Basis;
  emergencyAccessId?: string;
  /** Set for agency systems: they see only what their own agency wrote. */
  onlyAgencyId?: string;
  now: Date;
  /** Extra facts for the audit row (for example, which entries were read). */
  audit: Record<string, unknown>;
}

/**
 * The one door to child data. Every read and write of a child's record runs inside `read` or
 * `write`: the relationship is checked and the audit row written in the same transaction, so a
 * failed audit write fails the access. A child the caller may not see is indistinguishable from
 * one that does not exist.
 */
export class ChildDoor {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date = () => new Date(),
    /** Set by `within`: the door then checks and audits inside this transaction instead of opening one. */
    private readonly outer?: Transaction<DB>,
  ) {}

  /**
   * The same door inside a transaction the caller already holds, so that work done before entering
   * (for example, creating a child before its first entry) commits or fails together with it.
   */
  within(tx: Transaction<DB>): ChildDoor {
    return new ChildDoor(this.db, this.clock, tx);
  }

  read<T>(actor: Actor, childId: string, action: string, fn: (a: Access) => Promise<T>): Promise<T> {
    return this.enter(actor, childId, action, undefined, fn);
  }

  /**
   * Work Sightline does on a child's record by itself (a disagreement past its deadline escalating):
   * no caller to admit, but the same transaction and an audit row that says it was the system.
   */
  system<T>(childId: string, action: string, fn: (tx: Transaction<DB>, now: Date) => Promise<T>): Promise<T> {
    return this.inTransaction(async (tx) => {
      // A record merged into another keeps its own chain and its own work (a timer due on it still runs).
      if (!(await isChild(tx, childId)) && !(await mergedInto(tx, childId))) throw notFound();
      const result = await fn(tx, this.clock());
      await writeAudit(tx, { actorPractitionerId: null, actorTokenId: null, childId, action, basis: 'system' });
      return result;
    });
  }

  /** `kind` names the entry kind being written, when the front door may admit a caller without a relationship. */
  write<T>(actor: Actor, childId: string, action: string, fn: (a: Access) => Promise<T>, kind?: string): Promise<T> {
    return this.enter(actor, childId, action, kind ?? null, fn);
  }

  /**
   * One transaction for writes to several children (agency batch uploads). Each child is admitted as
   * `write` would admit it for every kind written to it, and gets its own audit row; any refusal
   * refuses the whole batch. `what` names the child in refusals (for example "The child in item 3").
   */
  writeMany<T>(actor: Actor, children: { childId: string; kinds: string[]; what?: string }[], action: string, fn: (tx: Transaction<DB>, each: Access[]) => Promise<T>): Promise<T> {
    return this.inTransaction(async (tx) => {
      const now = this.clock();
      const known = await childrenAmong(tx, children.map((c) => c.childId));
      const each: Access[] = [];
      for (const c of children) {
        if (!known.has(c.childId.toLowerCase())) throw notFound(c.what);
        each.push(await this.admit(tx, actor, c.childId, now, c.kinds, c.what));
      }
      const result = await fn(tx, each);
      await writeAudits(tx, each.map((a) => auditOf(a, action)));
      return result;
    });
  }

  /** `writeKind`: undefined for a read, null for a write of no entry, else the kind being written. */
  private enter<T>(actor: Actor, childId: string, action: string, writeKind: string | null | undefined, fn: (a: Access) => Promise<T>): Promise<T> {
    const kinds = writeKind === undefined ? undefined : writeKind ? [writeKind] : [];
    return this.inTransaction(async (tx) => {
      if (!(await isChild(tx, childId))) throw await this.gone(tx, actor, childId);
      const access = await this.admit(tx, actor, childId, this.clock(), kinds);
      const result = await fn(access);
      await writeAudit(tx, auditOf(access, action));
      return result;
    });
  }

  private inTransaction<R>(f: (tx: Transaction<DB>) => Promise<R>): Promise<R> {
    return this.outer ? f(this.outer) : this.db.transaction().execute(f);
  }

  /**
   * Admits the caller to a known child: to read (`writeKinds` undefined) or to write entries of
   * `writeKinds` (all must be allowed). Agency systems read only their own agency's entries and write
   * only their token's kinds; practitioners need a relationship, except at the front door.
   */
  private async admit(tx: Transaction<DB>, actor: Actor, childId: string, now: Date, writeKinds: string[] | undefined, what?: string): Promise<Access> {
    const base = { tx, actor, childId, now, audit: {} };
    if (actor.type === 'token') {
      const refused = !writeKinds ? undefined : writeKinds.length ? writeKinds.find((k) => !mayWriteWithoutRelationship(actor, k)) : 'unknown';
      if (refused) throw forbidden(`This API token may not record entries of kind "${refused}".`);
      return { ...base, basis: 'own_agency_entries', onlyAgencyId: actor.agencyId };
    }
    const found = strongest(await relationshipsOf(tx, actor.id, childId, now));
    if (found) return { ...base, basis: found.basis, emergencyAccessId: found.emergencyAccessId };
    if (writeKinds?.length && writeKinds.every((k) => mayWriteWithoutRelationship(actor, k))) return { ...base, basis: 'front_door' };
    throw notFound(what);
  }

  /** Not found; for a merged child's id, naming the survivor if the caller may read the survivor. */
  private async gone(tx: Transaction<DB>, actor: Actor, childId: string): Promise<Error> {
    const survivor = await mergedInto(tx, childId);
    if (!survivor) return notFound();
    const admitted = await this.admit(tx, actor, survivor, this.clock(), undefined).then(() => true, () => false);
    return admitted ? new MergedRecord(childId, survivor) : notFound();
  }

  /**
   * Emergency access: a recorded reason, time-limited, and the allocated worker and their manager
   * are told at once (in the same transaction as the grant).
   */
  async grantEmergency(actor: Actor, childId: string, reason: string, hours: number, idempotencyKey?: string): Promise<EmergencyGrant> {
    if (actor.type !== 'practitioner') throw forbidden('Only a signed-in practitioner can use emergency access.');
    if (reason.trim().length < 10) throw invalid('Give the reason for emergency access', [{ path: 'reason', message: 'Give the reason in at least 10 characters' }]);
    const res = await this.db.transaction().execute(async (tx) => {
      if (!(await isChild(tx, childId))) throw notFound();
      return once(tx, actorKey(actor), idempotencyKey, { emergencyAccess: childId, reason: reason.trim() }, async () => {
        const now = this.clock();
        const id = randomUUID();
        const expiresAt = new Date(now.getTime() + hours * 3600_000);
        await tx.insertInto('emergency_access').values({ id, child_id: childId, practitioner_id: actor.id, reason: reason.trim(), granted_at: now, expires_at: expiresAt }).execute();
        const told = (await allocatedWorkerAndManager(tx, childId, now)).filter((p) => p !== actor.id);
        await notify(tx, told, {
          kind: 'emergency_access',
          childId,
          mustAcknowledge: true,
          title: `Emergency access by ${actor.name}`,
          body: `${actor.name} (${actor.role}) used emergency access until ${ukTime.format(expiresAt)} (UK time). Reason: ${reason.trim()}`,
          at: now,
        });
        await writeAudit(tx, {
          actorPractitionerId: actor.id,
          actorTokenId: null,
          childId,
          action: 'emergency_access_granted',
          basis: 'emergency',
          emergencyAccessId: id,
          detail: { notified: told.length },
        });
        return { status: 201, body: { id, expires_at: expiresAt.toISOString(), notified: told.length } };
      });
    });
    return { id: res.body.id, expiresAt: new Date(res.body.expires_at), notified: res.body.notified, replayed: res.replayed };
  }
}

/** The audit row for one admitted access. */
function auditOf(a: Access, action: string): AuditRow {
  return {
    actorPractitionerId: a.actor.type === 'practitioner' ? a.actor.id : null,
    actorTokenId: a.actor.type === 'token' ? a.actor.id : null,
    childId: a.childId,
    action,
    basis: a.basis,
    emergencyAccessId: a.emergencyAccessId,
    detail: a.audit,
  };
}
