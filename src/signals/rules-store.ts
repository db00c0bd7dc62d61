import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { SignalRule } from './rules.js';

type Q = Kysely<DB> | Transaction<DB>;

const columns = sql`id, rule_id, name, description, source, status, severity, recipients, parameters, local_parameters, enabled,
  jurisdiction, locality, effective_from, recorded_at, recorded_by, change_reason`;

/** Every version of every red-flag rule (a small table: a dozen rows per rule at most). */
export async function loadSignalRules(q: Q): Promise<SignalRule[]> {
  const r = await sql<SignalRule>`SELECT ${columns} FROM signal_rules ORDER BY rule_id, effective_from`.execute(q);
  return r.rows.map(asRule);
}

export type NewVersion = Omit<SignalRule, 'id' | 'recorded_at'>;

/** A new version: rows are never changed (migration 0023 refuses UPDATE and DELETE). */
export async function insertSignalRule(q: Q, v: NewVersion): Promise<SignalRule> {
  const r = await sql<SignalRule>`
    INSERT INTO signal_rules (rule_id, name, description, source, status, severity, recipients, parameters, local_parameters, enabled,
      jurisdiction, locality, effective_from, recorded_by, change_reason)
    VALUES (${v.rule_id}, ${v.name}, ${v.description}, ${v.source}, ${v.status}, ${v.severity}, ${sql.val(v.recipients)}::text[],
      ${JSON.stringify(v.parameters)}::jsonb, ${sql.val(v.local_parameters)}::text[], ${v.enabled}, ${v.jurisdiction}, ${v.locality},
      ${v.effective_from}, ${v.recorded_by}, ${v.change_reason})
    RETURNING ${columns}`.execute(q);
  return asRule(r.rows[0]);
}

/** Children the absence rules look at: on a child protection plan, or with a deadline still open. */
export async function childrenDueForSchedule(q: Q, now: Date): Promise<string[]> {
  const r = await sql<{ child_id: string }>`
    SELECT child_id FROM process_clocks WHERE completed_at IS NULL AND cancelled_at IS NULL AND overdue_at <= ${now}
    UNION SELECT child_id FROM process_children WHERE stage = 'Child protection plan'
    ORDER BY child_id`.execute(q);
  return r.rows.map((x) => x.child_id);
}

const asRule = (r: SignalRule): SignalRule => ({
  ...r,
  parameters: typeof r.parameters === 'string' ? JSON.parse(r.parameters) : r.parameters,
  recipients: [...r.recipients],
  local_parameters: [...r.local_parameters],
  effective_from: new Date(r.effective_from),
  recorded_at: new Date(r.recorded_at),
});
