import { randomUUID } from 'node:crypto';
import { formatDate, londonParts } from '../web/dates.js';
import type { PlanActionView } from './plan-actions.js';

const tags = {
  overdue: { text: 'Overdue', classes: 'govuk-tag--red' },
  open: { text: 'Open', classes: 'govuk-tag--blue' },
  done: { text: 'Done', classes: 'govuk-tag--green' },
  no_longer_needed: { text: 'No longer needed', classes: 'govuk-tag--grey' },
  closed: { text: 'Case closed', classes: 'govuk-tag--grey' },
};

/**
 * The "Plan actions" rows of the child's page: open ones first (overdue first), each with who does
 * it and by when, and for an open one what the quick "mark done" form sends (the plan_action_update
 * step's own form fields, dated today, so its errors show on that step's form).
 */
export function planActionRows(actions: PlanActionView[], names: Map<string, string>, now: Date) {
  const today = londonParts(now);
  return actions.map((a) => ({
    id: a.id,
    what: a.what,
    who: a.practitioner_id ? names.get(a.practitioner_id) ?? 'A practitioner' : a.name ?? 'No one named',
    by: formatDate(a.due_on),
    tag: tags[a.overdue ? 'overdue' : a.status],
    open: a.status === 'open',
    notDone: a.not_done ? `Not done (${formatDate(a.not_done.on)})${a.not_done.reason ? `: ${a.not_done.reason}` : ''}` : null,
    markDone: a.status === 'open'
      ? { action_id: a.id, outcome: 'done', 'occurred-day': String(Number(today.day)), 'occurred-month': String(Number(today.month)), 'occurred-year': today.year, _at: now.toISOString(), _idem: randomUUID() }
      : null,
  }));
}
