import type { WorkingCalendar } from '../process/calendar.js';
import { addDays, fromLondonLocal, londonDate, londonIso } from '../process/dates.js';
import { dueFor } from '../process/due.js';
import { selectRule, type Jurisdiction, type TimescaleRule } from '../process/rules.js';
import { deadlineCodes, type Deadline } from './machine.js';

/**
 * A stage's deadlines from the rules in force on the day it started (WB1 acknowledge, WB2 action
 * plan; the local authority's own where it set one). A rule missing from the database gives no
 * deadline rather than a made-up one. Pure: the caller loads the rules and the calendar.
 */
export function stageDeadlines(rules: TimescaleRule[], calendar: WorkingCalendar, jurisdiction: Jurisdiction, locality: string | null, at: Date): Deadline[] {
  const on = londonDate(at);
  const out: Deadline[] = [];
  for (const code of deadlineCodes) {
    const rule = selectRule(rules, { code, jurisdiction, locality, on });
    if (!rule) continue;
    const d = dueFor(rule, { date: on, instant: at }, calendar);
    // Hours run to the instant; days to the end of the due day on UK clocks.
    const overdueAt = d.unit === 'hours' ? new Date(at.getTime() + rule.amount * 3_600_000) : fromLondonLocal(addDays(d.due, 1), '00:00');
    out.push({ code, rule_id: rule.id, label: rule.step, due_on: d.unit === 'hours' ? londonIso(overdueAt).slice(0, 10) : d.due, overdue_at: overdueAt.toISOString() });
  }
  return out;
}
