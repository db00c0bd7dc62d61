import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { notFound, forbidden, invalid } from '../errors.js';
import { notify } from '../notifications/store.js';
import { actorKey, type Actor } from './actor.js';
import { once } from '../db/idempotency.js';
import { mayWriteWithoutRelationship, strongest, type Basis } from './policy.js';
import { allocatedWorkerAndManager, childrenAmong, isChild, relationshipsOf, writeAudit, writeAudits } from './store.js';

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
    const run = async (tx: Transaction<DB>) => {
      const now = this.clock();
      const known = await childrenAmong(tx, children.map((c) => c.childId));
      const each: Access[] = [];
      for (const c of children) {
        if (!known.has(c.childId.toLowerCase())) throw notFound(c.what);
        each.push(await this.admitForKinds(tx, actor, c.childId, now, c.kinds, c.what));
      }
      const result = await fn(tx, each);
      await writeAudits(tx, each.map((a) => ({
        actorPractitionerId: actor.type === 'practitioner' ? actor.id : null,
        actorTokenId: actor.type === 'token' ? actor.id : null,
        childId: a.childId,
        action,
        basis: a.basis,
        emergencyAccessId: a.emergencyAccessId,
        detail: a.audit,
      })));
      return result;
    };
    return this.outer ? run(this.outer) : this.db.transaction().execute(run);
  }

  /** `admit` for a known child and every kind a batch writes to it: all must be allowed. */
  private async admitForKinds(tx: Transaction<DB>, actor: Actor, childId: string, now: Date, kinds: string[], what?: string): Promise<Access> {
    const base = { tx, actor, childId, now, audit: {} };
    const allAllowed = kinds.length > 0 && kinds.every((k) => mayWriteWithoutRelationship(actor, k));
    if (actor.type === 'token') {
      if (allAllowed) return { ...base, basis: 'own_agency_entries', onlyAgencyId: actor.agencyId };
      throw forbidden(`This API token may not record entries of kind "${kinds.find((k) => !mayWriteWithoutRelationship(actor, k)) ?? 'unknown'}".`);
    }
    const found = strongest(await relationshipsOf(tx, actor.id, childId, now));
    if (found) return { ...base, basis: found.basis, emergencyAccessId: found.emergencyAccessId };
    if (allAllowed) return { ...base, basis: 'front_door' };
    throw notFound(what);
  }

  private async enter<T>(
    actor: Actor,
    childId: string,
    action: string,
    writeKind: string | null | undefined,
    fn: (a: Access) => Promise<T>,
  ): Promise<T> {
    const inTransaction = <R>(f: (tx: Transaction<DB>) => Promise<R>) => (this.outer ? f(this.outer) : this.db.transaction().execute(f));
    return inTransaction(async (tx) => {
      const now = this.clock();
      const access = await this.admit(tx, actor, childId, now, writeKind);
      const result = await fn(access);
      await writeAudit(tx, {
        actorPractitionerId: actor.type === 'practitioner' ? actor.id : null,
        actorTokenId: actor.type === 'token' ? actor.id : null,
        childId,
        action,
        basis: access.basis,
        emergencyAccessId: access.emergencyAccessId,
        detail: access.audit,
      });
      return result;
    });
  }

  private async admit(tx: Transaction<DB>, actor: Actor, childId: string, now: Date, writeKind: string | null | undefined): Promise<Access> {
    if (!(await isChild(tx, childId))) throw notFound();
    const base = { tx, actor, childId, now, audit: {} };
    if (actor.type === 'token') {
      if (writeKind === undefined) return { ...base, basis: 'own_agency_entries', onlyAgencyId: actor.agencyId };
      if (writeKind && mayWriteWithoutRelationship(actor, writeKind)) return { ...base, basis: 'own_agency_entries', onlyAgencyId: actor.agencyId };
      throw forbidden(`This API token may not record entries of kind "${writeKind ?? 'unknown'}".`);
    }
    const found = strongest(await relationshipsOf(tx, actor.id, childId, now));
    if (found) return { ...base, basis: found.basis, emergencyAccessId: found.emergencyAccessId };
    if (writeKind && mayWriteWithoutRelationship(actor, writeKind)) return { ...base, basis: 'front_door' };
    throw notFound();
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
