import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Alert, AlertData, AlertEvent } from './alert.js';

type Q = Kysely<DB> | Transaction<DB>;

/** A child's `alert` entries, in record order; one alert's when `alertId` is given. */
export async function alertEvents(q: Q, childId: string, alertId?: string): Promise<AlertEvent[]> {
  let query = q.selectFrom('entries').select(['id', 'occurred_at', 'recorded_at', 'author_id', 'author_name', 'data'])
    .where('child_id', '=', childId).where('kind', '=', 'alert');
  if (alertId) query = query.where(sql<boolean>`data->>'alert_id' = ${alertId}`);
  const rows = await query.orderBy('seq').execute();
  return rows.map((r) => ({ entryId: r.id, at: r.occurred_at, recordedAt: r.recorded_at, authorId: r.author_id, authorName: r.author_name, data: r.data as unknown as AlertData }));
}

/** Groups a child's alert entries by alert, in the order each was raised. */
export function byAlert(events: AlertEvent[]): Map<string, AlertEvent[]> {
  const out = new Map<string, AlertEvent[]>();
  for (const e of events) out.set(e.data.alert_id, [...(out.get(e.data.alert_id) ?? []), e]);
  return out;
}

/** The open alert of this rule and pattern for the child, if any: a new hit adds to it. */
export async function openAlertFor(q: Q, childId: string, ruleId: string, patternKey: string): Promise<string | undefined> {
  const r = await sql<{ id: string }>`SELECT id FROM alerts WHERE child_id = ${childId} AND rule_id = ${ruleId} AND pattern_key = ${patternKey} AND status = 'open'`.execute(q);
  return r.rows[0]?.id;
}

/** Whether an alert of this rule and pattern was answered already (for hits that are to be answered once). */
export async function answeredAlertFor(q: Q, childId: string, ruleId: string, patternKey: string): Promise<boolean> {
  const r = await sql<{ id: string }>`SELECT id FROM alerts WHERE child_id = ${childId} AND rule_id = ${ruleId} AND pattern_key = ${patternKey} AND status = 'answered' LIMIT 1`.execute(q);
  return r.rows.length > 0;
}

/** Which child an alert is about: only to find the door to go through (no content). */
export async function alertChild(q: Q, alertId: string): Promise<string | undefined> {
  const r = await sql<{ child_id: string }>`SELECT child_id FROM alerts WHERE id = ${alertId}`.execute(q);
  return r.rows[0]?.child_id;
}

/** Everyone alerted so far may answer, and so may their line managers. */
export async function mayAnswer(q: Q, alertId: string, practitionerId: string): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`SELECT EXISTS (SELECT 1 FROM alert_recipients r JOIN practitioners p ON p.id = r.practitioner_id
    WHERE r.alert_id = ${alertId} AND (r.practitioner_id = ${practitionerId} OR p.manager_id = ${practitionerId})) AS ok`.execute(q);
  return !!r.rows[0]?.ok;
}

/** Rewrites the projection of one alert: the row, its triggering entries and who is alerted at which stage. */
export async function projectAlert(tx: Transaction<DB>, childId: string, a: Alert, answerEntryId: string | null): Promise<void> {
  const state = JSON.stringify({ trail: a.trail, answer: a.answer });
  await sql`INSERT INTO alerts (id, child_id, rule_id, rule_version_id, pattern_key, severity, reason, status, stage, raised_at, raised_entry_id, stage_since,
      stage_due_at, stage_rule_id, answered_at, answered_by, answer_kind, answer_entry_id, state)
    VALUES (${a.id}, ${childId}, ${a.ruleId}, ${a.ruleVersionId}, ${a.patternKey}, ${a.severity}, ${a.reason}, ${a.status}, ${a.stage}, ${a.raisedAt}, ${a.raisedEntryId}, ${a.stageSince},
      ${a.deadline?.escalates_at ?? null}::timestamptz, ${a.deadline?.rule_id ?? null}::uuid, ${a.answeredAt}, ${a.answeredBy}::uuid, ${a.answer?.type ?? null}, ${answerEntryId}::uuid, ${state}::jsonb)
    ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, stage = EXCLUDED.stage, stage_since = EXCLUDED.stage_since, stage_due_at = EXCLUDED.stage_due_at,
      stage_rule_id = EXCLUDED.stage_rule_id, answered_at = EXCLUDED.answered_at, answered_by = EXCLUDED.answered_by, answer_kind = EXCLUDED.answer_kind,
      answer_entry_id = coalesce(EXCLUDED.answer_entry_id, alerts.answer_entry_id), state = EXCLUDED.state`.execute(tx);
  if (a.entryIds.length) {
    await sql`INSERT INTO alert_triggers (alert_id, entry_id, child_id, added_at)
      VALUES ${sql.join(a.entryIds.map((e) => sql`(${a.id}, ${e}, ${childId}, ${a.stageSince})`))} ON CONFLICT DO NOTHING`.execute(tx);
  }
  if (a.recipients.length) {
    await sql`INSERT INTO alert_recipients (alert_id, practitioner_id, child_id, stage)
      VALUES ${sql.join(a.recipients.map((r) => sql`(${a.id}, ${r.id}, ${childId}, ${r.stage})`))} ON CONFLICT DO NOTHING`.execute(tx);
  }
}

export interface TriggerEntry { id: string; kind: string; occurred_at: Date; author_name: string; agency_name: string; agency_kind: string; narrative: string }

/** The triggering entries named by id, with the agency that wrote each (read inside the door). */
export async function triggerEntries(q: Q, childId: string, ids: string[]): Promise<Map<string, TriggerEntry>> {
  if (!ids.length) return new Map();
  const rows = await q.selectFrom('entries as e').innerJoin('agencies as a', 'a.id', 'e.author_agency_id')
    .select(['e.id', 'e.kind', 'e.occurred_at', 'e.author_name', 'e.narrative', 'a.name as agency_name', 'a.kind as agency_kind'])
    .where('e.child_id', '=', childId).where('e.id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** The display names of practitioners (alerted people, answerers, action owners). */
export async function namesOf(q: Q, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (!wanted.length) return new Map();
  const rows = await q.selectFrom('practitioners').select(['id', 'display_name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** The names of the rule versions that raised alerts (signal_rules, migration 0023). */
export async function ruleNames(q: Q, versionIds: string[]): Promise<Map<string, string>> {
  if (!versionIds.length) return new Map();
  const r = await sql<{ id: string; name: string }>`SELECT id::text AS id, name FROM signal_rules WHERE id::text IN (${sql.join(versionIds)})`.execute(q);
  return new Map(r.rows.map((x) => [x.id, x.name]));
}

/** Open alerts past their stage deadline: what the catch-up of the escalation timers enqueues. */
export async function openAlertDeadlines(q: Q): Promise<{ id: string; child_id: string; stage: number; stage_due_at: Date }[]> {
  const r = await sql<{ id: string; child_id: string; stage: number; stage_due_at: Date }>`SELECT id, child_id, stage, stage_due_at FROM alerts
    WHERE status = 'open' AND stage < 3 AND stage_due_at IS NOT NULL`.execute(q);
  return r.rows;
}
