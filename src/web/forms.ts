import { ZodError } from 'zod';
import { DomainError } from '../errors.js';

/** What a GOV.UK error summary and the fields' error messages need. */
export interface FormErrors {
  /** For govukErrorSummary's errorList: each message links to its field. */
  list: { text: string; href: string }[];
  /** Message per field id, for each component's errorMessage. */
  byField: Record<string, string>;
}

export interface ErrorMapping {
  /** The form field id for a schema path such as "data.child_seen"; the first field when unknown. */
  fieldFor: (path: string) => string;
  /** Plain-English wording for a schema path's error, in place of the schema's own (return it unchanged to keep it). */
  message?: (path: string, original: string) => string;
}

/**
 * Turns a validation failure (zod, or a DomainError carrying field errors) into form errors, or
 * returns undefined for any other error so the caller rethrows it. One message per field: the first.
 */
export function formErrors(err: unknown, map: ErrorMapping): FormErrors | undefined {
  let issues: { path: string; message: string }[];
  if (err instanceof ZodError) issues = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  else if (err instanceof DomainError && [400, 401, 409, 422, 423].includes(err.status)) issues = err.fields?.length ? err.fields : [{ path: '', message: err.message }];
  else return undefined;
  return errorsFrom(issues.map((i) => ({ field: map.fieldFor(i.path), message: map.message ? map.message(i.path, i.message) : i.message })));
}

export function errorsFrom(issues: { field: string; message: string }[]): FormErrors {
  const byField: Record<string, string> = {};
  for (const i of issues) byField[i.field] ??= i.message;
  return { byField, list: Object.entries(byField).map(([field, text]) => ({ text, href: `#${field}` })) };
}

/** A form body as strings (repeated fields as string arrays), whatever the browser sent. */
export type FormBody = Record<string, string | string[] | undefined>;

export function asForm(body: unknown): FormBody {
  return body && typeof body === 'object' ? (body as FormBody) : {};
}

export const field = (form: FormBody, name: string): string => {
  const v = form[name];
  return (Array.isArray(v) ? v[0] : v ?? '').trim();
};

export const fields = (form: FormBody, name: string): string[] => {
  const v = form[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((s) => s.trim()).filter(Boolean);
};

/** A GOV.UK date input (`<prefix>-day`, `-month`, `-year`) as numbers, or what is wrong with it. */
export function dateInput(form: FormBody, prefix: string, what: string): { ok: true; year: number; month: number; day: number } | { ok: false; blank: boolean; message: string } {
  const parts = ['day', 'month', 'year'].map((p) => field(form, `${prefix}-${p}`));
  if (parts.every((p) => !p)) return { ok: false, blank: true, message: `Enter ${what}` };
  if (parts.some((p) => !/^\d+$/.test(p))) return { ok: false, blank: false, message: `${capital(what)} must include a day, month and year in numbers` };
  const [day, month, year] = parts.map(Number);
  const d = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || year > 2100 || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return { ok: false, blank: false, message: `${capital(what)} must be a real date` };
  return { ok: true, year, month, day };
}

export const isoDay = (d: { year: number; month: number; day: number }) =>
  `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

/** A time as people type it: "14:30", "9.05", "2pm", "2:30pm". */
export function timeInput(v: string): { hour: number; minute: number } | undefined {
  const m = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$/i.exec(v.trim());
  if (!m) return undefined;
  let hour = Number(m[1]);
  const minute = m[2] ? Number(m[2]) : 0;
  const half = m[3]?.toLowerCase();
  if (!half && !m[2]) return undefined;
  if (half) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  }
  return hour <= 23 && minute <= 59 ? { hour, minute } : undefined;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
