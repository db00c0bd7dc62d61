/** The date formats a column mapping may name for a date of birth. */
export const dateFormats = ['YYYY-MM-DD', 'YYYYMMDD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD-MM-YYYY', 'DD.MM.YYYY'] as const;
export type DateFormat = (typeof dateFormats)[number];

/** A date of birth as written (8 digits, YYYYMMDD, kept even when it is no real date) and its day number. */
export interface BirthDate {
  digits: string;
  /** Days since 1970-01-01, or NaN when the digits are no calendar date (typos make such dates). */
  day: number;
}

const shapes: Record<DateFormat, RegExp> = {
  'YYYY-MM-DD': /^(\d{4})-(\d{1,2})-(\d{1,2})/,
  YYYYMMDD: /^(\d{4})(\d{2})(\d{2})$/,
  'DD/MM/YYYY': /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/,
  'MM/DD/YYYY': /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/,
  'DD-MM-YYYY': /^(\d{1,2})-(\d{1,2})-(\d{4})$/,
  'DD.MM.YYYY': /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/,
};

/** Year, month and day positions in each format's match. */
const order: Record<DateFormat, [number, number, number]> = {
  'YYYY-MM-DD': [1, 2, 3],
  YYYYMMDD: [1, 2, 3],
  'DD/MM/YYYY': [3, 2, 1],
  'MM/DD/YYYY': [3, 1, 2],
  'DD-MM-YYYY': [3, 2, 1],
  'DD.MM.YYYY': [3, 2, 1],
};

/** Parses a date of birth; null when the text is empty or not in the format at all. */
export function parseBirthDate(text: string | undefined, format: DateFormat): BirthDate | null {
  const m = shapes[format].exec((text ?? '').trim());
  if (!m) return null;
  const [yi, mi, di] = order[format];
  const y = m[yi];
  const mo = m[mi].padStart(2, '0');
  const d = m[di].padStart(2, '0');
  return { digits: `${y}${mo}${d}`, day: dayNumber(Number(y), Number(mo), Number(d)) };
}

export function dayNumber(y: number, m: number, d: number): number {
  if (m < 1 || m > 12 || d < 1) return NaN;
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  if (back.getUTCDate() !== d || back.getUTCMonth() !== m - 1) return NaN; // 31 April and the like
  return t / 86_400_000;
}
