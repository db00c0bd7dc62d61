import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { londonDate, type IsoDate } from './dates.js';
import type { Jurisdiction } from './rules.js';
import { stageOf, type Clock, type ProcessEvent, type ProcessState } from './state.js';
import type { StepName } from './steps.js';

type Q = Kysely<DB> | Transaction<DB>;

/** How long before a deadline it counts as due soon: days for dated steps, hours for the hours ones. */
export const DUE_SOON = { days: 3, hours: 12 };

/** The child's process events in record order: process steps, and home visits (the plan's visit clock). */
export async function processEvents(q: Q, childId: string): Promise<ProcessEvent[]> {
  const rows = await q
    .selectFrom('entries')
    .select(['id', 'kind', 'occurred_at', 'data', 'author_id', 'author_agency_id'])
    .where('child_id', '=', childId)
    .where('kind', 'in', ['process_step', 'home_visit'])
    .orderBy('seq')
    .execute();
  return rows.map((r) => toEvent(r as EventRow));
}

interface EventRow { id: string; kind: string; occurred_at: Date; data: unknown; author_id: string | null; author_agency_id: string }

export function toEvent(r: EventRow): ProcessEvent {
  const data = r.data as Record<string, unknown>;
  const base = { id: r.id, at: r.occurred_at, date: londonDate(r.occurred_at), authorId: r.author_id, agencyId: r.author_agency_id };
  if (r.kind === 'home_visit') return { type: 'visit', ...base, childSeen: data.child_seen === true, seenAlone: data.child_seen_alone === true };
  return { type: 'step', ...base, step: data.step as StepName, data };
}

/** Holds the child's chain head until commit, so two steps for one child are checked one after the other. */
export async function lockChild(tx: Transaction<DB>, childId: string): Promise<void> {
  await tx.selectFrom('chain_heads').select('child_id').where('child_id', '=', childId).forUpdate().execute();
}

export async function childDates(q: Q, childId: string): Promise<{ dateOfBirth: IsoDate | null; expectedDateOfBirth: IsoDate | null }> {
  const r = await sql<{ dob: string | null; edob: string | null }>`
    SELECT to_char(date_of_birth, 'YYYY-MM-DD') AS dob, to_char(expected_date_of_birth, 'YYYY-MM-DD') AS edob FROM persons WHERE id = ${childId}`.execute(q);
  return { dateOfBirth: r.rows[0]?.dob ?? null, expectedDateOfBirth: r.rows[0]?.edob ?? null };
}

export async function practitionerFacts(q: Q, ids: string[]) {
  if (!ids.length) return new Map<string, { qualifiedSocialWorker: boolean; agencyKind: string; active: boolean }>();
  const rows = await q
    .selectFrom('practitioners as p')
    .innerJoin('agencies as a', 'a.id', 'p.agency_id')
    .select(['p.id', 'p.qualified_social_worker', 'p.active', 'a.kind'])
    .where('p.id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, { qualifiedSocialWorker: r.qualified_social_worker, agencyKind: r.kind, active: r.active }]));
}

/**
 * The local authority whose process this is, and so whose rules apply: the allocated team's
 * authority, else the recording practitioner's own when it is one, else the last episode's.
 */
export async function responsibleAuthority(q: Q, childId: string, recorderAgencyId: string, now: Date): Promise<{ laId: string | null; jurisdiction: Jurisdiction }> {
  const r = await sql<{ id: string; jurisdiction: Jurisdiction }>`
    SELECT a.id, a.jurisdiction FROM (
      SELECT t.agency_id AS id, 1 AS rank FROM allocations al JOIN teams t ON t.id = al.team_id
        WHERE al.child_id = ${childId} AND al.valid_from <= ${now} AND (al.valid_to IS NULL OR al.valid_to > ${now})
      UNION ALL SELECT ${recorderAgencyId}::uuid, 2
      UNION ALL SELECT la_id, 3 FROM process_children WHERE child_id = ${childId}
    ) c JOIN agencies a ON a.id = c.id AND a.kind = 'local_authority'
    ORDER BY c.rank LIMIT 1`.execute(q);
  const la = r.rows[0];
  if (la) return { laId: la.id, jurisdiction: la.jurisdiction };
  const own = await q.selectFrom('agencies').select('jurisdiction').where('id', '=', recorderAgencyId).executeTakeFirst();
  return { laId: null, jurisdiction: (own?.jurisdiction ?? 'england') as Jurisdiction };
}

const dueSoonAt = (c: Clock) => new Date(c.due.overdueAt.getTime() - (c.due.unit === 'hours' ? DUE_SOON.hours * 3_600_000 : DUE_SOON.days * 86_400_000));

/** Rewrites the child's projection from their folded process (one statement per table). */
export async function project(tx: Transaction<DB>, childId: string, s: ProcessState, laId: string | null, jurisdiction: Jurisdiction): Promise<void> {
  await sql`INSERT INTO process_children (child_id, la_id, jurisdiction, stage, state, updated_at)
    VALUES (${childId}, ${laId}, ${jurisdiction}, ${stageOf(s)}, ${JSON.stringify(s)}::jsonb, now())
    ON CONFLICT (child_id) DO UPDATE SET la_id = EXCLUDED.la_id, jurisdiction = EXCLUDED.jurisdiction, stage = EXCLUDED.stage, state = EXCLUDED.state, updated_at = now()`.execute(tx);
  if (s.episodes.length) {
    await sql`INSERT INTO process_episodes (id, child_id, la_id, referral_date, referral_source, primary_need, closed_on, closure_reason, referral_nfa)
      VALUES ${sql.join(s.episodes.map((e) => sql`(${e.id}, ${childId}, ${laId}, ${e.referralDate}::date, ${e.referralSource}, ${e.primaryNeed}, ${e.closed?.on ?? null}::date, ${e.closed?.reason ?? null}, ${e.closed?.referralNfa ?? false})`))}
      ON CONFLICT (id) DO UPDATE SET closed_on = EXCLUDED.closed_on, closure_reason = EXCLUDED.closure_reason, referral_nfa = EXCLUDED.referral_nfa, la_id = COALESCE(process_episodes.la_id, EXCLUDED.la_id)`.execute(tx);
  }
  if (!s.clocks.length) return;
  const rows = clockRows(childId, laId, s.clocks);
  await sql`INSERT INTO process_clocks (child_id, key, episode_id, la_id, code, label, rule_id, trigger_entry_id, trigger_at, due_on, due_at, overdue_at, due_soon_at,
      convention, also_for, author_id, completed_entry_id, completed_at, late, late_reason, cancelled_at)
    VALUES ${sql.join(rows.map((r) => sql`(${r.child_id}, ${r.key}, ${r.episode_id}, ${r.la_id}, ${r.code}, ${r.label}, ${r.rule_id}, ${r.trigger_entry_id}, ${r.trigger_at},
      ${r.due_on}::date, ${r.due_at}, ${r.overdue_at}, ${r.due_soon_at}, ${r.convention}, ${r.also_for}, ${r.author_id},
      ${r.completed_entry_id}, ${r.completed_at}, ${r.late}, ${r.late_reason}, ${r.cancelled_at})`))}
    ON CONFLICT (child_id, key) DO UPDATE SET la_id = EXCLUDED.la_id, completed_entry_id = EXCLUDED.completed_entry_id, completed_at = EXCLUDED.completed_at,
      late = EXCLUDED.late, late_reason = EXCLUDED.late_reason, cancelled_at = EXCLUDED.cancelled_at`.execute(tx);
}

/** The projection's row for each clock (process_clocks' columns). */
export function clockRows(childId: string, laId: string | null, clocks: Clock[]) {
  return clocks.map((c) => ({
    child_id: childId, key: c.key, episode_id: c.episodeId, la_id: laId, code: c.code, label: c.label, rule_id: c.due.ruleId,
    trigger_entry_id: c.triggerEntryId, trigger_at: c.triggerAt, due_on: c.due.dueOn, due_at: c.due.dueAt, overdue_at: c.due.overdueAt,
    due_soon_at: dueSoonAt(c), convention: c.due.convention, also_for: c.alsoFor ?? null, author_id: c.authorId ?? null,
    completed_entry_id: c.completedEntryId ?? null, completed_at: c.completedAt ?? null, late: c.late ?? null, late_reason: c.lateReason ?? null,
    cancelled_at: c.cancelledAt ?? null,
  }));
}

/** Whether the person is recorded as related to the child today (a safety plan's monitor must be). */
export async function isRelatedNow(q: Q, childId: string, personId: string, today: IsoDate): Promise<boolean> {
  const r = await sql<{ ok: number }>`SELECT 1 AS ok FROM relationships WHERE child_id = ${childId} AND other_person_id = ${personId}
    AND valid_from <= ${today}::date AND (valid_to IS NULL OR valid_to > ${today}::date) LIMIT 1`.execute(q);
  return r.rows.length > 0;
}

/** Where a child's process was last projected: its authority and jurisdiction, if it has one. */
export async function projectedPlace(q: Q, childId: string): Promise<{ laId: string | null; jurisdiction: Jurisdiction } | undefined> {
  const r = await sql<{ la_id: string | null; jurisdiction: Jurisdiction }>`SELECT la_id, jurisdiction FROM process_children WHERE child_id = ${childId}`.execute(q);
  return r.rows[0] ? { laId: r.rows[0].la_id, jurisdiction: r.rows[0].jurisdiction } : undefined;
}
