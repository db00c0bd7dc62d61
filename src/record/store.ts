import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { childIn, mergedIntoThis } from '../person-index/group.js';
import { GENESIS_HASH, hashAndView, verifyChain, type Head, type Sealer, type StoredLink, type VerifyResult } from './chain.js';

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
 * Every entry is hashed, sealed and given its stored JSON first; then the heads' UPDATE is sent, and
 * the database runs it while the one INSERT of all the entries is built (a trigger keeps each head
 * state as a checkpoint; another checks what the entries name). (Sending a batch in parts,
 * hashing one while the database wrote the last, cost both sides more CPU than it saved: see
 * docs/BENCHMARKS.md.)
 */
export async function appendEntries(tx: Transaction<DB>, sealer: Sealer, drafts: Draft[], recordedAt = new Date()): Promise<StoredLink[]> {
  if (!drafts.length) return [];
  const tip = await lockHeads(tx, drafts);
  const rows = drafts.map((d) => chained(d, tip, sealer, recordedAt));
  const heads = advanceHeads(tx, sealer, tip);
  heads.catch(() => undefined); // awaited below: marked handled so that a failure meanwhile cannot crash the process
  // One turn of the event loop hands the UPDATE to the connection before the INSERT is built.
  await new Promise(setImmediate);
  const inserted = insertRows(tx, rows, recordedAt);
  // Both must have finished before the caller may roll back: a statement still queued behind a failed
  // one would otherwise run after the ROLLBACK, outside the transaction. The first failure is the error.
  const failed = (await Promise.allSettled([heads, inserted])).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return rows;
}

type Tip = Map<string, { seq: number; hash: string }>;

/** Each child's head, locked for the rest of the transaction. */
async function lockHeads(tx: Transaction<DB>, drafts: Draft[]): Promise<Tip> {
  const childIds = [...new Set(drafts.map((d) => lower(d.child_id)))].sort();
  const heads = await sql<{ child_id: string; seq: number; hash: string }>`SELECT child_id, seq, hash FROM chain_heads
    WHERE child_id = ANY(${childIds}::uuid[]) ORDER BY child_id FOR UPDATE`.execute(tx);
  return new Map(heads.rows.map((h) => [h.child_id, { seq: h.seq, hash: h.hash }]));
}

/**
 * The entry a draft becomes as the next link of its child's chain, and the head moved on to it.
 * The database stores uuids in lower case; hashing them as sent (a route accepts upper case) would
 * make a sound entry fail verification, and would miss the child's head.
 */
function chained(d: Draft, tip: Tip, sealer: Sealer, recordedAt: Date): StoredLink {
  const childId = lower(d.child_id);
  const head = tip.get(childId);
  if (!head) throw new Error(`no chain for child ${childId}`);
  const row: StoredLink = {
    id: randomUUID(), child_id: childId, seq: head.seq + 1, kind: d.kind, occurred_at: d.occurred_at, recorded_at: recordedAt,
    author_id: lower(d.author_id), author_name: d.author_name, author_role: d.author_role, author_agency_id: lower(d.author_agency_id),
    via_token_id: lower(d.via_token_id), concerns: d.concerns.map(lower), narrative: d.narrative, data: d.data,
    supersedes_id: lower(d.supersedes_id), correction_reason: d.correction_reason, prev_hash: head.hash, hash: '', seal: '', view_text: null,
  };
  const made = hashAndView(row);
  row.hash = made.hash;
  row.seal = sealer.entrySeal(made.hash);
  row.view_text = made.view;
  head.seq = row.seq;
  head.hash = row.hash;
  return row;
}

/** The heads advanced to their newest entries, sealed (a trigger keeps each state as a checkpoint). */
function advanceHeads(tx: Transaction<DB>, sealer: Sealer, tip: Tip) {
  const ids: string[] = [];
  const seqs: number[] = [];
  const hashes: string[] = [];
  const seals: string[] = [];
  for (const [id, t] of tip) {
    ids.push(id);
    seqs.push(t.seq);
    hashes.push(t.hash);
    seals.push(sealer.headSeal(id, t.seq, t.hash));
  }
  return sql`UPDATE chain_heads h SET seq = v.seq::int, hash = v.hash, seal = v.seal, updated_at = now()
    FROM ROWS FROM (${column(ids)}, ${column(seqs)}, ${column(hashes)}, ${column(seals)}) AS v(child_id, seq, hash, seal)
    WHERE h.child_id = v.child_id::uuid`.execute(tx);
}

/**
 * One INSERT of many entries, each column sent as one JSON array (JSON.stringify is native and
 * needs no escaping loop in JavaScript) and zipped back into rows by ROWS FROM: the statement the
 * database parses and plans is the same size whatever the batch.
 */
function insertRows(tx: Transaction<DB>, rows: StoredLink[], recordedAt: Date) {
  const of = (f: (r: StoredLink) => string | number | null) => column(rows.map(f));
  return sql`INSERT INTO entries (id, child_id, seq, kind, occurred_at, recorded_at, author_id, author_name, author_role, author_agency_id,
      via_token_id, concerns, narrative, data, supersedes_id, correction_reason, prev_hash, hash, seal, view_text)
    SELECT id::uuid, child_id::uuid, seq::int, kind, occurred_at::timestamptz, ${recordedAt}::timestamptz, author_id::uuid, author_name,
      author_role, author_agency_id::uuid, via_token_id::uuid, concerns::uuid[], narrative, data::jsonb, supersedes_id::uuid,
      correction_reason, prev_hash, hash, seal, view_text
    FROM ROWS FROM (${of((r) => r.id)}, ${of((r) => r.child_id)}, ${of((r) => r.seq)}, ${of((r) => r.kind)}, ${of((r) => r.occurred_at.toISOString())},
      ${of((r) => r.author_id)}, ${of((r) => r.author_name)}, ${of((r) => r.author_role)}, ${of((r) => r.author_agency_id)}, ${of((r) => r.via_token_id)},
      ${of((r) => `{${r.concerns.join(',')}}`)}, ${of((r) => r.narrative)}, ${of((r) => JSON.stringify(r.data))}, ${of((r) => r.supersedes_id)},
      ${of((r) => r.correction_reason)}, ${of((r) => r.prev_hash)}, ${of((r) => r.hash)}, ${of((r) => r.seal)}, ${of((r) => r.view_text ?? null)})
      AS u(id, child_id, seq, kind, occurred_at, author_id, author_name, author_role, author_agency_id,
        via_token_id, concerns, narrative, data, supersedes_id, correction_reason, prev_hash, hash, seal, view_text)`.execute(tx);
}

/** One column of values as rows of text (null stays NULL), from a single JSON parameter. */
const column = (values: (string | number | null)[]) => sql`json_array_elements_text(${JSON.stringify(values)}::json)`;

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
