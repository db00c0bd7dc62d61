import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { formatDate } from '../web/dates.js';
import { mergedInto } from '../access/store.js';
import { notFound } from '../errors.js';
import { mergedIntoThis } from './group.js';

/** A record merged into the child being read: its own id, when it was merged and the name it had. */
export interface MergedHere {
  child_id: string;
  merged_at: string;
  name: string;
  /** How pages mark what came from it: "From the record merged on 3 March 2026 (Kasey Hartley)". */
  label: string;
}

/**
 * The records merged into this child now, oldest merge first, with the name each was recorded under
 * (read inside the door: names are the child's data). One indexed probe when nobody was merged in.
 */
export async function mergedRecords(q: Kysely<DB> | Transaction<DB>, survivorId: string): Promise<MergedHere[]> {
  const r = await sql<{ child_id: string; merged_at: Date; name: string | null }>`SELECT m.merged_id AS child_id, m.merged_at,
      (SELECT n.given_name || ' ' || n.family_name FROM person_names n WHERE n.person_id = m.merged_id AND n.name_type = 'legal'
        ORDER BY n.valid_to DESC NULLS FIRST, n.recorded_at DESC LIMIT 1) AS name
    FROM person_merges m WHERE m.survivor_id = ${survivorId}::uuid AND m.unmerged_at IS NULL ORDER BY m.merged_at`.execute(q);
  return r.rows.map((x) => {
    const name = x.name ?? 'name not recorded';
    return { child_id: x.child_id, merged_at: new Date(x.merged_at).toISOString(), name, label: `From the record merged on ${formatDate(new Date(x.merged_at))} (${name})` };
  });
}

/** Labels by record id for marking items on the survivor's page; the survivor's own items have none. */
export const labelsOf = (merged: MergedHere[]): Map<string, string> => new Map(merged.map((m) => [m.child_id, m.label]));

/**
 * The child whose door opens a record: the survivor for a record merged into another, else the record
 * itself. Looked up before the door; `mustStillBeHere` checks it again inside the door's transaction.
 */
export async function doorFor(q: Kysely<DB>, recordId: string): Promise<string> {
  return (await mergedInto(q, recordId)) ?? recordId;
}

/** Inside the door of `doorId`: the record is that child's own or merged into them now, else 404 (an unmerge came in between). */
export async function mustStillBeHere(tx: Transaction<DB>, doorId: string, recordId: string): Promise<void> {
  if (doorId.toLowerCase() === recordId.toLowerCase()) return;
  if (!(await mergedIntoThis(tx, doorId)).includes(recordId.toLowerCase())) throw notFound();
}

/** The audit detail of an act through the survivor's door (`doorId`) on a record merged into it: which record. */
export const mergedDetail = (doorId: string, recordId: string): { merged_record_id?: string } =>
  (recordId.toLowerCase() === doorId.toLowerCase() ? {} : { merged_record_id: recordId });
