import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import { writeAudit } from '../access/store.js';
import { notFound } from '../errors.js';
import type { Sealer, VerifyResult } from './chain.js';
import { childrenWithChains, verifyChild } from './store.js';

export interface ChildIntegrity extends VerifyResult {
  child_id: string;
}

/**
 * Verification reads hashes and sequence numbers, never content, so auditors need no relationship
 * with the child. Each run is still audited.
 */
export class IntegrityService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly sealer: Sealer,
  ) {}

  async verifyOne(actor: Actor | null, childId: string): Promise<ChildIntegrity> {
    // One snapshot, and the audit row in the same transaction: no audit row, no answer.
    return this.db.transaction().setIsolationLevel('repeatable read').execute(async (tx) => {
      const exists = await tx.selectFrom('persons').select('id').where('id', '=', childId).where('kind', '=', 'child').executeTakeFirst();
      if (!exists) throw notFound('The child');
      const result = { child_id: exists.id, ...(await verifyChild(tx, this.sealer, exists.id)) };
      if (actor) await this.audit(tx, actor, exists.id, { ok: result.ok });
      return result;
    });
  }

  async verifyAll(actor: Actor | null, onProgress?: (done: number, total: number) => void) {
    const ids = await childrenWithChains(this.db);
    const failures: ChildIntegrity[] = [];
    let entries = 0;
    for (const [i, id] of ids.entries()) {
      const r = await verifyChild(this.db, this.sealer, id);
      entries += r.entries;
      if (!r.ok) failures.push({ child_id: id, ...r });
      onProgress?.(i + 1, ids.length);
    }
    if (actor) await this.audit(this.db, actor, null, { children: ids.length, failures: failures.length });
    return { ok: failures.length === 0, children: ids.length, entries, failures };
  }

  private audit(q: Kysely<DB> | Transaction<DB>, actor: Actor, childId: string | null, detail: Record<string, unknown>) {
    return writeAudit(q, {
      actorPractitionerId: actor.type === 'practitioner' ? actor.id : null,
      actorTokenId: actor.type === 'token' ? actor.id : null,
      childId,
      action: 'verify_integrity',
      basis: 'auditor',
      detail,
    });
  }
}
