import { invalid } from '../errors.js';
import { addDays, isoWeekday, type IsoDate } from './dates.js';

/** A jurisdiction's working-day calendar, as loaded from the database (never written in code). */
export interface CalendarData {
  code: string;
  name: string;
  /** ISO weekdays that are never working days (6 Saturday, 7 Sunday). */
  weekend: number[];
  /** Working days can be counted only between these dates: outside them the bank holidays are unknown. */
  coversFrom: IsoDate;
  coversTo: IsoDate;
  holidays: BankHoliday[];
}
export interface BankHoliday {
  date: IsoDate;
  name: string;
  source: string;
}

export type WorkingDayConvention = 'working-days:t0-is-day-0' | 'working-days:inclusive';

/** Where counting started and which bank holidays it stepped over, so a person can check it by hand. */
export interface WorkingDayCount {
  due: IsoDate;
  /** t0, or the first working day after it when t0 was not one. */
  countedFrom: IsoDate;
  holidaysPassed: BankHoliday[];
}

export class WorkingCalendar {
  private readonly byDate: Map<IsoDate, BankHoliday>;

  constructor(readonly data: CalendarData) {
    this.byDate = new Map(data.holidays.map((h) => [h.date, h]));
  }

  holiday(d: IsoDate): BankHoliday | undefined {
    return this.byDate.get(d);
  }

  isWorkingDay(d: IsoDate): boolean {
    if (d < this.data.coversFrom || d > this.data.coversTo) {
      throw invalid(
        `The ${this.data.name} calendar knows bank holidays from ${this.data.coversFrom} to ${this.data.coversTo} only, so working days cannot be counted on ${d}.`,
        [{ path: 'start', message: `Working days can be counted from ${this.data.coversFrom} to ${this.data.coversTo}` }],
      );
    }
    return !this.data.weekend.includes(isoWeekday(d)) && !this.byDate.has(d);
  }

  /** `d` itself when it is a working day, otherwise the next one. */
  nextWorkingDay(d: IsoDate): IsoDate {
    let day = d;
    while (!this.isWorkingDay(day)) day = addDays(day, 1);
    return day;
  }

  /**
   * Spec §1.3. Default ('t0-is-day-0'): t0 is day 0 and the due date is the Nth working day after it.
   * 'inclusive' counts t0 as day 1 (due = t0 + N−1), as the DfE CIN validator does. Either way a t0
   * that is not a working day first rolls forward to the next working day.
   */
  addWorkingDays(t0: IsoDate, n: number, convention: WorkingDayConvention = 'working-days:t0-is-day-0'): WorkingDayCount {
    if (!Number.isInteger(n) || n < 0 || (convention === 'working-days:inclusive' && n < 1)) {
      throw invalid(`Cannot count ${n} working days with the ${convention} convention.`);
    }
    const countedFrom = this.nextWorkingDay(t0);
    let day = countedFrom;
    for (let left = convention === 'working-days:inclusive' ? n - 1 : n; left > 0; ) {
      day = addDays(day, 1);
      if (this.isWorkingDay(day)) left -= 1;
    }
    const holidaysPassed = this.data.holidays.filter((h) => h.date >= t0 && h.date <= day).sort((a, b) => a.date.localeCompare(b.date));
    return { due: day, countedFrom, holidaysPassed };
  }
}
