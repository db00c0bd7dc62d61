import { weekdayName, type IsoDate } from './dates.js';
import { conventions, units, type Convention, type Due, type Unit } from './due.js';
import type { TimescaleRule } from './rules.js';
import { formatDate, formatDateTime } from '../web/dates.js';

/** Words for the Timescales page (the same counting `sightline due` prints). */
const unitWords: Record<Unit, [string, string]> = {
  working_days: ['working day', 'working days'],
  calendar_days: ['calendar day', 'calendar days'],
  hours: ['hour', 'hours'],
  weeks: ['week', 'weeks'],
  months: ['calendar month', 'calendar months'],
};
export const amountOf = (amount: number, unit: Unit) => `${amount} ${unitWords[unit][amount === 1 ? 0 : 1]}`;

const conventionWords: Record<Convention, string> = {
  'working-days:t0-is-day-0': 'the trigger day is day 0; a day that is not a working day moves to the next one',
  'working-days:inclusive': 'the trigger day counts as day 1 (as the DfE CIN validator counts)',
  calendar: 'the trigger day is day 0: 3 months after 15 January is 15 April',
  'calendar:beginning-with': 'a period beginning with the trigger day, so it ends a day earlier',
  hours: 'an exact time, that many real hours later',
};
export const unitChoices = units.map((u) => ({ value: u, text: unitWords[u][1].replace(/^./, (c) => c.toUpperCase()) }));
export const conventionChoices = conventions.map((c) => ({ value: c, text: c, hint: { text: conventionWords[c] } }));

const longDate = (d: IsoDate) => `${weekdayName(d)} ${formatDate(d)}`;

export function ruleRow(r: TimescaleRule, today: IsoDate, localName: string | undefined) {
  return {
    code: r.code,
    step: r.step,
    trigger: r.trigger,
    timescale: amountOf(r.amount, r.unit),
    convention: r.convention,
    source: r.source,
    status: r.status,
    effectiveFrom: formatDate(r.effective_from),
    scheduled: r.effective_from > today,
    local: r.locality !== null,
    localName,
    localPractice: r.local_practice,
  };
}

/** What the due-date form shows: the deadline, how it was counted, and the bank holidays passed. */
export function dueSummary(d: { rule: TimescaleRule } & Due) {
  const dated = d.unit !== 'hours';
  return {
    code: d.rule.code,
    step: d.rule.step,
    trigger: d.rule.trigger,
    local: d.rule.locality !== null,
    start: dated ? longDate(d.start) : formatDateTime(d.start),
    due: dated ? longDate(d.due) : formatDateTime(d.due),
    dueIso: d.due,
    counted: `${amountOf(d.amount, d.unit)}, counted ${d.convention}`,
    conventionWords: conventionWords[d.convention],
    countedFrom: d.unit === 'working_days' && d.counted_from !== d.start ? longDate(d.counted_from) : undefined,
    holidays: d.unit === 'working_days' ? d.holidays_passed.map((h) => ({ date: longDate(h.date), name: h.name })) : undefined,
    source: d.rule.source,
    status: d.rule.status,
    effectiveFrom: formatDate(d.rule.effective_from),
  };
}
