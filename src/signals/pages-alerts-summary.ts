import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import { dueText } from '../decisions/entry-text.js';
import { formatDateTime } from '../web/dates.js';
import { answerText } from './alert.js';
import { myAlerts } from './alert-reads.js';
import type { AlertView } from './alert-views.js';
import type { Severity } from './hit.js';

export const severityTags: Record<Severity, { text: string; classes: string }> = {
  urgent: { text: 'Urgent', classes: 'govuk-tag--red' },
  high: { text: 'High', classes: 'govuk-tag--orange' },
  medium: { text: 'Medium', classes: 'govuk-tag--yellow' },
};

const kindWords: Record<string, string> = {
  injury: 'Injury', hospital_attendance: 'Hospital attendance', health_appointment: 'Health appointment', police_incident: 'Police incident',
  school_concern: 'School concern', home_visit: 'Home visit', contact_referral: 'Contact or referral', case_note: 'Case note',
  unscheduled_care_check: 'Unscheduled-care check', process_step: 'Process step', adult_check: 'Check on an adult', correspondence: 'Correspondence',
};

/** One alert as the child's page and the alert's page show it; `from` labels an alert on a record merged into the child. */
export function alertItem(a: AlertView, from: string | null = null) {
  return {
    id: a.id, from, href: `/alerts/${a.id}`, rule: `${a.rule_name} (${a.rule_id})`, reason: a.reason, severity: severityTags[a.severity], stage: a.stage_name,
    raised: formatDateTime(a.raised_at), open: a.status === 'open',
    due: a.status === 'open' ? (a.deadline ? `${dueText(a.deadline.escalates_at)}${a.overdue ? ' (overdue)' : ''}` : 'No further escalation') : null,
    overdue: a.overdue,
    alerted: a.alerted.map((p) => p.name).join('; ') + (a.front_door ? ' (front door: no one is allocated)' : ''),
    answer: a.answer ? `${answerText(a.answer)}${a.answered_by ? `, by ${a.answered_by.name}` : ''}${a.answered_at ? ` on ${formatDateTime(a.answered_at)}` : ''}` : null,
    triggers: a.triggering_entries.map((e) => ({
      href: e.href, text: `${kindWords[e.kind ?? ''] ?? e.kind ?? 'Entry'}${e.occurred_at ? `, ${formatDateTime(e.occurred_at)}` : ''}`,
      by: [e.author_name, e.agency_name].filter(Boolean).join(', '),
    })),
    trail: a.trail.map((t) => ({ at: formatDateTime(t.at), by: t.by, text: t.text })),
  };
}

/** The "Alerts" section of the child's page, read through the door: open first, then most severe, overdue, oldest. */
export async function alertsSection(alerts: { list(actor: Actor, childId: string): Promise<AlertView[]> }, actor: Actor, childId: string, mergedLabels: Map<string, string> = new Map()) {
  const items = (await alerts.list(actor, childId)).map((a) => alertItem(a, mergedLabels.get(a.child_id) ?? null));
  return { open: items.filter((i) => i.open), answered: items.filter((i) => !i.open) };
}

/** "Alerts for you" on /deadlines, beside the due steps and disagreements: most severe first, then overdue, then oldest. */
export async function alertWorklist(db: Kysely<DB>, me: { id: string }, now: Date) {
  return (await myAlerts(db, me, now)).map((r) => ({
    href: `/alerts/${r.id}`, childHref: `/children/${r.open_as}#alerts`, childName: r.child_name, rule: r.rule_id, reason: r.reason,
    severity: severityTags[r.severity], stage: r.stage, part: r.alerted ? 'You are alerted' : 'Someone you manage is alerted',
    due: r.due_at ? dueText(r.due_at) : 'No further escalation', overdue: r.overdue,
  }));
}
