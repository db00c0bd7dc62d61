import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { LIST_TEXT_PREFIX } from './chain.js';
import type { ChronologyFilter } from './store.js';

type Q = Kysely<DB> | Transaction<DB>;

/** A text column as a JSON string (escaped by PostgreSQL), or null. */
const str = (column: string) => `coalesce(to_json(${column})::text, 'null')`;
/** A uuid column: only hex digits and dashes, so it needs quotes but no escaping. */
const uuid = (column: string) => `coalesce('"' || ${column} || '"', 'null')`;
/** Exactly what Date#toISOString gives for the stored instant (stored to the millisecond). */
const iso = (column: string) => `'"' || to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"'`;

// For entries stored before the list form (no stored JSON, or version 1): the same text that
// `chain.ts#entryViewText` stores, built from the columns.
const builtJson = sql.raw(`'${LIST_TEXT_PREFIX}' || o.seq || ',"id":' || ${uuid('o.id')} || ',"kind":' || ${str('o.kind')}
  || ',"occurred_at":' || ${iso('o.occurred_at')} || ',"recorded_at":' || ${iso('o.recorded_at')}
  || ',"author":{"id":' || ${uuid('o.author_id')} || ',"name":' || ${str('o.author_name')} || ',"role":' || ${str('o.author_role')}
  || ',"agency_id":' || ${uuid('o.author_agency_id')} || ',"via_token_id":' || ${uuid('o.via_token_id')}
  || '},"concerns":' || array_to_json(o.concerns)::text || ',"narrative":' || ${str('o.narrative')} || ',"data":' || o.data::text
  || ',"supersedes_id":' || ${uuid('o.supersedes_id')} || ',"correction_reason":' || ${str('o.correction_reason')}
  || ',"hash":' || ${str('o.hash')} || ',"superseded_by":null}'`);

/** What the chronology's list form says about each agency that wrote an entry in it. */
export interface AgencyInList {
  name: string;
  kind: string;
}

/**
 * The same chronology as `chronology` in store.ts, in the list form the API sends: each entry's JSON
 * text (newest first), and the agencies that wrote them. Entries carry their own JSON from when they
 * were appended (chain.ts#entryViewText), so a long record costs rows of stored text, not thousands
 * of objects rebuilt in Node (docs/BENCHMARKS.md).
 */
export async function chronologyJson(q: Q, childId: string, f: ChronologyFilter): Promise<{ entries: string[]; agencies: Record<string, AgencyInList> }> {
  const byAgency = f.agencyId ? sql`AND e.author_agency_id = ${f.agencyId}` : sql``;
  const byKind = f.kinds?.length ? sql`AND e.kind = ANY(${f.kinds}::text[])` : sql``;
  // Rows, not one aggregate: PostgreSQL sends each as it reads it, and no multi-megabyte value is
  // built, copied and sent whole. The inner query is read in index order (entries_child_timeline)
  // with nothing joined, so nothing is sorted; the newest correction is looked up only for the few
  // entries that have one (a hashed set of this child's corrected entries).
  const res = await sql<{ j: string; a: string; c: string | null }>`
    SELECT CASE WHEN starts_with(o.view_text, ${LIST_TEXT_PREFIX}) THEN o.view_text ELSE ${builtJson} END AS j,
      o.author_agency_id AS a,
      CASE WHEN o.id IN (SELECT supersedes_id FROM entries WHERE child_id = ${childId} AND supersedes_id IS NOT NULL)
        THEN (SELECT c.id FROM entries c WHERE c.supersedes_id = o.id ORDER BY c.seq DESC LIMIT 1) END AS c
    FROM (
      SELECT * FROM entries e WHERE e.child_id = ${childId} ${byAgency} ${byKind}
      ORDER BY e.occurred_at DESC, e.seq DESC
    ) o`.execute(q);
  const ids = new Set<string>();
  const entries = res.rows.map((r) => {
    ids.add(r.a);
    // Every entry's text ends `"superseded_by":null}`.
    return r.c === null ? r.j : `${r.j.slice(0, -5)}"${r.c}"}`;
  });
  const agencies: Record<string, AgencyInList> = {};
  if (ids.size) {
    const rows = await q.selectFrom('agencies').select(['id', 'name', 'kind']).where('id', 'in', [...ids]).orderBy('id').execute();
    for (const a of rows) agencies[a.id] = { name: a.name, kind: a.kind };
  }
  return { entries, agencies };
}
