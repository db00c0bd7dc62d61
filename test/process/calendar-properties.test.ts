import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WorkingCalendar } from '../../src/process/calendar.js';
import { addDays, addMonths, dayNumber, fromDayNumber, fromLondonLocal, londonDate, londonIso, parseTrigger } from '../../src/process/dates.js';
import { dueFor } from '../../src/process/due.js';
import { englandAndWales, HOLIDAYS, SUBSTITUTES } from './calendar-data.js';

const cal = new WorkingCalendar(englandAndWales);
const holidaySet = new Set(HOLIDAYS.map((h) => h.date));
// Written independently of the code under test: the JavaScript Date's own weekday.
const weekend = (d: string) => [0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay());

/** Dates whose counts stay inside the calendar (2024–2028) for up to 200 working days. */
const date = fc.integer({ min: dayNumber('2024-01-01'), max: dayNumber('2028-01-31') }).map(fromDayNumber);
const workingDate = date.map((d) => cal.nextWorkingDay(d));
const conventionArb = fc.constantFrom('working-days:t0-is-day-0' as const, 'working-days:inclusive' as const);

describe('working days (fast-check)', () => {
  it('a due date in working days never lands on a weekend or a bank holiday', () => {
    fc.assert(fc.property(date, fc.integer({ min: 1, max: 200 }), conventionArb, (d, n, convention) => {
      const due = dueFor({ amount: n, unit: 'working_days', convention }, { date: d }, cal).due;
      expect(weekend(due) || holidaySet.has(due)).toBe(false);
    }), { numRuns: 500 });
  });

  it('adding N then M working days equals adding N+M (t0 is day 0, from a working day)', () => {
    fc.assert(fc.property(workingDate, fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (d, n, m) => {
      expect(cal.addWorkingDays(cal.addWorkingDays(d, n).due, m).due).toBe(cal.addWorkingDays(d, n + m).due);
    }), { numRuns: 500 });
  });

  it('exactly N working days lie after the counting start up to the due date; inclusive is one fewer', () => {
    fc.assert(fc.property(date, fc.integer({ min: 1, max: 200 }), (d, n) => {
      const r = cal.addWorkingDays(d, n);
      let count = 0;
      for (let x = addDays(r.countedFrom, 1); x <= r.due; x = addDays(x, 1)) if (!weekend(x) && !holidaySet.has(x)) count += 1;
      expect(count).toBe(n);
      expect(cal.addWorkingDays(d, n, 'working-days:inclusive').due).toBe(cal.addWorkingDays(d, n - 1).due);
    }), { numRuns: 300 });
  });
});

describe('calendar months and instants (fast-check)', () => {
  it('adding months keeps the day of the month, or clamps it to the last day of a shorter month', () => {
    fc.assert(fc.property(fc.integer({ min: dayNumber('2000-01-01'), max: dayNumber('2099-12-31') }).map(fromDayNumber), fc.integer({ min: 0, max: 48 }), (d, n) => {
      const out = addMonths(d, n);
      const [y, m, day] = d.split('-').map(Number);
      const [oy, om, oday] = out.split('-').map(Number);
      expect(oy * 12 + om - (y * 12 + m)).toBe(n);
      const last = new Date(Date.UTC(oy, om, 0)).getUTCDate();
      expect(oday).toBe(Math.min(day, last));
    }));
  });

  it('a UK wall-clock time read back from its instant is the same time (outside the spring-forward gap)', () => {
    fc.assert(fc.property(date, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (d, h, min) => {
      const time = `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
      const at = fromLondonLocal(d, time);
      const iso = londonIso(at);
      if (iso.slice(11, 16) !== time) expect(h).toBe(1); // only 01:xx on the last Sunday of March does not exist
      else expect(iso.slice(0, 10)).toBe(d);
      expect(londonDate(at)).toBe(d);
    }), { numRuns: 300 });
  });

  it('hours are real elapsed time', () => {
    fc.assert(fc.property(fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2028, 11, 1) }), fc.integer({ min: 1, max: 500 }), (ms, hours) => {
      const start = new Date(ms - (ms % 60_000));
      const d = dueFor({ amount: hours, unit: 'hours', convention: 'hours' }, parseTrigger(start.toISOString()), cal);
      expect(new Date(d.due).getTime() - start.getTime()).toBe(hours * 3_600_000);
    }));
  });
});

describe('UK clock edges', () => {
  it('reads a time that happens twice (clocks go back) as the first, and one that never happens as after the gap', () => {
    expect(fromLondonLocal('2026-10-25', '01:30').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(fromLondonLocal('2026-03-29', '01:30').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(londonIso(new Date('2026-03-29T01:30:00Z'))).toBe('2026-03-29T02:30:00+01:00');
  });
  it('reads an offset as given, and refuses what is not a date', () => {
    expect(parseTrigger('2026-03-27T18:00+01:00').instant?.toISOString()).toBe('2026-03-27T17:00:00.000Z');
    expect(() => parseTrigger('2026-02-30')).toThrow(/not a calendar date/);
    expect(() => parseTrigger('27/03/2026')).toThrow(/not a date/);
    expect(() => parseTrigger('2026-03-27T25:00')).toThrow(/not a time/);
  });
});

/** Spec §8.2's rules, coded here only to check the transcribed table (the product loads dates as data). */
function expectedHolidays(year: number): string[] {
  const iso = (m: number, d: number) => fromDayNumber(Date.UTC(year, m - 1, d) / 86_400_000);
  const dow = (d: string) => new Date(`${d}T12:00:00Z`).getUTCDay();
  const nextWeekday = (d: string, taken: string[]): string => {
    let x = d;
    while (dow(x) === 0 || dow(x) === 6 || taken.includes(x)) x = addDays(x, 1);
    return x;
  };
  // Anonymous Gregorian computus.
  const a = year % 19, b = Math.floor(year / 100), c = year % 100, d = Math.floor(b / 4), e = b % 4;
  const f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4), k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
  const easter = iso(Math.floor((h + l - 7 * m + 114) / 31), ((h + l - 7 * m + 114) % 31) + 1);
  const firstMonday = (mo: number) => nextMonday(iso(mo, 1));
  const nextMonday = (x: string) => addDays(x, (8 - dow(x)) % 7);
  const lastMonday = (mo: number) => addDays(firstMonday(mo + 1), -7);
  const christmas = nextWeekday(iso(12, 25), []);
  const boxing = nextWeekday(iso(12, 26), [christmas]);
  return [nextWeekday(iso(1, 1), []), addDays(easter, -2), addDays(easter, 1), firstMonday(5), lastMonday(5), lastMonday(8), christmas, boxing].sort();
}

describe('the transcribed bank holidays', () => {
  it.each([2024, 2025, 2026, 2027, 2028])('%i follows the statutory rules (computus, Mondays, substitute days)', (year) => {
    expect(HOLIDAYS.filter((h) => h.date.startsWith(String(year))).map((h) => h.date)).toEqual(expectedHolidays(year));
  });
  it('marks the substitute days that fall on weekdays after a weekend holiday', () => {
    for (const s of SUBSTITUTES) expect(holidaySet.has(s)).toBe(true);
    expect(cal.isWorkingDay('2027-12-29')).toBe(true);
  });
});
