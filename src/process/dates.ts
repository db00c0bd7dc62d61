import { invalid } from '../errors.js';

/**
 * Calendar dates as 'YYYY-MM-DD' strings, and instants in Europe/London. Deadlines counted in days
 * are about the date on a wall calendar in England and Wales, so day arithmetic works on civil dates
 * (UTC day numbers, no time zone involved); only hours-based limits work on instants.
 */
export type IsoDate = string;

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function ymd(d: IsoDate): [number, number, number] {
  const m = ISO_DATE.exec(d);
  const parts = m ? ([Number(m[1]), Number(m[2]), Number(m[3])] as [number, number, number]) : null;
  if (!parts || parts[0] < 1000 || format(...parts) !== fromDayNumber(Date.UTC(parts[0], parts[1] - 1, parts[2]) / DAY_MS)) {
    throw invalid(`"${d}" is not a calendar date (YYYY-MM-DD).`, [{ path: 'date', message: 'Enter a real date as YYYY-MM-DD' }]);
  }
  return parts;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const format = (y: number, m: number, d: number): IsoDate => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

export function isIsoDate(d: string): boolean {
  try {
    ymd(d);
    return true;
  } catch {
    return false;
  }
}

/** Days since 1970-01-01. */
export const dayNumber = (d: IsoDate): number => {
  const [y, m, dd] = ymd(d);
  return Date.UTC(y, m - 1, dd) / DAY_MS;
};
export const fromDayNumber = (n: number): IsoDate => new Date(n * DAY_MS).toISOString().slice(0, 10);
export const addDays = (d: IsoDate, n: number): IsoDate => fromDayNumber(dayNumber(d) + n);

/** ISO weekday: 1 Monday … 7 Sunday (1970-01-01 was a Thursday). */
export const isoWeekday = (d: IsoDate): number => (((dayNumber(d) + 3) % 7) + 7) % 7 + 1;

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
export const weekdayName = (d: IsoDate): string => WEEKDAYS[isoWeekday(d) - 1];

/** Calendar months, clamped to the end of a shorter month: 31 Jan + 1 month is 28 (or 29) Feb. */
export function addMonths(d: IsoDate, n: number): IsoDate {
  const [y, m, dd] = ymd(d);
  const total = y * 12 + (m - 1) + n;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return format(year, month, Math.min(dd, last));
}

const london = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  timeZoneName: 'longOffset',
});

function londonParts(instant: Date) {
  const p = Object.fromEntries(london.formatToParts(instant).map((x) => [x.type, x.value]));
  const off = /GMT(?:([+-])(\d{2}):(\d{2}))?/.exec(p.timeZoneName ?? '');
  const offsetMinutes = off?.[1] ? (off[1] === '-' ? -1 : 1) * (Number(off[2]) * 60 + Number(off[3])) : 0;
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}`, offsetMinutes };
}

/** The date on a wall calendar in England and Wales at `instant`. */
export const londonDate = (instant: Date): IsoDate => londonParts(instant).date;

/** ISO 8601 with the UK offset in force, e.g. 2026-03-30T19:00:00+01:00: an exact instant, read as UK time. */
export function londonIso(instant: Date): string {
  const { date, time, offsetMinutes } = londonParts(instant);
  const ms = instant.getUTCMilliseconds();
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${date}T${time}${ms ? `.${pad(ms, 3)}` : ''}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * The instant a UK wall clock shows `time` on `date`. When the clocks go back, an hour that happens
 * twice means the first; when they go forward, a time that never happens moves on by the gap (as
 * Temporal's "compatible" disambiguation does).
 */
export function fromLondonLocal(date: IsoDate, time: string): Date {
  const t = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(time);
  if (!t || Number(t[1]) > 23 || Number(t[2]) > 59 || Number(t[3] ?? 0) > 59) {
    throw invalid(`"${time}" is not a time of day (HH:MM).`, [{ path: 'time', message: 'Enter a time as HH:MM' }]);
  }
  const [y, m, d] = ymd(date);
  const wall = Date.UTC(y, m - 1, d, Number(t[1]), Number(t[2]), Number(t[3] ?? 0), Number((t[4] ?? '0').padEnd(3, '0')));
  const before = londonParts(new Date(wall - DAY_MS)).offsetMinutes;
  const after = londonParts(new Date(wall + DAY_MS)).offsetMinutes;
  const fits = [before, after]
    .map((off) => wall - off * 60_000)
    .filter((at) => londonParts(new Date(at)).offsetMinutes * 60_000 === wall - at);
  return new Date(fits.length ? Math.min(...fits) : wall - before * 60_000);
}

/** When something happened: its UK calendar date, and the exact instant when a time was given. */
export interface TriggerTime {
  date: IsoDate;
  instant?: Date;
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Reads a trigger as given by a person: a date (2026-12-24), a UK wall-clock time (2026-03-27T18:00)
 * or an exact instant with its offset (2026-03-27T18:00Z, …+01:00).
 */
export function parseTrigger(text: string): TriggerTime {
  const s = text.trim();
  if (ISO_DATE.test(s)) return { date: fromDayNumber(dayNumber(s)) };
  const m = DATE_TIME.exec(s);
  if (!m) {
    throw invalid(`"${text}" is not a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM, optionally with Z or an offset).`, [
      { path: 'start', message: 'Enter a date as YYYY-MM-DD, or a date and time as YYYY-MM-DDTHH:MM' },
    ]);
  }
  const local = fromLondonLocal(m[1], m[2]);
  if (!m[3]) return { date: londonDate(local), instant: local };
  // With an offset the wall-clock parts were already checked above; Date reads the offset.
  const instant = new Date(`${m[1]}T${m[2]}${m[3]}`);
  return { date: londonDate(instant), instant };
}
