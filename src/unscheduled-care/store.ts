import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Access, Setting } from './schemas.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface PlanFacts {
  planStart: string | null;
  /**
   * Looked after (Children Act 1989 s22): since when, from the process projection's looked-after period
   * (a care order, an interim care order or s20 accommodation, until it ceased).
   */
  lookedAfterSince: string | null;
  unborn: boolean;
  la: { name: string; office_hours_phone: string | null; out_of_hours_phone: string | null } | null;
}

/**
 * The child's open child protection plan and whether they are looked after (from the process projection), whether the child is not yet
 * born, and the responsible authority: the process's, else the allocated team's.
 */
export async function planFacts(q: Q, childId: string, now: Date): Promise<PlanFacts> {
  const r = await sql<{ plan_start: string | null; looked_after_since: string | null; unborn: boolean; name: string | null; office_hours_phone: string | null; out_of_hours_phone: string | null }>`
    SELECT (SELECT pl->>'start' FROM process_children pc, jsonb_array_elements(pc.state->'cpPlans') pl
              WHERE pc.child_id = p.id AND pl->>'end' IS NULL LIMIT 1) AS plan_start,
      (SELECT CASE WHEN pc.state->'lookedAfter' IS NOT NULL
          THEN CASE WHEN pc.state->'lookedAfter'->'ceased' IS NULL THEN pc.state->'lookedAfter'->>'since' END
          -- A projection written before looked-after periods were folded: its care order.
          WHEN pc.state->'proceedings'->>'outcome' = 'care_order' THEN pc.state->'proceedings'->>'concluded' END
        FROM process_children pc WHERE pc.child_id = p.id) AS looked_after_since,
      (p.date_of_birth IS NULL AND p.expected_date_of_birth IS NOT NULL) AS unborn,
      a.name, a.office_hours_phone, a.out_of_hours_phone
    FROM persons p
    LEFT JOIN agencies a ON a.id = COALESCE(
      (SELECT la_id FROM process_children WHERE child_id = p.id),
      (SELECT t.agency_id FROM allocations al JOIN teams t ON t.id = al.team_id
        WHERE al.child_id = p.id AND al.valid_from <= ${now} AND (al.valid_to IS NULL OR al.valid_to > ${now}) LIMIT 1))
    WHERE p.id = ${childId}`.execute(q);
  const row = r.rows[0];
  return {
    planStart: row?.plan_start ?? null,
    lookedAfterSince: row?.looked_after_since ?? null,
    unborn: !!row?.unborn,
    la: row?.name ? { name: row.name, office_hours_phone: row.office_hours_phone, out_of_hours_phone: row.out_of_hours_phone } : null,
  };
}

/** The most recent unscheduled-care checks of this child: when, where, and by which organisation. */
export async function previousChecks(q: Q, childId: string, limit = 25): Promise<Access[]> {
  const rows = await q.selectFrom('entries as e').innerJoin('agencies as a', 'a.id', 'e.author_agency_id')
    .select(['e.occurred_at', 'e.data', 'a.name']).where('e.child_id', '=', childId).where('e.kind', '=', 'unscheduled_care_check')
    .orderBy('e.seq', 'desc').limit(limit).execute();
  return rows.map((r) => ({ at: new Date(r.occurred_at).toISOString(), setting: (r.data as { setting: Setting }).setting, organisation: r.name }));
}
