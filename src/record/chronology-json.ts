import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { ChronologyFilter } from './store.js';

type Q = Kysely<DB> | Transaction<DB>;

/** A text column as a JSON string (escaped by PostgreSQL), or null. */
const str = (column: string) => `coalesce(to_json(${column})::text, 'null')`;
/** A uuid column: only hex digits and dashes, so it needs quotes but no escaping. */
const uuid = (column: string) => `coalesce('"' || ${column} || '"', 'null')`;
/** Exactly what Date#toISOString gives for the stored instant (stored to the millisecond). */
const iso = (column: string) => `'"' || to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"'`;

// One JSON object per row, field for field what `toEntryView` (view.ts) makes of a chronology row;
// test/record/chronology-json.test.ts holds the two equal.
const entryJson = sql.raw(`'{"id":' || ${uuid('e.id')} || ',"child_id":' || ${uuid('e.child_id')} || ',"seq":' || e.seq
  || ',"kind":' || ${str('e.kind')} || ',"occurred_at":' || ${iso('e.occurred_at')} || ',"recorded_at":' || ${iso('e.recorded_at')}
  || ',"author":{"id":' || ${uuid('e.author_id')} || ',"name":' || ${str('e.author_name')} || ',"role":' || ${str('e.author_role')}
  || ',"agency_id":' || ${uuid('e.author_agency_id')} || ',"agency_name":' || ${str('a.name')} || ',"agency_kind":' || ${str('a.kind')}
  || ',"via_token_id":' || ${uuid('e.via_token_id')} || '},"concerns":' || array_to_json(e.concerns)::text
  || ',"narrative":' || ${str('e.narrative')} || ',"data":' || e.data::text
  || ',"supersedes_id":' || ${uuid('e.supersedes_id')} || ',"correction_reason":' || ${str('e.correction_reason')}
  || ',"superseded_by":' || ${uuid('c.id')} || ',"hash":' || ${str('e.hash')} || ',"prev_hash":' || ${str('e.prev_hash')} || '}'`);

// For entries that store their JSON (migration 0012): close the author object with the agency's
// current name and kind, then add the newest correction.
const storedJson = sql.raw(`e.view_text || ',"agency_name":' || ${str('a.name')} || ',"agency_kind":' || ${str('a.kind')}
  || '},"superseded_by":' || ${uuid('c.id')} || '}'`);

/**
 * The same chronology as `chronology` in store.ts, as the JSON array the API sends, aggregated by
 * PostgreSQL into one string. Entries carry their own JSON from when they were appended, so a long
 * record costs a string join, not thousands of objects rebuilt in Node (docs/BENCHMARKS.md).
 */
export async function chronologyJson(q: Q, childId: string, f: ChronologyFilter): Promise<{ json: string; count: number }> {
  const byAgency = f.agencyId ? sql`AND e.author_agency_id = ${f.agencyId}` : sql``;
  const byKind = f.kinds?.length ? sql`AND e.kind = ANY(${f.kinds}::text[])` : sql``;
  // The newest correction of each corrected entry, found once for the child rather than per entry.
  // Aggregated from a subquery read in index order (entries_child_timeline), so nothing is sorted.
  const res = await sql<{ j: string | null; n: number }>`
    SELECT string_agg(j, ',') AS j, count(*)::int AS n FROM (
      SELECT CASE WHEN e.view_text IS NULL THEN ${entryJson} ELSE ${storedJson} END AS j
      FROM entries e
      JOIN agencies a ON a.id = e.author_agency_id
      LEFT JOIN (
        SELECT DISTINCT ON (supersedes_id) supersedes_id, id FROM entries
        WHERE child_id = ${childId} AND supersedes_id IS NOT NULL ORDER BY supersedes_id, seq DESC
      ) c ON c.supersedes_id = e.id
      WHERE e.child_id = ${childId} ${byAgency} ${byKind}
      ORDER BY e.occurred_at DESC, e.seq DESC
    ) ordered`.execute(q);
  const row = res.rows[0];
  return { json: `[${row?.j ?? ''}]`, count: row?.n ?? 0 };
}
