import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { childIn, mergedIntoThis } from '../person-index/group.js';
import { GENESIS_HASH, entryViewText, entryHash, verifyChain, type Head, type Sealer, type StoredLink, type VerifyResult } from './chain.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface Draft {
  child_id: string;
  kind: string;
  occurred_at: Date;
  author_id: string | null;
  author_name: string;
  author_role: string;
  author_agency_id: string;
  via_token_id: string | null;
  concerns: string[];
  narrative: string;
  data: Record<string, unknown>;
  supersedes_id: string | null;
  correction_reason: string | null;
}

/** A new child's chain starts with a sealed empty head, so deleting every entry is detectable too. */
export async function startChain(q: Q, sealer: Sealer, childId: string): Promise<void> {
  await q
    .insertInto('chain_heads')
    .values({ child_id: childId, seq: 0, hash: GENESIS_HASH, seal: sealer.headSeal(childId, 0, GENESIS_HASH) })
    .execute();
}

/**
 * Appends drafts to their children's chains. Locks only the heads of the children involved (in id
 * order, so concurrent batches cannot deadlock): writers for different children never wait on each other.
 */
export async function appendEntries(tx: Transaction<DB>, sealer: Sealer, given: Draft[], recordedAt = new Date()): Promise<StoredLink[]> {
  if (!given.length) return [];
  const drafts = given.map(canonicalIds);
  const childIds = [...new Set(drafts.map((d) => d.child_id))].sort();
  const heads = await tx
    .selectFrom('chain_heads')
    .select(['child_id', 'seq', 'hash'])
    .where('child_id', 'in', childIds)
    .orderBy('child_id')
    .forUpdate()
    .execute();
  const tip = new Map(heads.map((h) => [h.child_id, { seq: h.seq, hash: h.hash }]));
  const rows: StoredLink[] = [];
  for (const d of drafts) {
    const head = tip.get(d.child_id);
    if (!head) throw new Error(`no chain for child ${d.child_id}`);
    // One object per entry, completed in place: hashing covers only the content fields.
    const row: StoredLink = { ...d, id: randomUUID(), seq: head.seq + 1, recorded_at: recordedAt, prev_hash: head.hash, hash: '', seal: '' };
    row.hash = entryHash(row);
    row.seal = sealer.entrySeal(row.hash);
    row.view_text = entryViewText(row);
    rows.push(row);
    head.seq = row.seq;
    head.hash = row.hash;
  }
  // The heads' UPDATE is sent first: the database runs it while the INSERT below is being built.
  const advanced = sql`UPDATE chain_heads h SET seq = v.seq, hash = v.hash, seal = v.seal, updated_at = now()
    FROM (VALUES ${sql.join([...tip].map(([id, t]) => sql`(${id}::uuid, ${t.seq}::int, ${t.hash}, ${sealer.headSeal(id, t.seq, t.hash)})`))})
      AS v(child_id, seq, hash, seal)
    WHERE h.child_id = v.child_id`.execute(tx);
  await Promise.all([advanced, insertRows(tx, rows)]);
  return rows;
}

/**
 * One INSERT of many entries as a column of arrays each (unnest), not a VALUES list of 20 parameters
 * per row: the statement the database parses and plans is the same size whatever the batch.
 */
function insertRows(tx: Transaction<DB>, rows: StoredLink[]) {
  const col = <T>(f: (r: StoredLink) => T) => rows.map(f);
  // An array of arrays cannot be unnested row by row: each row's concerns travel as one array literal.
  const concerns = col((r) => `{${r.concerns.join(',')}}`);
  return sql`INSERT INTO entries (id, child_id, seq, kind, occurred_at, recorded_at, author_id, author_name, author_role, author_agency_id,
      via_token_id, concerns, narrative, data, supersedes_id, correction_reason, prev_hash, hash, seal, view_text)
    SELECT id, child_id, seq, kind, occurred_at, recorded_at, author_id, author_name, author_role, author_agency_id,
      via_token_id, concerns::uuid[], narrative, data::jsonb, supersedes_id, correction_reason, prev_hash, hash, seal, view_text
    FROM unnest(${col((r) => r.id)}::uuid[], ${col((r) => r.child_id)}::uuid[], ${col((r) => r.seq)}::int[], ${col((r) => r.kind)}::text[],
      ${col((r) => r.occurred_at)}::timestamptz[], ${col((r) => r.recorded_at)}::timestamptz[], ${col((r) => r.author_id)}::uuid[],
      ${col((r) => r.author_name)}::text[], ${col((r) => r.author_role)}::text[], ${col((r) => r.author_agency_id)}::uuid[],
      ${col((r) => r.via_token_id)}::uuid[], ${concerns}::text[], ${col((r) => r.narrative)}::text[], ${col((r) => JSON.stringify(r.data))}::text[],
      ${col((r) => r.supersedes_id)}::uuid[], ${col((r) => r.correction_reason)}::text[], ${col((r) => r.prev_hash)}::text[],
      ${col((r) => r.hash)}::text[], ${col((r) => r.seal)}::text[], ${col((r) => r.view_text ?? null)}::text[])
      AS u(id, child_id, seq, kind, occurred_at, recorded_at, author_id, author_name, author_role, author_agency_id,
        via_token_id, concerns, narrative, data, supersedes_id, correction_reason, prev_hash, hash, seal, view_text)`.execute(tx);
}

/**
 * The database stores uuids in lower case; hashing them as sent (a route accepts upper case) would
 * make a sound entry fail verification, and would miss the child's head.
 */
function canonicalIds(d: Draft): Draft {
  return {
    ...d,
    child_id: lower(d.child_id),
    author_id: lower(d.author_id),
    author_agency_id: lower(d.author_agency_id),
    via_token_id: lower(d.via_token_id),
    concerns: d.concerns.map(lower),
    supersedes_id: lower(d.supersedes_id),
  };
}

const lower = <T extends string | null>(v: T): T => (v === null ? v : (v.toLowerCase() as T));

const linkColumns = [
  'id', 'child_id', 'seq', 'kind', 'occurred_at', 'recorded_at', 'author_id', 'author_name', 'author_role',
  'author_agency_id', 'via_token_id', 'concerns', 'narrative', 'data', 'supersedes_id', 'correction_reason',
  'prev_hash', 'hash', 'seal',
] as const;

export async function chainOf(q: Q, childId: string): Promise<StoredLink[]> {
  return (await q.selectFrom('entries').select([...linkColumns, 'view_text']).where('child_id', '=', childId).orderBy('seq').execute()) as StoredLink[];
}

/**
 * Verifies one child's chain from a single snapshot (REPEATABLE READ), so an append committing
 * between reading the head and reading the entries is never mistaken for tampering.
 */
export async function verifyChild(q: Q, sealer: Sealer, childId: string): Promise<VerifyResult> {
  const id = childId.toLowerCase();
  const run = async (tx: Q) => {
    const head = await tx.selectFrom('chain_heads').select(['seq', 'hash', 'seal']).where('child_id', '=', id).executeTakeFirst();
    const checkpoint = await latestCheckpoint(tx, id);
    return verifyChain(id, await chainOf(tx, id), head, sealer, checkpoint);
  };
  if (q.isTransaction) return run(q);
  return (q as Kysely<DB>).transaction().setIsolationLevel('repeatable read').execute(run);
}

/** The newest sealed checkpoint (migration 0005 keeps every state a chain's head has held). */
async function latestCheckpoint(q: Q, childId: string): Promise<Head | undefined> {
  const r = await sql<Head>`SELECT seq, hash, seal FROM chain_checkpoints WHERE child_id = ${childId} ORDER BY seq DESC LIMIT 1`.execute(q);
  return r.rows[0];
}

/** Every child's chain, children with a head or with entries (a child whose head was deleted still shows). */
export async function childrenWithChains(q: Q): Promise<string[]> {
  const rows = await sql<{ id: string }>`SELECT id FROM persons WHERE kind = 'child' ORDER BY created_at, id`.execute(q);
  return rows.rows.map((r) => r.id);
}

export interface ChronologyFilter {
  agencyId?: string;
  kinds?: string[];
}

export interface ChronologyRow extends StoredLink {
  agency_name: string;
  agency_kind: string;
  superseded_by: string | null;
}

/**
 * The chronology in the order things happened; corrections stay beside what they correct. A child
 * others were merged into reads their entries too (each chain stays whole; person-index/group.ts).
 */
export async function chronology(q: Q, childId: string, f: ChronologyFilter): Promise<ChronologyRow[]> {
  const merged = await mergedIntoThis(q, childId);
  let query = q
    .selectFrom('entries as e')
    .innerJoin('agencies as a', 'a.id', 'e.author_agency_id')
    .select(linkColumns.map((c) => `e.${c}` as const))
    .select(['a.name as agency_name', 'a.kind as agency_kind'])
    .select((eb) =>
      eb.selectFrom('entries as s').select('s.id').whereRef('s.supersedes_id', '=', 'e.id').whereRef('s.child_id', '=', 'e.child_id').orderBy('s.seq', 'desc').limit(1).as('superseded_by'),
    )
    .where(sql<boolean>`e.child_id ${childIn(childId, merged)}`);
  if (f.agencyId) query = query.where('e.author_agency_id', '=', f.agencyId);
  if (f.kinds?.length) query = query.where('e.kind', 'in', f.kinds);
  return (await query.orderBy('e.occurred_at', 'desc').orderBy('e.seq', 'desc').execute()) as ChronologyRow[];
}

export async function entryInChild(q: Q, childId: string, entryId: string) {
  return q.selectFrom('entries').select(['id', 'kind', 'child_id']).where('id', '=', entryId).where('child_id', '=', childId).executeTakeFirst();
}
