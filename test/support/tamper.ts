import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../src/db/schema.js';
import { GENESIS_HASH, entryHash, type StoredLink } from '../../src/record/chain.js';

/**
 * Runs `fn` as a database superuser who bypasses the append-only triggers (and foreign keys):
 * `session_replication_role = replica` for this transaction only, as an attacker with direct
 * database access would.
 */
export async function asAttacker<T>(db: Kysely<DB>, fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (tx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(tx);
    return fn(tx);
  });
}

/** Rewrites a stored entry to `l`, every column, as an attacker would after recomputing its hash. */
export async function rewriteEntry(tx: Transaction<DB>, l: StoredLink): Promise<void> {
  await tx
    .updateTable('entries')
    .set({ ...l, data: JSON.stringify(l.data) })
    .where('id', '=', l.id)
    .execute();
}

export async function insertEntry(tx: Transaction<DB>, l: StoredLink): Promise<void> {
  await tx.insertInto('entries').values({ ...l, data: JSON.stringify(l.data) }).execute();
}

/** `l` with its hash recomputed over its (changed) content; its seal is left as it was. */
export const rehashed = (l: StoredLink): StoredLink => ({ ...l, hash: entryHash(l) });

/** Relinks and rehashes every entry from index `from` on, as someone hiding a change would. */
export function rechain(links: StoredLink[], from: number): StoredLink[] {
  const out = links.slice(0, from);
  for (const l of links.slice(from)) out.push(rehashed({ ...l, prev_hash: out.length ? out[out.length - 1].hash : GENESIS_HASH }));
  return out;
}

/** Moves entries to new seq numbers without tripping UNIQUE (child_id, seq) half-way. */
export async function renumber(tx: Transaction<DB>, moves: { id: string; seq: number }[]): Promise<void> {
  for (const m of moves) await sql`UPDATE entries SET seq = seq + 1000000 WHERE id = ${m.id}`.execute(tx);
  for (const m of moves) await sql`UPDATE entries SET seq = ${m.seq} WHERE id = ${m.id}`.execute(tx);
}
