import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { ProcessState } from '../process/state.js';
import { processFacts, type FactEntry, type FactRelationship, type Facts, type LinkedAdult } from './facts.js';
import type { RulePlace } from './rules.js';

type Q = Kysely<DB> | Transaction<DB>;

/** The kinds the rules read; other entries are loaded only when they name people (R6). */
export const factKinds = ['injury', 'hospital_attendance', 'unscheduled_care_check', 'health_appointment', 'home_visit', 'process_step', 'adult_check'];

interface ChildRow { dob: string | null; edob: string | null; la_id: string | null; jurisdiction: string | null; state: ProcessState | null }

/**
 * The child's dates, the authority whose rules apply (the allocated team's, else the process's) and
 * the projected process (process_children.state, rewritten in the same transaction as each step).
 */
async function childRow(q: Q, childId: string, now: Date): Promise<ChildRow | undefined> {
  const r = await sql<ChildRow>`
    SELECT to_char(p.date_of_birth, 'YYYY-MM-DD') AS dob, to_char(p.expected_date_of_birth, 'YYYY-MM-DD') AS edob,
      la.id AS la_id, coalesce(la.jurisdiction, pc.jurisdiction) AS jurisdiction, pc.state
    FROM persons p
    LEFT JOIN process_children pc ON pc.child_id = p.id
    LEFT JOIN LATERAL (
      SELECT a.id, a.jurisdiction FROM (
        SELECT t.agency_id AS id, 1 AS rank FROM allocations al JOIN teams t ON t.id = al.team_id
          WHERE al.child_id = p.id AND al.valid_from <= ${now} AND (al.valid_to IS NULL OR al.valid_to > ${now})
        UNION ALL SELECT pc.la_id, 2 WHERE pc.la_id IS NOT NULL
      ) c JOIN agencies a ON a.id = c.id AND a.kind = 'local_authority' ORDER BY c.rank LIMIT 1
    ) la ON true
    WHERE p.id = ${childId} AND p.kind = 'child'`.execute(q);
  return r.rows[0];
}

/**
 * The entries the rules read, in record order, with their agency (no narrative: the rules never read prose).
 * With `since`, only what the rules can look at: entries from then on, and whatever their whole history
 * the rules read: injuries and their corrections (R1-R3 medical causes, R11 from any earlier injury),
 * checks on adults and entries naming people (R6, R11), visits that saw the child alone or the baby awake and undressed
 * (R8, since the plan began).
 * R10 reads the projected process, not entries. Without `since` (a trial), the whole record.
 */
export async function factEntries(q: Q, childId: string, since?: Date): Promise<FactEntry[]> {
  const bounded = since
    ? sql`AND (e.occurred_at >= ${since} OR e.kind IN ('injury', 'adult_check') OR cardinality(e.concerns) > 0
        OR (e.kind = 'home_visit' AND (e.data->>'child_seen_alone' = 'true'
          OR (e.data->>'baby_seen_awake' = 'true' AND e.data->>'baby_seen_undressed' = 'true'))))`
    : sql``;
  const r = await sql<FactEntry>`
    SELECT e.id, e.seq, e.kind, e.occurred_at, e.recorded_at, e.data, e.concerns, e.supersedes_id, e.author_name,
      e.author_agency_id AS agency_id, a.name AS agency_name, a.kind AS agency_kind
    FROM entries e JOIN agencies a ON a.id = e.author_agency_id
    WHERE e.child_id = ${childId} AND (e.kind IN (${sql.join(factKinds)}) OR cardinality(e.concerns) > 0) ${bounded}
    ORDER BY e.seq`.execute(q);
  return r.rows.map((e) => ({ ...e, occurred_at: new Date(e.occurred_at), recorded_at: new Date(e.recorded_at), concerns: (e.concerns ?? []).map(String) }));
}

interface AdultRow { person_id: string; name: string; sex: string; same_address_since: string | null }
interface RelRow extends FactRelationship { person_id: string }

/**
 * Adults linked to the child: by a relationship, by being named in an entry, or by living at the
 * child's current address (same first line and postcode). Two queries whatever their number.
 */
export async function linkedAdults(q: Q, childId: string): Promise<LinkedAdult[]> {
  const people = await sql<AdultRow>`
    WITH home AS (SELECT line1, postcode FROM person_addresses WHERE person_id = ${childId} AND valid_to IS NULL),
    linked AS (
      SELECT other_person_id AS id FROM relationships WHERE child_id = ${childId}
      UNION SELECT unnest(concerns) FROM entries WHERE child_id = ${childId} AND cardinality(concerns) > 0
      UNION SELECT pa.person_id FROM person_addresses pa JOIN home h ON pa.postcode = h.postcode AND lower(pa.line1) = lower(h.line1)
        WHERE pa.valid_to IS NULL AND pa.person_id <> ${childId}
    )
    SELECT p.id AS person_id, p.sex,
      coalesce((SELECT n.given_name || ' ' || n.family_name FROM person_names n WHERE n.person_id = p.id AND n.name_type = 'legal'
        ORDER BY n.valid_to DESC NULLS FIRST, n.recorded_at DESC LIMIT 1), 'Name not recorded') AS name,
      (SELECT to_char(min(pa.valid_from), 'YYYY-MM-DD') FROM person_addresses pa JOIN home h ON pa.postcode = h.postcode AND lower(pa.line1) = lower(h.line1)
        WHERE pa.person_id = p.id AND pa.valid_to IS NULL) AS same_address_since
    FROM persons p JOIN linked l ON l.id = p.id WHERE p.kind = 'adult'`.execute(q);
  if (!people.rows.length) return [];
  const rels = await sql<RelRow>`
    SELECT r.id, r.other_person_id AS person_id, r.kind, r.lives_with_child, to_char(r.valid_from, 'YYYY-MM-DD') AS valid_from,
      to_char(r.valid_to, 'YYYY-MM-DD') AS valid_to, r.recorded_at, a.name AS agency_name
    FROM relationships r LEFT JOIN practitioners pr ON pr.id = r.recorded_by LEFT JOIN agencies a ON a.id = pr.agency_id
    WHERE r.child_id = ${childId} ORDER BY r.recorded_at`.execute(q);
  return people.rows.map((p) => ({
    ...p,
    relationships: rels.rows.filter((r) => r.person_id === p.person_id).map(({ person_id: _, ...r }) => ({ ...r, recorded_at: new Date(r.recorded_at) })),
  }));
}

/** Adults whose current address is the child's current address (same first line and postcode). */
export async function adultsAtAddress(q: Q, childId: string): Promise<string[]> {
  const r = await sql<{ id: string }>`
    SELECT DISTINCT pa.person_id AS id FROM person_addresses pa
    JOIN person_addresses h ON h.person_id = ${childId} AND h.valid_to IS NULL AND pa.postcode = h.postcode AND lower(pa.line1) = lower(h.line1)
    JOIN persons p ON p.id = pa.person_id AND p.kind = 'adult'
    WHERE pa.valid_to IS NULL`.execute(q);
  return r.rows.map((x) => x.id);
}

const DAY = 86_400_000;

/**
 * From when the windowed rules can look back: the longest window of any stored version of R4, R5 or
 * R7 (two days' slack for London dates), before the earlier of `now` and the oldest entry just
 * recorded (a backdated entry's window runs back from when it happened). The entries just recorded
 * are the child's newest, back to an hour before the newest was recorded, found walking back by seq.
 */
export async function lookBackFrom(q: Q, childId: string, now: Date): Promise<Date> {
  const r = await sql<{ anchor: string | Date | null; days: number }>`
    WITH RECURSIVE recent AS (
      (SELECT seq, occurred_at, recorded_at AS newest FROM entries WHERE child_id = ${childId} ORDER BY seq DESC LIMIT 1)
      UNION ALL
      SELECT e.seq, e.occurred_at, r.newest FROM recent r JOIN entries e ON e.child_id = ${childId} AND e.seq = r.seq - 1
        WHERE e.recorded_at >= r.newest - interval '1 hour'
    )
    SELECT (SELECT min(occurred_at) FROM recent) AS anchor, coalesce((SELECT max(d) FROM (
      SELECT (parameters->>'window_days')::int AS d FROM signal_rules WHERE rule_id IN ('R4', 'R7')
      UNION ALL SELECT (parameters->>'cin_window_months')::int * 31 FROM signal_rules WHERE rule_id = 'R5') w), 0)::int AS days`.execute(q);
  const { anchor, days } = r.rows[0];
  const from = anchor && new Date(anchor) < now ? new Date(anchor) : now;
  return new Date(from.getTime() - (Number(days) + 2) * DAY);
}

export interface LoadedFacts {
  facts: Facts;
  place: RulePlace;
}

/**
 * Everything the rules read about one child now, inside the caller's transaction: three indexed
 * queries (the entries only as far back as the rules look), and two more for the adults around the
 * child when a rule about them is listening.
 */
export async function loadFacts(q: Q, childId: string, now: Date, withAdults = true): Promise<LoadedFacts | undefined> {
  const child = await childRow(q, childId, now);
  if (!child) return undefined;
  const [entries, adults] = [await factEntries(q, childId, await lookBackFrom(q, childId, now)), withAdults ? await linkedAdults(q, childId) : []];
  return {
    place: { locality: child.la_id, jurisdiction: child.jurisdiction ?? 'england' },
    facts: {
      childId, dateOfBirth: child.dob, expectedDateOfBirth: child.edob, entries, adults, asOf: now,
      process: processFacts(child.state ?? undefined),
    },
  };
}

/** Where a child's rules come from, without loading the rest. */
export async function placeOf(q: Q, childId: string, now: Date): Promise<(RulePlace & { dob: string | null; edob: string | null }) | undefined> {
  const child = await childRow(q, childId, now);
  return child && { locality: child.la_id, jurisdiction: child.jurisdiction ?? 'england', dob: child.dob, edob: child.edob };
}
