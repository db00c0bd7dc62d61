import type { WorkingCalendar } from './calendar.js';
import type { ClockSource } from './clocks.js';
import { addDays, fromLondonLocal, londonDate, type IsoDate } from './dates.js';
import { dueFor } from './due.js';
import { selectRule, type Jurisdiction, type TimescaleRule } from './rules.js';
import type { ClockDue, ProcessEvent } from './state.js';

/** A deadline as a step's entry records it: what the rule in force gave, when the step was recorded. */
export interface RecordedDeadline {
  event: string;
  code: string;
  rule_id: string;
  label: string;
  due_on: IsoDate;
  due_at: string | null;
  overdue_at: string;
  convention: string;
  amount: number;
  unit: string;
}

type Due = ClockDue & { label: string };

/**
 * Deadlines from the rules: for each rule code listening for `event`, the row in force on the
 * trigger's date (the locality's own where local practice allows). `collected` receives each one,
 * so the step's entry can carry the deadlines it started.
 */
export function rulesSource(rules: TimescaleRule[], calendar: WorkingCalendar, jurisdiction: Jurisdiction, locality: string | null, collected?: RecordedDeadline[]): ClockSource {
  const codes = [...new Set(rules.map((r) => r.code))];
  return {
    dues(event, trigger) {
      const out: Due[] = [];
      for (const code of codes) {
        const rule = selectRule(rules, { code, jurisdiction, locality, on: trigger.date, event });
        if (!rule) continue;
        const d = dueFor(rule, trigger, calendar);
        const overdueAt = d.unit === 'hours' ? new Date(trigger.instant.getTime() + rule.amount * 3_600_000) : fromLondonLocal(addDays(d.due, 1), '00:00');
        const dueOn = d.unit === 'hours' ? d.due.slice(0, 10) : d.due;
        const due: Due = { ruleId: rule.id, code, label: rule.step, dueOn, dueAt: d.unit === 'hours' ? d.due : null, overdueAt, convention: rule.convention, amount: rule.amount, unit: rule.unit };
        collected?.push({ event, code, rule_id: rule.id, label: rule.step, due_on: dueOn, due_at: due.dueAt, overdue_at: overdueAt.toISOString(), convention: rule.convention, amount: rule.amount, unit: rule.unit });
        out.push(due);
      }
      return out;
    },
  };
}

/**
 * For folding the record: a step's deadlines are the ones its entry recorded, never recomputed, so
 * a later change of rule or of jurisdiction cannot move them. Visits (ordinary entries) carry none;
 * theirs come from the rules in force on the visit's date.
 */
export function recordedSource(live: ClockSource): ClockSource {
  return {
    dues(event, trigger, ev?: ProcessEvent) {
      const stored = ev?.type === 'step' ? (ev.data.deadlines as RecordedDeadline[] | undefined) : undefined;
      if (!stored) return live.dues(event, trigger, ev);
      return stored.filter((d) => d.event === event).map((d) => ({
        ruleId: d.rule_id, code: d.code, label: d.label, dueOn: d.due_on, dueAt: d.due_at, overdueAt: new Date(d.overdue_at),
        convention: d.convention, amount: d.amount, unit: d.unit,
      }));
    },
  };
}

/** The deadline the rules in force give for `event` at `at`, outside a child's process (a disagreement's stage). */
export function deadlineFor(rules: TimescaleRule[], calendar: WorkingCalendar, jurisdiction: Jurisdiction, locality: string | null, event: string, at: Date): Due | undefined {
  return rulesSource(rules, calendar, jurisdiction, locality).dues(event, { date: londonDate(at), instant: at })[0];
}
