import { DomainError } from '../errors.js';
import { londonDate } from '../process/dates.js';
import { londonIso } from '../web/dates.js';
import { dateInput, errorsFrom, field, formErrors, isoDay, timeInput, type ErrorMapping, type FormBody, type FormErrors } from '../web/forms.js';

/**
 * The decision and disagreement forms as API bodies: rows of options and participants, a date and
 * time on UK clocks, and the mapping from the API's error paths back to the form's fields.
 */
export const OPTION_ROWS = 3;
export const PARTICIPANT_ROWS = 3;

export interface Known { name: string; role: string; agency: string }
type Issue = { field: string; message: string };

/** When it was decided: the date, and the time if given (a decision today without one was taken when the form was opened). */
export function decidedAt(form: FormBody, now: Date, issues: Issue[]): string | undefined {
  const day = dateInput(form, 'occurred', 'the date of the decision');
  if (!day.ok) return void issues.push({ field: 'occurred-day', message: day.message });
  const timeText = field(form, 'occurred-time');
  const time = timeText ? timeInput(timeText) : undefined;
  if (timeText && !time) return void issues.push({ field: 'occurred-time', message: 'Enter a real time, like 14:30 or 2:30pm' });
  const today = londonDate(now);
  const opened = new Date(field(form, '_at'));
  if (!time && isoDay(day) === today) return (!Number.isNaN(opened.getTime()) && opened <= now && londonDate(opened) === today ? opened : now).toISOString();
  const at = londonIso(day.year, day.month, day.day, time?.hour ?? 12, time?.minute ?? 0);
  if (!at || isoDay(day) > today || Date.parse(at) > now.getTime() + 5 * 60_000) {
    return void issues.push({ field: 'occurred-day', message: 'The decision must be today or in the past' });
  }
  return at;
}

/** The decision form as the API's body. Blank rows are left out; `rows` remembers which row each item came from. */
export function decisionFromForm(form: FormBody, known: (id: string) => Known | undefined, now: Date) {
  const issues: Issue[] = [];
  const occurredAt = decidedAt(form, now, issues);
  const optionRows: number[] = [];
  const options: string[] = [];
  for (let i = 0; i < OPTION_ROWS; i++) {
    const v = field(form, `option-${i}`);
    if (v) { options.push(v); optionRows.push(i); }
  }
  const participantRows: number[] = [];
  const participants: Record<string, unknown>[] = [];
  for (let i = 0; i < PARTICIPANT_ROWS; i++) {
    const p = (n: string) => field(form, `participants-${i}-${n}`);
    const who = p('practitioner') ? known(p('practitioner')) : undefined;
    if (p('practitioner') && !who) { issues.push({ field: `participants-${i}-practitioner`, message: 'Choose a practitioner from the list' }); continue; }
    if (!who && !p('name')) {
      if (p('reason') || p('agency')) issues.push({ field: `participants-${i}-name`, message: 'Choose a practitioner or enter the name' });
      continue;
    }
    if (!['agree', 'dissent'].includes(p('position'))) issues.push({ field: `participants-${i}-position`, message: 'Say whether they agree or disagree' });
    participantRows.push(i);
    participants.push({
      practitioner_id: p('practitioner') || undefined, name: who?.name ?? p('name'), role: who?.role, agency: p('agency') || who?.agency || undefined,
      position: p('position'), reason: p('reason') || undefined,
    });
  }
  const supersedes = field(form, 'supersedes_id');
  const input = {
    occurred_at: occurredAt, question: field(form, 'question'), outcome: field(form, 'outcome'), rationale: field(form, 'rationale'), options, participants,
    ...(supersedes ? { supersedes_id: supersedes, supersede_reason: field(form, 'supersede_reason') || undefined } : {}),
  };
  const mapping: ErrorMapping = { fieldFor: (path) => decisionField(path, optionRows, participantRows, !!supersedes), message: plain };
  return { input, mapping, errors: issues.length ? errorsFrom(issues) : undefined };
}

const participantFields: Record<string, string> = { practitioner_id: 'practitioner', name: 'name', role: 'name', agency: 'agency', position: 'position', reason: 'reason' };

function decisionField(path: string, optionRows: number[], participantRows: number[], superseding: boolean): string {
  const [head, index, rest] = path.split('.');
  if (head === 'occurred_at') return 'occurred-day';
  if (head === 'options' && index) return `option-${optionRows[Number(index)] ?? 0}`;
  if (head === 'participants' && index) return `participants-${participantRows[Number(index)] ?? 0}-${participantFields[rest ?? ''] ?? 'name'}`;
  if (['question', 'outcome', 'rationale', 'supersede_reason'].includes(head)) return head;
  return superseding ? 'supersede_reason' : 'question';
}

/** The disagreement form as the API's body. */
export function disagreementFromForm(form: FormBody) {
  const input = {
    respondent_id: field(form, 'respondent_id'), matter: field(form, 'matter'),
    decision_id: field(form, 'decision_id') || undefined, urgent: field(form, 'urgent') === 'yes',
  };
  const mapping: ErrorMapping = {
    fieldFor: (path) => (['respondent_id', 'matter', 'decision_id'].includes(path) ? path : 'matter'),
    message: (path, m) => (path === 'respondent_id' && !input.respondent_id ? 'Choose the practitioner you disagree with' : plain(path, m)),
  };
  return { input, mapping };
}

/** The schema's length messages in plain English. */
export function plain(_path: string, message: string): string {
  return message
    .replace(/^Too small: expected string to have >=(\d+) characters?$/, 'Write at least $1 characters')
    .replace(/^Too big: expected string to have <=(\d+) characters?$/, 'Write no more than $1 characters');
}

/**
 * What the service refused, as form errors: invalid input against its fields, and a step not allowed
 * now (409) or not by this person (403) in words beside `where`. Anything else is rethrown.
 */
export function refusal(err: unknown, mapping: ErrorMapping, where: string): FormErrors {
  if (err instanceof DomainError && (err.status === 403 || err.status === 409)) return errorsFrom([{ field: where, message: err.message }]);
  const errors = formErrors(err, mapping);
  if (!errors) throw err;
  return errors;
}
