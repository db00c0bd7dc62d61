import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Explanation, PersonRecord } from '../matching/index.js';
import { insertEvent, type Submitter } from './store.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface ReviewRow {
  id: string;
  agency_record_id: string;
  person_id: string | null;
  other_record_id: string | null;
  candidate: PersonRecord;
  probability: number;
  explanation: Explanation;
  queued_at: Date;
  decision: 'same' | 'different' | null;
  decided_at: Date | null;
  decided_by_name: string | null;
  reason: string | null;
}

export interface Queued {
  recordId: string;
  /** A person Sightline knows, or (from `sightline link`) another agency record. */
  personId?: string;
  otherRecordId?: string;
  candidate: PersonRecord;
  explanation: Explanation;
  by: Submitter;
  rivals?: number;
}

/** Holds a record unlinked and asks a reviewer: the projection row and its `queued` event. */
export async function queueReview(tx: Transaction<DB>, r: Queued): Promise<string> {
  const id = randomUUID();
  await sql`INSERT INTO review_items (id, agency_record_id, person_id, other_record_id, candidate, probability, explanation)
    VALUES (${id}, ${r.recordId}, ${r.personId ?? null}, ${r.otherRecordId ?? null}, ${JSON.stringify(r.candidate)}::jsonb,
      ${r.explanation.match_probability}, ${JSON.stringify(r.explanation)}::jsonb)`.execute(tx);
  await insertEvent(tx, {
    action: 'queued', by: r.by, probability: r.explanation.match_probability, explanation: r.explanation, agencyRecordId: r.recordId,
    otherRecordId: r.otherRecordId, personId: r.personId, reviewId: id, detail: { rivals: r.rivals ?? 0 },
  });
  return id;
}

const columns = sql`r.id, r.agency_record_id, r.person_id, r.other_record_id, r.candidate, r.probability, r.explanation, r.queued_at,
  r.decision, r.decided_at, p.display_name AS decided_by_name, r.reason`;

/** Open items, oldest first. */
export async function openReviews(q: Q, limit = 200): Promise<(ReviewRow & { agency_name: string; local_id: string })[]> {
  const r = await sql<ReviewRow & { agency_name: string; local_id: string }>`SELECT ${columns}, a.name AS agency_name, ar.local_id
    FROM review_items r JOIN agency_records ar ON ar.id = r.agency_record_id JOIN agencies a ON a.id = ar.agency_id
    LEFT JOIN practitioners p ON p.id = r.decided_by
    WHERE r.decision IS NULL ORDER BY r.queued_at, r.id LIMIT ${limit}`.execute(q);
  return r.rows;
}

/** One item; `lock` takes it for a decision (a second reviewer waits, then sees it decided). */
export async function reviewRow(q: Q, id: string, lock = false): Promise<ReviewRow | undefined> {
  const r = await sql<ReviewRow>`SELECT ${columns} FROM review_items r LEFT JOIN practitioners p ON p.id = r.decided_by
    WHERE r.id = ${id} ${lock ? sql`FOR UPDATE OF r` : sql``}`.execute(q);
  return r.rows[0];
}

export async function recordDecision(tx: Transaction<DB>, id: string, decision: 'same' | 'different', by: string, reason: string, at: Date): Promise<void> {
  await sql`UPDATE review_items SET decision = ${decision}, decided_at = ${at}, decided_by = ${by}, reason = ${reason} WHERE id = ${id}`.execute(tx);
}
