import { londonIso, londonParts } from '../web/dates.js';
import { dateInput, errorsFrom, field, timeInput, type ErrorMapping, type FormBody, type FormErrors } from '../web/forms.js';
import { dataFromForm, formFromData, kindFields, type FormField, type FormValues } from './entry-form.js';
import { entryKinds, type EntryKind } from './kinds.js';
import type { EntryView } from './view.js';

/** The form id where a field's error is shown (the first control of radios, selects or a date). */
const controlId = (f: FormField) => (f.type === 'choices' ? `f-${f.name}-1` : `f-${f.name}`);
const plainLabel = (f: FormField) => f.label.replace(/ \(optional\)$/, '').replace(/\?$/, '');

/**
 * An entry from the quick form: narrative, when it happened (UK clock), and the kind's few fields.
 * Every problem is reported at once, in plain English, before anything is written.
 */
export function entryFromForm(kind: EntryKind, form: FormBody, correction?: { supersedes: string }): { input: Record<string, unknown>; errors?: FormErrors } {
  const issues: { field: string; message: string }[] = [];
  const narrative = field(form, 'narrative');
  if (!narrative) issues.push({ field: 'narrative', message: 'Write what happened' });

  let occurredAt: string | undefined;
  const day = dateInput(form, 'occurred', 'the date it happened');
  const timeText = field(form, 'occurred-time');
  const time = timeInput(timeText);
  if (!day.ok) issues.push({ field: 'occurred-day', message: day.message });
  if (!timeText) issues.push({ field: 'occurred-time', message: 'Enter the time it happened, like 14:30' });
  else if (!time) issues.push({ field: 'occurred-time', message: 'Enter a real time, like 14:30 or 2:30pm' });
  if (day.ok && time) {
    occurredAt = londonIso(day.year, day.month, day.day, time.hour, time.minute);
    if (occurredAt && Date.parse(occurredAt) > Date.now() + 5 * 60_000) issues.push({ field: 'occurred-day', message: 'The date and time it happened must not be in the future' });
  }

  const data = dataFromForm(kind, form as FormValues);
  const checked = entryKinds[kind].safeParse(data);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const name = String(issue.path[0] ?? '');
      const f = kindFields[kind].find((x) => x.name === name);
      if (f) issues.push({ field: controlId(f), message: dataMessage(f, data[name], issue) });
    }
  }

  const reason = field(form, 'correction_reason');
  if (correction && reason.length < 5) issues.push({ field: 'correction_reason', message: reason ? 'Give a fuller reason for the correction' : 'Say why this entry needs correcting' });

  const input = {
    kind,
    occurred_at: occurredAt,
    narrative,
    data,
    ...(correction ? { supersedes_id: correction.supersedes, correction_reason: reason } : {}),
  };
  return issues.length ? { input, errors: errorsFrom(issues) } : { input };
}

function dataMessage(f: FormField, value: unknown, issue: { code: string; message: string; maximum?: unknown; minimum?: unknown }): string {
  const blank = value === undefined || (Array.isArray(value) && value.length === 0);
  if (issue.code === 'custom') return issue.message;
  if (blank && 'required' in f && f.required) return f.required;
  if (issue.code === 'too_big' && f.type !== 'choices') return `${plainLabel(f)} must be ${issue.maximum} or less`;
  if (issue.code === 'too_small' && f.type !== 'choices') return `${plainLabel(f)} must be ${issue.minimum} or more`;
  if (f.type === 'number') return `${plainLabel(f)} must be a whole number`;
  return `Check your answer to “${plainLabel(f)}”`;
}

/** For errors the record service itself reports after the form's own checks. */
export function entryErrorMapping(kind: EntryKind, _form: FormBody): ErrorMapping {
  return {
    fieldFor: (path) => {
      if (path === 'occurred_at') return 'occurred-day';
      if (path === 'correction_reason' || path === 'supersedes_id') return 'correction_reason';
      const f = kindFields[kind].find((x) => `data.${x.name}` === path);
      return f ? controlId(f) : 'narrative';
    },
  };
}

/** An entry's values as the form shows them, to correct it. */
export function valuesFromEntry(e: EntryView): FormValues {
  const p = londonParts(new Date(e.occurred_at));
  return {
    narrative: e.narrative,
    'occurred-day': String(Number(p.day)),
    'occurred-month': String(Number(p.month)),
    'occurred-year': p.year,
    'occurred-time': `${p.hour}:${p.minute}`,
    ...formFromData(e.kind as EntryKind, e.data),
  };
}
