import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { DB } from './schema.js';
import { DomainError } from '../errors.js';

export interface Stored<T> {
  status: number;
  body: T;
  replayed: boolean;
}

export function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/**
 * Runs `fn` once per (actor, key). The key row is claimed first, so a concurrent retry waits for
 * the first attempt to commit and then returns its response instead of creating a second record.
 */
export async function once<T>(
  tx: Transaction<DB>,
  actor: string,
  key: string | undefined,
  request: unknown,
  fn: () => Promise<{ status: number; body: T }>,
): Promise<Stored<T>> {
  if (!key) return { ...(await fn()), replayed: false };
  const fp = fingerprint(request);
  const claimed = await sql`INSERT INTO idempotency_keys (actor, key, fingerprint, status_code, response)
    VALUES (${actor}, ${key}, ${fp}, 0, 'null') ON CONFLICT DO NOTHING RETURNING 1`.execute(tx);
  if (!claimed.rows.length) {
    const prior = await tx.selectFrom('idempotency_keys').selectAll().where('actor', '=', actor).where('key', '=', key).executeTakeFirstOrThrow();
    if (prior.fingerprint !== fp) {
      throw new DomainError('This Idempotency-Key was already used for a different request.', 422, 'Idempotency key reused');
    }
    return { status: prior.status_code, body: prior.response as T, replayed: true };
  }
  const result = await fn();
  await tx
    .updateTable('idempotency_keys')
    .set({ status_code: result.status, response: JSON.stringify(result.body) })
    .where('actor', '=', actor)
    .where('key', '=', key)
    .execute();
  return { ...result, replayed: false };
}
