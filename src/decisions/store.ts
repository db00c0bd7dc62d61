import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Disagreement, DisagreementData, DisagreementEvent } from './disagreement.js';
import { mergedIntoThis } from '../person-index/group.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface EntryRow { id: string; occurred_at: Date; author_id: string | null; author_name: string; author_role: string; author_agency_id: string; data: Record<string, unknown> }

/** A child's entries of one kind, in record order. */
export async function entriesOfKind(q: Q, childId: string, kind: 'decision' | 'disagreement'): Promise<EntryRow[]> {
  const rows = await q.selectFrom('entries').select(['id', 'occurred_at', 'author_id', 'author_name', 'author_role', 'author_agency_id', 'data'])
    .where('child_id', '=', childId).where('kind', '=', kind).orderBy('seq').execute();
  return rows as EntryRow[];
}

/**
 * The record a decision is on: the child's own chain, or a record merged into the child now (a merge
 * moves nothing, so what is said about the decision goes on its chain and stays with it after an
 * unmerge). Anything else is looked for on the child's own chain, and not found there.
 */
export async function decisionRecord(q: Q, childId: string, decisionId: string): Promise<string> {
  const merged = await mergedIntoThis(q, childId);
  if (!merged.length) return childId;
  const row = await q.selectFrom('entries').select('child_id').where('id', '=', decisionId).where('kind', '=', 'decision').executeTakeFirst();
  return row && merged.includes(row.child_id) ? row.child_id : childId;
}

export function disagreementEvents(rows: EntryRow[], id: string): DisagreementEvent[] {
  return rows.filter((r) => r.data.disagreement_id === id)
    .map((r) => ({ entryId: r.id, at: r.occurred_at, authorId: r.author_id, authorName: r.author_name, data: r.data as unknown as DisagreementData }));
}

export interface PractitionerFacts { id: string; name: string; role: string; agencyId: string; agencyKind: string; managerId: string | null; active: boolean }

export async function practitioners(q: Q, ids: (string | null)[]): Promise<Map<string, PractitionerFacts>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (!wanted.length) return new Map();
  const rows = await q.selectFrom('practitioners as p').innerJoin('agencies as a', 'a.id', 'p.agency_id')
    .select(['p.id', 'p.display_name', 'p.role', 'p.agency_id', 'a.kind', 'p.manager_id', 'p.active']).where('p.id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.display_name, role: r.role, agencyId: r.agency_id, agencyKind: r.kind, managerId: r.manager_id, active: r.active }]));
}

/** Active practitioners of `roles` in an agency (heads of service, designated leads), or anywhere for the partnership. */
export async function holdersOf(q: Q, roles: string[], agencyId: string | null): Promise<string[]> {
  let query = q.selectFrom('practitioners').select('id').where('role', 'in', roles).where('active', '=', true);
  if (agencyId) query = query.where('agency_id', '=', agencyId);
  return (await query.orderBy('id').execute()).map((r) => r.id);
}

/** Rewrites the projection of one disagreement and who takes part in it now. */
export async function projectDisagreement(tx: Transaction<DB>, childId: string, d: Disagreement, laId: string | null, parties: { id: string; part: 'raiser' | 'respondent' | 'responder' | 'told' }[]): Promise<void> {
  const state = JSON.stringify({ trail: d.trail });
  await sql`INSERT INTO disagreements (id, child_id, decision_entry_id, raiser_id, respondent_id, matter, urgent, stage, status, opened_at, stage_since, stage_due_at, stage_rule_id, closed_at, outcome, la_id, state)
    VALUES (${d.id}, ${childId}, ${d.decisionId}, ${d.raiserId}, ${d.respondentId}, ${d.matter}, ${d.urgent}, ${d.stage}, ${d.status}, ${d.openedAt}, ${d.stageSince},
      ${d.deadline?.escalates_at ?? null}::timestamptz, ${d.deadline?.rule_id ?? null}::uuid, ${d.closedAt}, ${d.outcome}, ${laId}, ${state}::jsonb)
    ON CONFLICT (id) DO UPDATE SET stage = EXCLUDED.stage, status = EXCLUDED.status, stage_since = EXCLUDED.stage_since, stage_due_at = EXCLUDED.stage_due_at,
      stage_rule_id = EXCLUDED.stage_rule_id, closed_at = EXCLUDED.closed_at, outcome = EXCLUDED.outcome, state = EXCLUDED.state`.execute(tx);
  await sql`DELETE FROM disagreement_parties WHERE disagreement_id = ${d.id}`.execute(tx);
  const unique = [...new Map(parties.map((p) => [`${p.id}:${p.part}`, p])).values()];
  if (unique.length) {
    await sql`INSERT INTO disagreement_parties (disagreement_id, practitioner_id, child_id, part)
      VALUES ${sql.join(unique.map((p) => sql`(${d.id}, ${p.id}, ${childId}, ${p.part})`))}`.execute(tx);
  }
}

/** Open disagreements about decisions, so a decision can be shown as disputed. */
export async function disputedDecisions(q: Q, childId: string): Promise<Set<string>> {
  const rows = await sql<{ id: string }>`SELECT decision_entry_id AS id FROM disagreements WHERE child_id = ${childId} AND status <> 'closed' AND decision_entry_id IS NOT NULL`.execute(q);
  return new Set(rows.rows.map((r) => r.id));
}

/** The disagreements past their stage deadline and not answered: what the escalation timers act on. */
export async function overdueDisagreements(q: Q, now: Date): Promise<{ id: string; child_id: string; stage: number; stage_due_at: Date }[]> {
  const rows = await sql<{ id: string; child_id: string; stage: number; stage_due_at: Date }>`SELECT id, child_id, stage, stage_due_at FROM disagreements
    WHERE status = 'awaiting_response' AND stage_due_at <= ${now} AND stage < 4 ORDER BY stage_due_at`.execute(q);
  return rows.rows;
}
