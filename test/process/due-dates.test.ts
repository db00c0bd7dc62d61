import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../src/process/calendar.js';
import { parseTrigger, weekdayName } from '../../src/process/dates.js';
import { dueFor, type Timescale } from '../../src/process/due.js';
import { englandAndWales } from './calendar-data.js';

const cal = new WorkingCalendar(englandAndWales);
const wd = (amount: number, convention: Timescale['convention'] = 'working-days:t0-is-day-0'): Timescale => ({ amount, unit: 'working_days', convention });
const months = (amount: number): Timescale => ({ amount, unit: 'months', convention: 'calendar' });

/**
 * Each row was worked out by hand from the statute (spec §1.2, §1.7, §2) and the calendar (§8.2):
 * the comment walks the days. Wales shares the England and Wales calendar, so Wales rows (W1, Wales
 * T6) count over the same bank holidays.
 */
const cases: { what: string; t: Timescale; start: string; due: string; day: string }[] = [
  // 25 Dec Fri (Christmas), 26–27 weekend, 28 Dec Mon (Boxing Day substitute) → Tue 29 Dec.
  { what: 'T1 referral on Christmas Eve 2026', t: wd(1), start: '2026-12-24', due: '2026-12-29', day: 'Tuesday' },
  // t0 is a bank holiday: roll forward to Tue 29 Dec (day 0), so day 1 is Wed 30 Dec.
  { what: 'T1 referral on Christmas Day 2026 (not a working day)', t: wd(1), start: '2026-12-25', due: '2026-12-30', day: 'Wednesday' },
  // Good Friday 26 Mar, weekend, Easter Monday 29 Mar 2027 → Tue 30 Mar.
  { what: 'T1 referral on the Thursday before Easter 2027', t: wd(1), start: '2027-03-25', due: '2027-03-30', day: 'Tuesday' },
  // Thu 25 (1), Easter 26–29 skipped, Tue 30 (2), Wed 31 (3), Thu 1 (4), Fri 2 (5), Mon 5–Fri 9 (6–10).
  { what: 'T6 core group after an ICPC on Wed 24 Mar 2027 (Easter)', t: wd(10), start: '2027-03-24', due: '2027-04-09', day: 'Friday' },
  // 1 Jan 2028 is a Saturday: the substitute is Mon 3 Jan, so after Fri 31 Dec the next working day is Tue 4 Jan.
  { what: 'T1 referral on New Year’s Eve 2027 (New Year substitute 2028)', t: wd(1), start: '2027-12-31', due: '2028-01-04', day: 'Tuesday' },
  // Mon 20–Fri 24 (1–5); Christmas 27 and Boxing 28 substitutes; Wed 29–Fri 31 (6–8); Mon 3 Jan substitute;
  // Tue 4–Fri 7 (9–12); Mon 10–Wed 12 (13–15).
  { what: 'T5 ICPC after a strategy discussion on Fri 17 Dec 2027', t: wd(15), start: '2027-12-17', due: '2028-01-12', day: 'Wednesday' },
  // Weekend only.
  { what: 'T1 referral on a Friday', t: wd(1), start: '2026-02-06', due: '2026-02-09', day: 'Monday' },
  // Saturday rolls forward to Mon 9 Feb (day 0).
  { what: 'T1 referral on a Saturday', t: wd(1), start: '2026-02-07', due: '2026-02-10', day: 'Tuesday' },
  // No bank holiday between: 45 working days from a Monday is exactly 9 weeks.
  { what: 'T2 assessment from a referral on Mon 5 Jan 2026', t: wd(45), start: '2026-01-05', due: '2026-03-09', day: 'Monday' },
  // 9 weeks → Wed 3 Jun, plus four bank holidays on the way (3 Apr, 6 Apr, 4 May, 25 May) → Tue 9 Jun.
  { what: 'T2 assessment from Wed 1 Apr 2026 (Easter, Early May, Spring)', t: wd(45), start: '2026-04-01', due: '2026-06-09', day: 'Tuesday' },
  // Inclusive (CIN validator): t0 is day 1, so 44 more working days: one before the default's Mon 9 Mar.
  { what: 'T2 inclusive, Mon 5 Jan 2026', t: wd(45, 'working-days:inclusive'), start: '2026-01-05', due: '2026-03-06', day: 'Friday' },
  // Inclusive: Thu 24 Dec is day 1; Tue 29 (2), Wed 30 (3), Thu 31 (4), 1 Jan off, Mon 4–Fri 8 (5–9), Mon 11–Fri 15 (10–14), Mon 18 (15).
  { what: 'T5 inclusive from Thu 24 Dec 2026', t: wd(15, 'working-days:inclusive'), start: '2026-12-24', due: '2027-01-18', day: 'Monday' },
  // The default counts one more: Tue 19 Jan.
  { what: 'T5 default from Thu 24 Dec 2026', t: wd(15), start: '2026-12-24', due: '2027-01-19', day: 'Tuesday' },
  // Wales W1: 40 working days from Mon 3 Aug is Mon 28 Sep, 42 is Wed 30 Sep; Summer bank holiday 31 Aug adds one.
  { what: 'W1 (Wales) continuing assessment from s47 start Mon 3 Aug 2026', t: wd(42), start: '2026-08-03', due: '2026-10-01', day: 'Thursday' },
  // T11: Mon 24–Fri 28 Aug (1–5), Mon 31 Aug Summer bank holiday, Tue 1–Fri 4 Sep (6–9), Mon 7 Sep (10).
  { what: 'T11 first visit from a CP plan on Fri 21 Aug 2026', t: wd(10), start: '2026-08-21', due: '2026-09-07', day: 'Monday' },
  // T8 month-end clamping: 30 Nov + 3 months; February 2027 has 28 days.
  { what: 'T8 first review after an ICPC on Mon 30 Nov 2026', t: months(3), start: '2026-11-30', due: '2027-02-28', day: 'Sunday' },
  // …and 2028 is a leap year.
  { what: 'T8 first review after an ICPC on Tue 30 Nov 2027', t: months(3), start: '2027-11-30', due: '2028-02-29', day: 'Tuesday' },
  // T9: 31 Mar + 6 months; September has 30 days.
  { what: 'T9 review six months after Tue 31 Mar 2026', t: months(6), start: '2026-03-31', due: '2026-09-30', day: 'Wednesday' },
  // EP2: 8 days beginning with Fri 27 Mar (day 1) end on Fri 3 Apr (day 8); calendar days, so Good Friday counts.
  { what: 'EP2 EPO after police protection from Fri 27 Mar 2026', t: { amount: 8, unit: 'calendar_days', convention: 'calendar:beginning-with' }, start: '2026-03-27', due: '2026-04-03', day: 'Friday' },
  // EP3: 7 days after an EPO ending Fri 3 Apr.
  { what: 'EP3 EPO extension from Fri 3 Apr 2026', t: { amount: 7, unit: 'calendar_days', convention: 'calendar' }, start: '2026-04-03', due: '2026-04-10', day: 'Friday' },
  // CP1: 26 weeks beginning with Mon 5 Jan 2026: 182 days with 5 Jan as the first → Sun 5 Jul.
  { what: 'CP1 care application issued Mon 5 Jan 2026', t: { amount: 26, unit: 'weeks', convention: 'calendar:beginning-with' }, start: '2026-01-05', due: '2026-07-05', day: 'Sunday' },
  // CP2: 8 weeks after the timetable's end on Sun 5 Jul.
  { what: 'CP2 extension from Sun 5 Jul 2026', t: { amount: 8, unit: 'weeks', convention: 'calendar' }, start: '2026-07-05', due: '2026-08-30', day: 'Sunday' },
];

describe('due dates worked out by hand', () => {
  it.each(cases)('$what → $due', ({ t, start, due, day }) => {
    const d = dueFor(t, parseTrigger(start), cal);
    expect(d).toMatchObject({ due, unit: t.unit, convention: t.convention, start, amount: t.amount });
    expect(weekdayName(due)).toBe(day);
  });

  it('says which bank holidays a working-day count stepped over, and where counting started', () => {
    expect(dueFor(wd(15), parseTrigger('2027-12-17'), cal)).toMatchObject({
      counted_from: '2027-12-17',
      holidays_passed: [
        { date: '2027-12-27', name: 'Christmas Day' },
        { date: '2027-12-28', name: 'Boxing Day' },
        { date: '2028-01-03', name: "New Year's Day" },
      ],
    });
    expect(dueFor(wd(1), parseTrigger('2026-12-25'), cal)).toMatchObject({ counted_from: '2026-12-29' });
  });

  it('counts days on the UK calendar date of an instant: 23:30 GMT on Christmas Eve is still 24 Dec', () => {
    expect(dueFor(wd(1), parseTrigger('2026-12-24T23:30:00Z'), cal)).toMatchObject({ start: '2026-12-24', due: '2026-12-29' });
    // 23:30 UTC on 30 Jun is 00:30 on 1 Jul in the UK (BST): that is the trigger's date.
    expect(dueFor(wd(1), parseTrigger('2026-06-30T23:30:00Z'), cal)).toMatchObject({ start: '2026-07-01', due: '2026-07-02' });
  });
});

describe('EP1 police protection: 72 real hours, across the clock changes', () => {
  const ep1: Timescale = { amount: 72, unit: 'hours', convention: 'hours' };
  it('spring forward: 18:00 GMT on Fri 27 Mar 2026 ends at 19:00 BST on Mon 30 Mar', () => {
    const d = dueFor(ep1, parseTrigger('2026-03-27T18:00'), cal);
    expect(d).toEqual({ due: '2026-03-30T19:00:00+01:00', start: '2026-03-27T18:00:00+00:00', amount: 72, unit: 'hours', convention: 'hours' });
    expect(new Date(d.due).getTime() - new Date(d.start).getTime()).toBe(72 * 3_600_000);
  });
  it('fall back: 18:00 BST on Fri 23 Oct 2026 ends at 17:00 GMT on Mon 26 Oct', () => {
    const d = dueFor(ep1, parseTrigger('2026-10-23T18:00'), cal);
    expect(d.due).toBe('2026-10-26T17:00:00+00:00');
    expect(new Date(d.due).getTime() - new Date('2026-10-23T17:00:00Z').getTime()).toBe(72 * 3_600_000);
  });
  it('needs the time, not just the date', () => {
    expect(() => dueFor(ep1, parseTrigger('2026-03-27'), cal)).toThrow(/exact time/);
  });
});

describe('calendar limits', () => {
  it('refuses to count working days where the bank holidays are not known', () => {
    expect(() => dueFor(wd(1), parseTrigger('2028-12-29'), cal)).toThrow(/2024-01-01 to 2028-12-31 only/);
    expect(() => dueFor(wd(1), parseTrigger('2023-12-29'), cal)).toThrow(/cannot be counted on 2023-12-29/);
  });
  it('still counts calendar months and hours outside it', () => {
    expect(dueFor(months(3), parseTrigger('2029-11-30'), cal).due).toBe('2030-02-28');
  });
  it('refuses a convention that does not fit the unit, and an inclusive count of zero', () => {
    expect(() => dueFor({ amount: 3, unit: 'months', convention: 'working-days:inclusive' }, parseTrigger('2026-01-05'), cal)).toThrow(/cannot use/);
    expect(() => cal.addWorkingDays('2026-01-05', 0, 'working-days:inclusive')).toThrow();
    expect(cal.addWorkingDays('2026-01-03', 0).due).toBe('2026-01-05');
  });
});
