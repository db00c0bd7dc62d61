import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Explanation, PersonRecord } from '../matching/index.js';
import type { AgencyRecordInput } from './schemas.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface AgencyRecord extends Omit<AgencyRecordInput, 'date_of_birth' | 'nhs_number' | 'town' | 'postcode'> {
  id: string;
  agency_id: string;
  agency_name: string;
  version: number;
  date_of_birth: string | null;
  nhs_number: string | null;
  postcode: string | null;
  town?: string;
  submitted_at: Date;
}

export interface Submitter { practitionerId: string | null; tokenId: string | null }

/** Stores a record as a new version of the agency's local id (the first is version 1). */
export async function insertAgencyRecord(tx: Transaction<DB>, agencyId: string, r: AgencyRecordInput, source: 'api' | 'bulk', by: Submitter): Promise<{ id: string; version: number }> {
  const id = randomUUID();
  // Serialise versions of one local id: two submissions at once must not both take the same number.
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`${agencyId}/${r.local_id}`}))`.execute(tx);
  const res = await sql<{ version: number }>`INSERT INTO agency_records
      (id, agency_id, local_id, version, kind, given_name, family_name, date_of_birth, nhs_number, address, postcode, sex, source, submitted_by, submitted_via_token)
    SELECT ${id}, ${agencyId}, ${r.local_id}, coalesce(max(version), 0) + 1, ${r.kind}, ${r.given_name}, ${r.family_name}, ${r.date_of_birth ?? null},
      ${r.nhs_number ?? null}, ${[...r.address, ...(r.town ? [r.town] : [])]}::text[], ${r.postcode ?? null}, ${r.sex}, ${source}, ${by.practitionerId}, ${by.tokenId}
    FROM agency_records WHERE agency_id = ${agencyId} AND local_id = ${r.local_id}
    RETURNING version`.execute(tx);
  return { id, version: res.rows[0].version };
}

export async function agencyRecords(q: Q, ids: string[]): Promise<Map<string, AgencyRecord>> {
  if (!ids.length) return new Map();
  const r = await sql<AgencyRecord>`SELECT r.id, r.agency_id, a.name AS agency_name, r.local_id, r.version, r.kind, r.given_name, r.family_name,
      r.date_of_birth, r.nhs_number, r.address, r.postcode, r.sex, r.submitted_at
    FROM agency_records r JOIN agencies a ON a.id = r.agency_id WHERE r.id = ANY(${ids}::uuid[])`.execute(q);
  return new Map(r.rows.map((x) => [x.id, x]));
}

/** What the matcher compares of an agency record. */
export function matcherRecord(r: Pick<AgencyRecord, 'id' | 'given_name' | 'family_name' | 'date_of_birth' | 'nhs_number' | 'postcode' | 'sex'>): PersonRecord {
  return {
    id: r.id, given_name: r.given_name, surname: r.family_name, sex: r.sex,
    ...(r.date_of_birth ? { date_of_birth: r.date_of_birth } : {}), ...(r.nhs_number ? { nhs_number: r.nhs_number } : {}), ...(r.postcode ? { postcode: r.postcode } : {}),
  };
}

export interface IndexEvent {
  action: 'linked' | 'queued' | 'decided' | 'created' | 'merged' | 'unmerged';
  by: Submitter;
  reason?: string | null;
  probability?: number | null;
  explanation?: Explanation | null;
  agencyRecordId?: string | null;
  otherRecordId?: string | null;
  personId?: string | null;
  otherPersonId?: string | null;
  reviewId?: string | null;
  detail?: Record<string, unknown>;
}

/** Appends one event to the person index's log (append-only: migration 0021). */
export async function insertEvent(tx: Transaction<DB>, e: IndexEvent): Promise<string> {
  const id = randomUUID();
  await sql`INSERT INTO person_index_events (id, action, actor_practitioner_id, actor_token_id, reason, probability, explanation,
      agency_record_id, other_record_id, person_id, other_person_id, review_id, detail)
    VALUES (${id}, ${e.action}, ${e.by.practitionerId}, ${e.by.tokenId}, ${e.reason ?? null}, ${e.probability ?? null},
      ${e.explanation ? JSON.stringify(e.explanation) : null}::jsonb, ${e.agencyRecordId ?? null}, ${e.otherRecordId ?? null},
      ${e.personId ?? null}, ${e.otherPersonId ?? null}, ${e.reviewId ?? null}, ${JSON.stringify(e.detail ?? {})}::jsonb)`.execute(tx);
  return id;
}

/** The projection of a link: which person the agency record belongs to now. */
export async function projectLink(tx: Transaction<DB>, recordId: string, personId: string, eventId: string): Promise<void> {
  await sql`INSERT INTO agency_record_links (agency_record_id, person_id, event_id) VALUES (${recordId}, ${personId}, ${eventId})`.execute(tx);
}

export async function linkedPerson(q: Q, recordId: string): Promise<string | null> {
  const r = await sql<{ person_id: string }>`SELECT person_id FROM agency_record_links WHERE agency_record_id = ${recordId}`.execute(q);
  return r.rows[0]?.person_id ?? null;
}

/** The survivor a person is merged into, else the person: new links go to the record people read. */
export async function survivorOf(q: Q, personId: string): Promise<string> {
  const r = await sql<{ survivor_id: string }>`SELECT survivor_id FROM person_merges WHERE merged_id = ${personId} AND unmerged_at IS NULL`.execute(q);
  return r.rows[0]?.survivor_id ?? personId;
}

/**
 * The matcher's records of these persons (one per name they have had and current address), each
 * under the id of the person it reads as now: a merged person's records count as their survivor's.
 */
export async function personRecords(q: Q, ids: string[]): Promise<PersonRecord[]> {
  if (!ids.length) return [];
  const r = await sql<{ id: string; given_name: string; family_name: string; date_of_birth: string | null; postcode: string | null; nhs: string | null; sex: string }>`
    SELECT coalesce(m.survivor_id, p.id) AS id, n.given_name, n.family_name, to_char(p.date_of_birth, 'YYYY-MM-DD') AS date_of_birth, a.postcode, p.sex,
      (SELECT value FROM person_identifiers i WHERE i.person_id = p.id AND i.scheme = 'nhs_number') AS nhs
    FROM persons p JOIN person_names n ON n.person_id = p.id
    LEFT JOIN person_addresses a ON a.person_id = p.id AND a.valid_to IS NULL
    LEFT JOIN person_merges m ON m.merged_id = p.id AND m.unmerged_at IS NULL
    WHERE p.id = ANY(${ids}::uuid[])`.execute(q);
  return r.rows.map((x) => matcherRecord({ id: x.id, given_name: x.given_name, family_name: x.family_name, date_of_birth: x.date_of_birth, nhs_number: x.nhs, postcode: x.postcode, sex: x.sex as AgencyRecord['sex'] }));
}

/** Persons of this kind holding the NHS number, or the agency's local id (a few at most). */
export async function identifierHolders(q: Q, kind: string, agencyId: string, localId: string, nhs: string | undefined): Promise<{ byLocalId: string | null; byNhs: string[] }> {
  const r = await sql<{ person_id: string; scheme: string }>`SELECT i.person_id, i.scheme FROM person_identifiers i JOIN persons p ON p.id = i.person_id
    WHERE p.kind = ${kind} AND ((i.scheme = 'local' AND i.agency_id = ${agencyId} AND i.value = ${localId}) OR (i.scheme = 'nhs_number' AND i.value = ${nhs ?? ''}))`.execute(q);
  return { byLocalId: r.rows.find((x) => x.scheme === 'local')?.person_id ?? null, byNhs: r.rows.filter((x) => x.scheme === 'nhs_number').map((x) => x.person_id) };
}
