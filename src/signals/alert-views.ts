import { alertStageNames, isOverdue, type Alert } from './alert.js';
import type { TriggerEntry } from './alert-store.js';
import { severityRank } from './hit.js';

/**
 * An alert as the API and pages show it: the rule, the reason, the triggering entries, where it stands.
 * `child_id` is the record it is on; `read_through` the child whose record it was read in (the survivor,
 * for a record merged into another), whose page its links open.
 */
export function alertView(a: Alert, childId: string, now: Date, triggers: Map<string, TriggerEntry>, names: Map<string, string>, ruleName: string, readThrough = childId) {
  return {
    id: a.id,
    child_id: childId,
    read_through: readThrough,
    rule_id: a.ruleId,
    rule_version_id: a.ruleVersionId,
    rule_name: ruleName,
    pattern_key: a.patternKey,
    severity: a.severity,
    reason: a.reason,
    status: a.status,
    stage: a.stage,
    stage_name: alertStageNames[a.stage],
    raised_at: a.raisedAt.toISOString(),
    stage_since: a.stageSince.toISOString(),
    deadline: a.status === 'open' ? a.deadline : null,
    overdue: isOverdue(a, now),
    front_door: a.frontDoor,
    alerted: a.recipients.map((r) => ({ practitioner_id: r.id, name: names.get(r.id) ?? 'Unknown', stage: r.stage })),
    triggering_entries: a.entryIds.map((id) => {
      const e = triggers.get(id);
      return {
        id, href: `/children/${readThrough}#entry-${id}`, kind: e?.kind ?? null, occurred_at: e?.occurred_at.toISOString() ?? null,
        author_name: e?.author_name ?? null, agency_name: e?.agency_name ?? null, narrative: e?.narrative ?? null,
      };
    }),
    answer: a.answer,
    answered_at: a.answeredAt?.toISOString() ?? null,
    answered_by: a.answeredBy ? { id: a.answeredBy, name: names.get(a.answeredBy) ?? 'Unknown' } : null,
    trail: a.trail.map((t) => ({ entry_id: t.entryId, at: t.at.toISOString(), by: t.by, by_id: t.byId, action: t.action, stage: t.stage, text: t.text })),
  };
}
export type AlertView = ReturnType<typeof alertView>;

/** Open first; then most severe, overdue, oldest (the work list's order, issue 6 part 3). */
export function byPriority(a: Pick<AlertView, 'status' | 'severity' | 'overdue' | 'raised_at'>, b: typeof a): number {
  return Number(a.status !== 'open') - Number(b.status !== 'open') || severityRank[a.severity] - severityRank[b.severity]
    || Number(b.overdue) - Number(a.overdue) || a.raised_at.localeCompare(b.raised_at);
}
