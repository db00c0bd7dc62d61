import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Jurisdiction } from '../process/rules.js';
import type { ConcernEvent, DeadlineCode } from './machine.js';
import { agencyWideRoles, CHAIR_ROLE, type ConcernBasis } from './policy.js';
import type { Category, Stage } from './schemas.js';

type Q = Kysely<DB> | Transaction<DB>;

/** A concern as raised, with its agency and its raiser (whose identity only the view may reveal). */
export interface ConcernRow {
  id: string;
  number: number;
  agency_id: string;
  agency_name: string;
  agency_kind: string;
  jurisdiction: Jurisdiction;
  service: string | null;
  category: Category;
  what: string;
  subject_id: string | null;
  head_id: string | null;
  sealed: boolean;
  raised_at: Date;
  raiser_id: string;
}

const concernSelect = sql`SELECT c.id, c.number::int AS number, c.agency_id, a.name AS agency_name, a.kind AS agency_kind,
    a.jurisdiction, c.service, c.category, c.what, c.subject_id, c.head_id, c.sealed, c.raised_at, r.practitioner_id AS raiser_id
  FROM concerns c JOIN agencies a ON a.id = c.agency_id JOIN concern_raisers r ON r.concern_id = c.id`;

export type NewConcern = Omit<ConcernRow, 'number' | 'agency_name' | 'agency_kind' | 'jurisdiction'>;

/** The concern, and its raiser in their own table. */
export async function insertConcern(tx: Transaction<DB>, c: NewConcern): Promise<void> {
  await sql`INSERT INTO concerns (id, agency_id, service, category, what, subject_id, head_id, sealed, raised_at)
    VALUES (${c.id}, ${c.agency_id}, ${c.service}, ${c.category}, ${c.what}, ${c.subject_id}, ${c.head_id}, ${c.sealed}, ${c.raised_at})`.execute(tx);
  await sql`INSERT INTO concern_raisers (concern_id, practitioner_id) VALUES (${c.id}, ${c.raiser_id})`.execute(tx);
}

/** Reads the concern and holds it until commit, so steps and timers on one concern take turns. */
export async function lockConcern(tx: Transaction<DB>, id: string): Promise<ConcernRow | undefined> {
  await sql`SELECT 1 FROM concerns WHERE id = ${id} FOR UPDATE`.execute(tx);
  return (await concernsByIds(tx, [id]))[0];
}

export async function concernsByIds(q: Q, ids: string[]): Promise<ConcernRow[]> {
  if (!ids.length) return [];
  const r = await sql<ConcernRow>`${concernSelect} WHERE c.id = ANY(${ids}::uuid[]) ORDER BY c.raised_at, c.number`.execute(q);
  return r.rows;
}

type EventRow = { concern_id: string; seq: number; type: ConcernEvent['type']; at: Date; actor_id: string | null; by_raiser: boolean; data: unknown };

/** Each concern's events in order. */
export async function eventsOf(q: Q, ids: string[]): Promise<Map<string, ConcernEvent[]>> {
  const out = new Map<string, ConcernEvent[]>(ids.map((id) => [id, []]));
  if (!ids.length) return out;
  const r = await sql<EventRow>`SELECT concern_id, seq, type, at, actor_id, by_raiser, data FROM concern_events
    WHERE concern_id = ANY(${ids}::uuid[]) ORDER BY concern_id, seq`.execute(q);
  for (const e of r.rows) {
    out.get(e.concern_id)!.push({ seq: e.seq, type: e.type, at: e.at, actorId: e.actor_id, byRaiser: e.by_raiser, data: e.data } as ConcernEvent);
  }
  return out;
}

/** Appends the next event; the caller holds the concern's lock (lockConcern) or has just created it. */
export async function appendEvent(tx: Transaction<DB>, concernId: string, e: Omit<ConcernEvent, 'seq'>): Promise<number> {
  const r = await sql<{ seq: number }>`INSERT INTO concern_events (concern_id, seq, type, at, actor_id, by_raiser, data)
    SELECT ${concernId}, coalesce(max(seq), 0) + 1, ${e.type}, ${e.at}, ${e.actorId}, ${e.byRaiser}, ${JSON.stringify(e.data)}::jsonb
    FROM concern_events WHERE concern_id = ${concernId} RETURNING seq`.execute(tx);
  return r.rows[0].seq;
}

/** A caller as the visibility rules need them. */
export interface Viewer {
  id: string;
  role: string;
  agencyId: string;
}

/**
 * The concerns `v` may see, each with why (policy.ts): all, or only `id`. The strongest reason comes
 * first: the raiser, then the chair, then someone accountable, then agency oversight; `involved`
 * says whether `v` is or was accountable for it, whatever the reason.
 */
export async function visibleConcerns(q: Q, v: Viewer, id?: string): Promise<{ id: string; basis: ConcernBasis; involved: boolean }[]> {
  const chair = v.role === CHAIR_ROLE;
  const agencyWide = agencyWideRoles.includes(v.role);
  const r = await sql<{ id: string; basis: ConcernBasis; involved: boolean }>`
    SELECT c.id, acc.yes AS involved, CASE
        WHEN r.practitioner_id = ${v.id} THEN 'raiser'
        WHEN ${chair} THEN 'partnership_chair'
        WHEN acc.yes THEN 'accountable'
        ELSE 'agency_oversight' END AS basis
    FROM concerns c JOIN concern_raisers r ON r.concern_id = c.id
    CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM concern_events e WHERE e.concern_id = c.id AND e.type IN ('raised', 'escalated')
      AND e.data->'accountable' @> jsonb_build_array(${v.id}::text)) AS yes) acc
    WHERE (${id ?? null}::uuid IS NULL OR c.id = ${id ?? null}::uuid)
      AND (r.practitioner_id = ${v.id} OR ${chair} OR acc.yes OR (${agencyWide} AND c.agency_id = ${v.agencyId}))
    ORDER BY c.raised_at, c.number`.execute(q);
  return r.rows;
}

export interface Person {
  id: string;
  name: string;
  role: string;
  agency: string;
}

export async function people(q: Q, ids: (string | null)[]): Promise<Map<string, Person>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (!wanted.length) return new Map();
  const r = await sql<Person>`SELECT p.id, p.display_name AS name, p.role, a.name AS agency FROM practitioners p
    JOIN agencies a ON a.id = p.agency_id WHERE p.id = ANY(${wanted}::uuid[])`.execute(q);
  return new Map(r.rows.map((p) => [p.id, p]));
}

export async function agencyById(q: Q, id: string): Promise<{ id: string; name: string; kind: string; jurisdiction: Jurisdiction } | undefined> {
  const r = await sql<{ id: string; name: string; kind: string; jurisdiction: Jurisdiction }>`SELECT id, name, kind, jurisdiction FROM agencies WHERE id = ${id}`.execute(q);
  return r.rows[0];
}

export async function isActivePractitioner(q: Q, id: string): Promise<boolean> {
  return (await sql`SELECT 1 FROM practitioners WHERE id = ${id} AND active`.execute(q)).rows.length === 1;
}

/** The agency's heads of service now: the default accountable head. */
export async function headsOfService(q: Q, agencyId: string): Promise<string[]> {
  const r = await sql<{ id: string }>`SELECT id FROM practitioners WHERE agency_id = ${agencyId} AND role = 'head_of_service' AND active ORDER BY display_name, id`.execute(q);
  return r.rows.map((x) => x.id);
}

/** Who could answer at the director and partnership stages now: the agency's directors, every independent chair. */
export async function laddersAbove(q: Q, agencyId: string): Promise<{ director: string[]; partnership: string[] }> {
  const r = await sql<{ id: string; role: string }>`SELECT id, role FROM practitioners WHERE active AND (
      (role = 'director' AND agency_id = ${agencyId}) OR role = ${CHAIR_ROLE}) ORDER BY display_name, id`.execute(q);
  return { director: r.rows.filter((p) => p.role === 'director').map((p) => p.id), partnership: r.rows.filter((p) => p.role === CHAIR_ROLE).map((p) => p.id) };
}

/** Marks a missed deadline acted on; false when it already was (a retried or duplicated timer job). */
export async function recordDeadlineAction(tx: Transaction<DB>, concernId: string, stage: Stage, code: DeadlineCode, outcome: 'escalated' | 'notified'): Promise<boolean> {
  const r = await sql`INSERT INTO concern_deadline_actions (concern_id, stage, code, outcome) VALUES (${concernId}, ${stage}, ${code}, ${outcome})
    ON CONFLICT DO NOTHING RETURNING 1`.execute(tx);
  return r.rows.length === 1;
}

/** Deadlines already acted on, so a restart does not schedule their timers again. */
export async function deadlineActions(q: Q, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const r = await sql<{ k: string }>`SELECT concern_id || '|' || stage || '|' || code AS k FROM concern_deadline_actions WHERE concern_id = ANY(${ids}::uuid[])`.execute(q);
  return new Set(r.rows.map((x) => x.k));
}

/** Concerns not yet closed. */
export async function openConcernIds(q: Q): Promise<string[]> {
  const r = await sql<{ id: string }>`SELECT c.id FROM concerns c
    WHERE NOT EXISTS (SELECT 1 FROM concern_events e WHERE e.concern_id = c.id AND e.type = 'closed') ORDER BY c.raised_at`.execute(q);
  return r.rows.map((x) => x.id);
}

/** The database's clock: what pg-boss starts jobs by. */
export async function databaseNow(q: Q): Promise<Date> {
  return (await sql<{ now: Date }>`SELECT now() AS now`.execute(q)).rows[0].now;
}
