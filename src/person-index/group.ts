import { sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * The ids whose records read as one child's: the child and every person merged into them now. A
 * merge moves nothing (entries are hash-chained per child), so reads widen to this set instead.
 * Merges are one level deep (person-index/merge.ts refuses to merge into a merged person or to merge
 * a person others are merged into), so no recursion is needed. Imports nothing of Sightline's, so the
 * door and the record's reads can use it without a cycle.
 */
export function sameChild(childId: string): RawBuilder<unknown> {
  return sql`(SELECT ${childId}::uuid UNION ALL SELECT merged_id FROM person_merges WHERE survivor_id = ${childId}::uuid AND unmerged_at IS NULL)`;
}

/** True unless the person is merged into another now (a merged id answers with where it went). */
export const notMerged = (idColumn: string) =>
  sql<boolean>`NOT EXISTS (SELECT 1 FROM person_merges WHERE merged_id = ${sql.ref(idColumn)} AND unmerged_at IS NULL)`;

/** The child whose page shows this person's record: the survivor it is merged into now, else itself (for work lists). */
export const openedAs = (idColumn: string) =>
  sql<string>`coalesce((SELECT survivor_id FROM person_merges WHERE merged_id = ${sql.ref(idColumn)} AND unmerged_at IS NULL), ${sql.ref(idColumn)})`;

/** The persons merged into this one now (usually none): one indexed probe before a long read. */
export async function mergedIntoThis(q: Kysely<any>, survivorId: string): Promise<string[]> {
  const r = await sql<{ merged_id: string }>`SELECT merged_id FROM person_merges WHERE survivor_id = ${survivorId}::uuid AND unmerged_at IS NULL ORDER BY merged_at`.execute(q);
  return r.rows.map((x) => x.merged_id);
}

/** `= id` for a child nobody was merged into (the plan the indexes were built for), else `= ANY(ids)`. */
export function childIn(childId: string, merged: string[]): RawBuilder<unknown> {
  return merged.length ? sql`= ANY(${[childId, ...merged]}::uuid[])` : sql`= ${childId}`;
}
