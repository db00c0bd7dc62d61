import { invalid } from '../errors.js';
import type { BankHoliday, WorkingCalendar } from './calendar.js';
import { addDays, addMonths, londonIso, type IsoDate, type TriggerTime } from './dates.js';

export const units = ['working_days', 'calendar_days', 'hours', 'weeks', 'months'] as const;
export type Unit = (typeof units)[number];

/**
 * How a timescale is counted (spec §1.3), stored with every due date:
 * - 'working-days:t0-is-day-0': the default; 'working-days:inclusive' counts t0 as day 1 (CIN validator);
 * - 'calendar': t0 is day 0, so 3 months after 15 Jan is 15 Apr;
 * - 'calendar:beginning-with': statute says "a period beginning with the day", so that day is the
 *   first of the period and the last day is one earlier (26 weeks beginning with a Monday ends on a Sunday);
 * - 'hours': an exact instant, the given number of real hours later (clock changes do not shift it).
 */
export const conventions = ['working-days:t0-is-day-0', 'working-days:inclusive', 'calendar', 'calendar:beginning-with', 'hours'] as const;
export type Convention = (typeof conventions)[number];

/** Which conventions make sense for each unit (the migration's CHECKs say the same). */
export const conventionsFor: Record<Unit, readonly Convention[]> = {
  working_days: ['working-days:t0-is-day-0', 'working-days:inclusive'],
  calendar_days: ['calendar', 'calendar:beginning-with'],
  weeks: ['calendar', 'calendar:beginning-with'],
  months: ['calendar', 'calendar:beginning-with'],
  hours: ['hours'],
};

export interface Timescale {
  amount: number;
  unit: Unit;
  convention: Convention;
}

/** A computed deadline: a UK calendar date, or (for hours) an exact instant written with its UK offset. */
export type Due =
  | { due: IsoDate; start: IsoDate; amount: number; unit: 'working_days'; convention: Convention; counted_from: IsoDate; holidays_passed: BankHoliday[] }
  | { due: IsoDate; start: IsoDate; amount: number; unit: 'calendar_days' | 'weeks' | 'months'; convention: Convention }
  | { due: string; start: string; amount: number; unit: 'hours'; convention: 'hours' };

const HOUR_MS = 3_600_000;

export function dueFor(t: Timescale, start: TriggerTime, calendar: WorkingCalendar): Due {
  if (!conventionsFor[t.unit].includes(t.convention)) throw invalid(`A timescale in ${t.unit} cannot use the ${t.convention} convention.`);
  const base = { start: start.date, amount: t.amount };
  switch (t.unit) {
    case 'hours': {
      if (!start.instant) {
        throw invalid('An hours-based limit runs from an exact time: give the start as a date and time.', [
          { path: 'start', message: 'Enter the date and time, for example 2026-03-27T18:00' },
        ]);
      }
      const due = new Date(start.instant.getTime() + t.amount * HOUR_MS);
      return { due: londonIso(due), start: londonIso(start.instant), amount: t.amount, unit: 'hours', convention: 'hours' };
    }
    case 'working_days': {
      const c = calendar.addWorkingDays(start.date, t.amount, t.convention as 'working-days:inclusive');
      return { ...base, due: c.due, unit: 'working_days', convention: t.convention, counted_from: c.countedFrom, holidays_passed: c.holidaysPassed };
    }
    default: {
      const end =
        t.unit === 'months' ? addMonths(start.date, t.amount) : addDays(start.date, t.amount * (t.unit === 'weeks' ? 7 : 1));
      const due = t.convention === 'calendar:beginning-with' ? addDays(end, -1) : end;
      return { ...base, due, unit: t.unit, convention: t.convention };
    }
  }
}
