import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { LIST_TEXT_PREFIX } from './chain.js';
import type { ChronologyFilter } from './store.js';
import { childIn, mergedIntoThis } from '../person-index/group.js';

type Q = Kysely<DB> | Transaction<DB>;

/** A text column as a JSON string (escaped by PostgreSQL), or null. */
const str = (column: string) => `coalesce(to_json(${column})::text, 'null')`;
/** A uuid column: only hex digits and dashes, so it needs quotes but no escaping. */
const uuid = (column: string) => `coalesce('"' || ${column} || '"', 'null')`;
/** Exactly what Date#toISOString gives for the stored instant (stored to the millisecond). */
const iso = (column: string) => `'"' || to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"'`;

// For entries stored before the list form (no stored JSON, or version 1): the same text that
// `chain.ts#entryViewText` stores, built from the columns.
const builtJson = sql.raw(`'${LIST_TEXT_PREFIX}' || e.seq || ',"id":' || ${uuid('e.id')} || ',"kind":' || ${str('e.kind')}
  || ',"occurred_at":' || ${iso('e.occurred_at')} || ',"recorded_at":' || ${iso('e.recorded_at')}
  || ',"author":{"id":' || ${uuid('e.author_id')} || ',"name":' || ${str('e.author_name')} || ',"role":' || ${str('e.author_role')}
  || ',"agency_id":' || ${uuid('e.author_agency_id')} || ',"via_token_id":' || ${uuid('e.via_token_id')}
  || '},"concerns":' || array_to_json(e.concerns)::text || ',"narrative":' || ${str('e.narrative')} || ',"data":' || e.data::text
  || ',"supersedes_id":' || ${uuid('e.supersedes_id')} || ',"correction_reason":' || ${str('e.correction_reason')}
  || ',"hash":' || ${str('e.hash')} || ',"superseded_by":null}'`);

/** An entry's stored list-form JSON, or the same built from its columns. */
const stored = sql`CASE WHEN starts_with(e.view_text, ${LIST_TEXT_PREFIX}) THEN e.view_text ELSE ${builtJson} END`;

/** Entries per row of the answer: a few tens of kilobytes each (see below). */
const CHUNK = 100;

/**
 * The same chronology as `chronology` in store.ts, in the list form the API sends: the entries' JSON
 * (newest first) in a few pieces of text, to be joined with commas, and the agencies that wrote them
 * (a JSON object by id: `{"<id>":{"name":…,"kind":…}}`).
 * Entries carry their own JSON from when they were appended (chain.ts#entryViewText), so a long
 * record costs a string join, not thousands of objects rebuilt in Node (docs/BENCHMARKS.md).
 */
export async function chronologyJson(q: Q, childId: string, f: ChronologyFilter): Promise<{ pieces: string[]; count: number; agencies: string }> {
  // A child others were merged into lists their entries too, in one chunk: chunk boundaries compare
  // (occurred_at, seq), which two chains can share (person-index/group.ts). Each chain numbers its
  // entries from 1, so there every entry also names its record (`child_id`) beside its `seq`.
  const merged = await mergedIntoThis(q, childId);
  const chunk = merged.length ? 1_000_000_000 : CHUNK;
  const listed = sql`e.child_id ${childIn(childId, merged)} ${f.agencyId ? sql`AND e.author_agency_id = ${f.agencyId}` : sql``} ${f.kinds?.length ? sql`AND e.kind = ANY(${f.kinds}::text[])` : sql``}`;
  // Each agency that wrote a listed entry (an index probe per agency: entries_agency). The same
  // statement turns JIT off for the rest of the transaction: the planner's estimate for the chunks
  // can pass jit_above_cost, and compiling the query (tens of milliseconds) costs more than it could
  // save on copying stored text.
  const named = await sql<{ agencies: string }>`
    SELECT set_config('jit', 'off', true) AS jit, coalesce((
      SELECT json_object_agg(a.id, json_build_object('name', a.name, 'kind', a.kind) ORDER BY a.id) FROM agencies a
      WHERE EXISTS (SELECT 1 FROM entries e WHERE e.author_agency_id = a.id AND ${listed})
    )::text, '{}') AS agencies`.execute(q);
  // One row per CHUNK entries, not one row per entry (5,000 strings that Node's young-generation GC
  // then copies) nor one aggregate of megabytes (PostgreSQL builds, copies and sends it whole).
  // `b` is the first entry of each chunk, each found CHUNK entries after the one before in the order
  // of the index entries_child_timeline (newest first), reading only the index; each chunk is then
  // read from there in index order, so nothing is sorted. The newest correction is looked up only for
  // the few entries that have one (a hashed set of this child's corrected entries); every entry's
  // text ends `"superseded_by":null}`.
  const res = await sql<{ k: number; j: string; n: number }>`
    WITH RECURSIVE b (occurred_at, seq, k) AS (
      (SELECT e.occurred_at, e.seq, 1 FROM entries e WHERE ${listed} ORDER BY e.occurred_at DESC, e.seq DESC LIMIT 1)
      UNION ALL
      SELECT next.occurred_at, next.seq, b.k + 1 FROM b CROSS JOIN LATERAL (
        SELECT e.occurred_at, e.seq FROM entries e WHERE ${listed} AND (e.occurred_at, e.seq) < (b.occurred_at, b.seq)
        ORDER BY e.occurred_at DESC, e.seq DESC OFFSET ${chunk - 1} LIMIT 1
      ) next
    )
    SELECT b.k, x.j, x.n FROM b CROSS JOIN LATERAL (
      SELECT string_agg(CASE WHEN y.id IN (SELECT supersedes_id FROM entries WHERE child_id ${childIn(childId, merged)} AND supersedes_id IS NOT NULL)
          THEN left(y.j, -5) || (SELECT '"' || c.id || '"}' FROM entries c WHERE c.supersedes_id = y.id ORDER BY c.seq DESC LIMIT 1)
          ELSE y.j END, ',') AS j, count(*)::int AS n
      FROM (
        SELECT e.id, ${merged.length ? sql`'{"child_id":"' || e.child_id || '",' || substr(${stored}, 2)` : stored} AS j
        FROM entries e WHERE ${listed} AND (e.occurred_at, e.seq) <= (b.occurred_at, b.seq)
        ORDER BY e.occurred_at DESC, e.seq DESC LIMIT ${chunk}
      ) y
    ) x`.execute(q);
  const chunks = res.rows.sort((p, r) => p.k - r.k);
  return { pieces: chunks.map((c) => c.j), count: chunks.reduce((n, c) => n + c.n, 0), agencies: named.rows[0].agencies };
}
