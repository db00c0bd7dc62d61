import { randomUUID } from 'node:crypto';
import { dateInput, field, isoDay, type FormBody } from '../web/forms.js';
import { isValidNhsNumber, normaliseNhsNumber } from './nhs-number.js';
import { addressInput, relationshipKinds, type AddressInput } from './schemas.js';

/**
 * What the people forms send, turned into the people service's inputs. Every problem is reported at
 * once, in plain English, against the field it belongs to, before anything is written.
 */
export type Issue = { field: string; message: string };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: string) => uuid.test(v);

/** Each form carries a random id, so a double-clicked or refreshed form is recorded once. */
export const formIdem = (form: FormBody) => (isUuid(field(form, '_idem')) ? field(form, '_idem').toLowerCase() : randomUUID());

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const sexes = ['female', 'male', 'unknown', 'indeterminate'] as const;
export const sexOptions = [
  { value: 'female', text: 'Female' },
  { value: 'male', text: 'Male' },
  { value: 'unknown', text: 'Not known' },
  { value: 'indeterminate', text: 'Indeterminate' },
];

/** A required name part, 1 to 100 characters. */
function namePart(form: FormBody, name: string, what: string, issues: Issue[]): string {
  const v = field(form, name);
  if (!v) issues.push({ field: name, message: `Enter ${what}` });
  else if (v.length > 100) issues.push({ field: name, message: `${capital(what)} must be 100 characters or fewer` });
  return v;
}

export function names(form: FormBody, issues: Issue[]) {
  return { given_name: namePart(form, 'given_name', 'their given name', issues), family_name: namePart(form, 'family_name', 'their family name', issues) };
}

/**
 * A GOV.UK date input as YYYY-MM-DD. `optional` dates may be left blank; `notAfter` (a UK calendar
 * day) rejects dates after it, such as a date of birth in the future.
 */
export function day(form: FormBody, prefix: string, what: string, issues: Issue[], o: { optional?: boolean; notAfter?: string; future?: string } = {}): string | undefined {
  const d = dateInput(form, prefix, what);
  if (!d.ok) {
    if (!(d.blank && o.optional)) issues.push({ field: `${prefix}-day`, message: d.message });
    return undefined;
  }
  const iso = isoDay(d);
  if (o.notAfter && iso > o.notAfter) {
    issues.push({ field: `${prefix}-day`, message: o.future ?? `${capital(what)} must be today or in the past` });
    return undefined;
  }
  return iso;
}

const addressParts = ['line1', 'line2', 'town', 'postcode'] as const;

/**
 * An address from `address-line1` … `address-postcode`, starting on `from`. Optional addresses
 * left wholly blank are undefined.
 */
export function address(form: FormBody, from: string | undefined, issues: Issue[], optional: boolean): AddressInput | undefined {
  const v = Object.fromEntries(addressParts.map((p) => [p, field(form, `address-${p}`)])) as Record<(typeof addressParts)[number], string>;
  if (optional && addressParts.every((p) => !v[p])) return undefined;
  const before = issues.length;
  if (!v.line1) issues.push({ field: 'address-line1', message: 'Enter the first line of the address' });
  else if (v.line1.length > 200) issues.push({ field: 'address-line1', message: 'The first line must be 200 characters or fewer' });
  if (v.line2.length > 200) issues.push({ field: 'address-line2', message: 'The second line must be 200 characters or fewer' });
  if (v.town.length > 100) issues.push({ field: 'address-town', message: 'The town must be 100 characters or fewer' });
  if (!v.postcode) issues.push({ field: 'address-postcode', message: 'Enter the postcode' });
  else if (!addressInput.shape.postcode.safeParse(v.postcode).success) issues.push({ field: 'address-postcode', message: 'Enter a real UK postcode, like NM1 4TR' });
  if (issues.length > before || !from) return undefined;
  return addressInput.parse({ line1: v.line1, line2: v.line2 || undefined, town: v.town || undefined, postcode: v.postcode, valid_from: from });
}

/** An NHS number with a correct check digit; blank is undefined when optional. */
export function nhsNumber(form: FormBody, name: string, issues: Issue[], optional: boolean): string | undefined {
  const v = normaliseNhsNumber(field(form, name));
  if (!v) {
    if (!optional) issues.push({ field: name, message: 'Enter the NHS number' });
    return undefined;
  }
  if (!/^\d{10}$/.test(v)) issues.push({ field: name, message: 'An NHS number is 10 digits, like 999 000 0018' });
  else if (!isValidNhsNumber(v)) issues.push({ field: name, message: 'That is not a valid NHS number: check each digit (the last one is a check digit)' });
  else return v;
  return undefined;
}

/** A new child's details: born (with a date of birth) or unborn (with an expected date). */
export function childFromForm(form: FormBody, today: string, issues: Issue[]) {
  const n = names(form, issues);
  const born = field(form, 'born');
  let dates: { date_of_birth?: string; expected_date_of_birth?: string } = {};
  if (born === 'yes') dates = { date_of_birth: day(form, 'dob', 'their date of birth', issues, { notAfter: today, future: 'The date of birth must be today or in the past' }) };
  else if (born === 'no') dates = { expected_date_of_birth: day(form, 'edd', 'the expected date of birth', issues) };
  else issues.push({ field: 'born', message: 'Say whether the child has been born' });
  const sexValue = field(form, 'sex');
  const sex = (sexes as readonly string[]).includes(sexValue) ? (sexValue as (typeof sexes)[number]) : 'unknown';
  const nhs = nhsNumber(form, 'nhs_number', issues, true);
  const home = address(form, today, issues, true);
  return { kind: 'child' as const, ...n, ...dates, sex, ...(nhs ? { nhs_number: nhs } : {}), ...(home ? { address: home } : {}), local_ids: [] };
}

/** A relationship kind chosen from the list. */
export function relationshipKind(form: FormBody, issues: Issue[], childName: string): (typeof relationshipKinds)[number] | undefined {
  const v = field(form, 'kind');
  if ((relationshipKinds as readonly string[]).includes(v)) return v as (typeof relationshipKinds)[number];
  issues.push({ field: 'kind', message: `Choose how they are related to ${childName}` });
  return undefined;
}

export function yesNo(form: FormBody, name: string, message: string, issues: Issue[]): boolean | undefined {
  const v = field(form, name);
  if (v === 'yes' || v === 'no') return v === 'yes';
  issues.push({ field: name, message });
  return undefined;
}

/** The form id where a service error's field is shown, for the forms on these pages. */
export function fieldFor(path: string, fallback: string): string {
  const p = path.replace(/^person\./, '');
  if (p === 'date_of_birth') return 'dob-day';
  if (p === 'expected_date_of_birth') return 'edd-day';
  if (p.startsWith('address.')) return p === 'address.valid_from' ? fallback : `address-${p.slice('address.'.length)}`;
  if (['given_name', 'family_name', 'nhs_number', 'sex', 'kind'].includes(p)) return p;
  return fallback;
}
