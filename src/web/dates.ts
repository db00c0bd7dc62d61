/** Dates as GOV.UK writes them, in UK time: "1 March 2025", "1 March 2025 at 2:30pm". */
const zone = 'Europe/London';

const dayFormat = new Intl.DateTimeFormat('en-GB', { timeZone: zone, day: 'numeric', month: 'long', year: 'numeric' });
const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T12:00:00Z` : v));

export function formatDate(v: Date | string | null | undefined): string {
  if (!v) return '';
  const d = asDate(v);
  return Number.isNaN(d.getTime()) ? String(v) : dayFormat.format(d);
}

export function formatTime(v: Date | string): string {
  const p = londonParts(asDate(v));
  const h = Number(p.hour);
  const suffix = h < 12 ? 'am' : 'pm';
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return p.minute === '00' ? `${h12}${suffix}` : `${h12}:${p.minute}${suffix}`;
}

export function formatDateTime(v: Date | string | null | undefined): string {
  if (!v) return '';
  return `${formatDate(v)} at ${formatTime(v)}`;
}

/** The year, month, day, hour and minute of an instant on UK clocks. */
export function londonParts(d: Date): Record<'year' | 'month' | 'day' | 'hour' | 'minute', string> {
  const out: Record<string, string> = {};
  for (const p of partsFormat.formatToParts(d)) out[p.type] = p.value;
  return out as Record<'year' | 'month' | 'day' | 'hour' | 'minute', string>;
}

/**
 * An ISO 8601 instant for a date and time typed on UK clocks, with the UK offset of that moment
 * (so "10:00" in July means 09:00Z). Returns undefined for a date or time that does not exist.
 */
export function londonIso(year: number, month: number, day: number, hour: number, minute: number): string | undefined {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(guess);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) return undefined;
  // The offset at the guessed instant is right except within an hour of a clock change; a second pass settles it.
  let offsetMinutes = ukOffsetMinutes(new Date(guess));
  offsetMinutes = ukOffsetMinutes(new Date(guess - offsetMinutes * 60_000));
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function ukOffsetMinutes(at: Date): number {
  const p = londonParts(at);
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/** "3 years", "7 months", "12 days": how people say a child's age. */
export function age(dateOfBirth: string | null | undefined, today = new Date()): string {
  if (!dateOfBirth) return '';
  const [y, m, d] = dateOfBirth.split('-').map(Number);
  const t = londonParts(today);
  const ty = Number(t.year), tm = Number(t.month), td = Number(t.day);
  let months = (ty - y) * 12 + (tm - m) - (td < d ? 1 : 0);
  if (months < 0) return 'not yet born';
  const years = Math.floor(months / 12);
  if (years >= 2) return `${years} years`;
  if (months >= 1) return months === 1 ? '1 month' : `${months} months`;
  const days = Math.round((Date.UTC(ty, tm - 1, td) - Date.UTC(y, m - 1, d)) / 86_400_000);
  return days === 1 ? '1 day' : `${days} days`;
}
