import type { CalendarData } from '../../src/process/calendar.js';

/**
 * Spec §8.2 transcribed by hand, row by row as the table prints it: the tests' own copy, kept apart
 * from migration 0010 so that the migration's rows are checked against it (store.test.ts).
 */
const table: [string, string[]][] = [
  //                                 2024          2025          2026          2027          2028 (expected)
  ["New Year's Day",               ['2024-01-01', '2025-01-01', '2026-01-01', '2027-01-01', '2028-01-03']],
  ['Good Friday',                  ['2024-03-29', '2025-04-18', '2026-04-03', '2027-03-26', '2028-04-14']],
  ['Easter Monday',                ['2024-04-01', '2025-04-21', '2026-04-06', '2027-03-29', '2028-04-17']],
  ['Early May bank holiday',       ['2024-05-06', '2025-05-05', '2026-05-04', '2027-05-03', '2028-05-01']],
  ['Spring bank holiday',          ['2024-05-27', '2025-05-26', '2026-05-25', '2027-05-31', '2028-05-29']],
  ['Summer bank holiday',          ['2024-08-26', '2025-08-25', '2026-08-31', '2027-08-30', '2028-08-28']],
  ['Christmas Day',                ['2024-12-25', '2025-12-25', '2026-12-25', '2027-12-27', '2028-12-25']],
  ['Boxing Day',                   ['2024-12-26', '2025-12-26', '2026-12-28', '2027-12-28', '2028-12-26']],
];
/** The table marks these as substitute days (the usual date fell at a weekend). */
export const SUBSTITUTES = ['2028-01-03', '2026-12-28', '2027-12-27', '2027-12-28'];

export const HOLIDAYS = table.flatMap(([name, dates]) => dates.map((date) => ({ date, name }))).sort((a, b) => a.date.localeCompare(b.date));

export const englandAndWales: CalendarData = {
  code: 'england-and-wales',
  name: 'England and Wales',
  weekend: [6, 7],
  coversFrom: '2024-01-01',
  coversTo: '2028-12-31',
  holidays: HOLIDAYS.map((h) => ({ ...h, source: 'spec §8.2' })),
};
