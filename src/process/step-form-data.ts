import { ZodError } from 'zod';
import { londonIso } from '../web/dates.js';
import { dateInput, errorsFrom, field, fields, isoDay, timeInput, type ErrorMapping, type FormBody, type FormErrors } from '../web/forms.js';
import { lacksReasons, NO_REASONS } from '../decisions/process-decisions.js';
import { londonDate } from './dates.js';
import { stepForms, type StepField } from './step-forms.js';
import { parseStepData, timedSteps, type StepName } from './steps.js';

/**
 * A step from its form: when it happened (UK clock), the notes, a late reason if given, and the
 * step's own data from its field descriptions. Every problem the form can see is reported at once,
 * in plain English, before the service checks the step against the child's process.
 */
export interface StepFromForm {
  input: { step: StepName; occurred_at?: string; narrative: string; late_reason?: string; data: Record<string, unknown> };
  errors?: FormErrors;
  /** Which form row each attendee or condition came from (blank rows are left out). */
  mapping: ErrorMapping;
}

type Issue = { field: string; message: string };
type Known = (id: string) => { name: string; agencyKind: string } | undefined;

const agencyKinds = new Set(['local_authority', 'police', 'health', 'school']);
/** A date-only step on an earlier day happened at noon (today's: when its form was opened). */
const NOON = { hour: 12, minute: 0 };

export function stepFromForm(step: StepName, form: FormBody, known: Known, now: Date): StepFromForm {
  const issues: Issue[] = [];
  // Errors are listed in the order of the form: when, then the step's own fields, then the late reason.
  const occurredAt = when(step, form, now, issues);
  const rows: Record<string, number[]> = { attendees: [], conditions: [], actions: [] };
  const data: Record<string, unknown> = {};
  for (const f of stepForms[step].fields) readField(f, form, data, issues, rows, known);
  const mapping = mappingFor(step, rows);
  try {
    parseStepData(step, data);
  } catch (err) {
    if (!(err instanceof ZodError)) throw err;
    for (const i of err.issues) issues.push({ field: mapping.fieldFor(i.path.join('.')), message: messageFor(step, i.path.slice(1), data, i, rows) });
  }
  if (lacksReasons(step, { narrative: field(form, 'narrative') })) issues.push({ field: 'narrative', message: NO_REASONS });
  const lateReason = field(form, 'late_reason');
  if (lateReason && lateReason.length < 5) issues.push({ field: 'late_reason', message: 'Give the reason in at least 5 characters' });
  const input = { step, occurred_at: occurredAt, narrative: field(form, 'narrative'), ...(lateReason ? { late_reason: lateReason } : {}), data };
  return { input, mapping, errors: issues.length ? errorsFrom(issues) : undefined };
}

function when(step: StepName, form: FormBody, now: Date, issues: Issue[]): string | undefined {
  const day = dateInput(form, 'occurred', 'the date it happened');
  if (!day.ok) issues.push({ field: 'occurred-day', message: day.message });
  const timed = timedSteps.has(step);
  const timeText = field(form, 'occurred-time');
  const time = timed ? timeInput(timeText) : NOON;
  if (timed && !time) issues.push({ field: 'occurred-time', message: timeText ? 'Enter a real time, like 14:30 or 2:30pm' : 'Enter the time, like 14:30' });
  if (!day.ok || !time) return undefined;
  const today = londonDate(now);
  const iso = isoDay(day);
  if (!timed && iso === today) return openedToday(form, today, now).toISOString();
  const at = londonIso(day.year, day.month, day.day, time.hour, time.minute);
  if (iso > today || (at && Date.parse(at) > now.getTime() + 5 * 60_000)) {
    issues.push({ field: 'occurred-day', message: iso > today ? 'The date must be today or in the past' : 'The time must not be in the future' });
    return undefined;
  }
  return at;
}

/**
 * A date-only step recorded for today happened when its form was opened (`_at`, kept across
 * re-renders), so sending the same form twice sends the same step and the idempotency key holds.
 */
function openedToday(form: FormBody, today: string, now: Date): Date {
  const opened = new Date(field(form, '_at'));
  const ok = !Number.isNaN(opened.getTime()) && opened <= now && londonDate(opened) === today;
  return ok ? opened : now;
}

function readField(f: StepField, form: FormBody, data: Record<string, unknown>, issues: Issue[], rows: Record<string, number[]>, known: Known) {
  const one = field(form, f.name);
  switch (f.type) {
    case 'yesno':
      if (one === 'yes' || one === 'no') data[f.name] = one === 'yes';
      return;
    case 'number':
      if (one) data[f.name] = /^\d+$/.test(one) ? Number(one) : one;
      return;
    case 'date': {
      const d = dateInput(form, f.name, f.label.replace(/ \(.*\)$/, '').toLowerCase());
      if (d.ok) data[f.name] = isoDay(d);
      else if (!d.blank) issues.push({ field: `${f.name}-day`, message: d.message });
      return;
    }
    case 'checkboxes':
    case 'practitioners':
      data[f.name] = [...new Set(fields(form, f.name))];
      return;
    case 'attendees':
      data.attendees = readRows(form, 'attendees', f.rows, rows.attendees, (get) => {
        const pid = get('practitioner');
        const p = pid ? known(pid) : undefined;
        const agency = get('agency') || (p && agencyKinds.has(p.agencyKind) ? p.agencyKind : '');
        return { name: get('name') || p?.name || '', agency_kind: agency || undefined, practitioner_id: pid || undefined, ...positionOf(get) };
      });
      reasonWithoutDissent(form, rows.attendees, issues);
      return;
    case 'conditions':
      data.conditions = readRows(form, 'conditions', f.rows, rows.conditions, (get) => {
        const [kind, id] = get('monitor').split(':');
        const monitor = kind === 'practitioner' ? { practitioner_id: id } : kind === 'person' ? { person_id: id } : undefined;
        return { condition: get('condition'), monitor, how_checked: get('how_checked') };
      });
      return;
    case 'actions':
      data.actions = readActions(form, f.rows, rows.actions, issues);
      return;
    default:
      if (f.name === 'plan_condition') {
        // "<plan id>/<condition index>": one choice names both.
        const [planId, index] = one.split('/');
        if (planId) Object.assign(data, { plan_id: planId, condition: Number(index) });
      } else if (one) data[f.name] = one;
  }
}

/** An attendee's view of the meeting's decision: none ("not recorded"), agree, or dissent with why. */
function positionOf(get: (part: string) => string): { position?: string; dissent_reason?: string } {
  const position = get('position');
  if (position !== 'agree' && position !== 'dissent') return {};
  return { position, ...(position === 'dissent' && get('dissent_reason') ? { dissent_reason: get('dissent_reason') } : {}) };
}

/** Why someone disagrees, typed for a row that does not say they disagree: ask rather than drop it. */
function reasonWithoutDissent(form: FormBody, rows: number[], issues: Issue[]) {
  for (const i of rows) {
    if (field(form, `attendees-${i}-dissent_reason`) && field(form, `attendees-${i}-position`) !== 'dissent') {
      issues.push({ field: `attendees-${i}-position`, message: `You said why person ${i + 1} disagrees: choose “Disagrees”, or clear the reason` });
    }
  }
}

/** The rows of a repeated group with anything typed in them, noting which form row each came from. */
function readRows(form: FormBody, prefix: string, count: number, from: number[], read: (get: (part: string) => string) => Record<string, unknown>) {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const keys = Object.keys(form).filter((k) => k.startsWith(`${prefix}-${i}-`));
    if (!keys.some((k) => field(form, k))) continue;
    out.push(read((part) => field(form, `${prefix}-${i}-${part}`)));
    from.push(i);
  }
  return out;
}

/** A row's schema field and the form control it comes from, where their names differ. */
const rowParts: Record<string, string> = { agency_kind: 'agency', practitioner_id: 'practitioner' };

/** Where on the form each schema path's error is shown. */
function mappingFor(step: StepName, rows: Record<string, number[]>): ErrorMapping {
  const defs = stepForms[step].fields;
  return {
    fieldFor: (path) => {
      if (path === 'occurred_at') return 'occurred-day';
      if (path === 'late_reason' || path === 'narrative') return path;
      // A deciding step's reasons are its notes on the form.
      if (path === 'rationale') return 'narrative';
      const [, name, index, part] = path.split('.');
      if (name === 'attendees' || name === 'conditions' || name === 'actions') {
        const row = index === undefined ? 0 : rows[name][Number(index)] ?? 0;
        if (name === 'actions') return `actions-${row}-${part === 'due_on' ? 'due-day' : part === 'practitioner_id' ? 'practitioner' : part ?? 'what'}`;
        return `${name}-${row}-${rowParts[part] ?? part ?? (name === 'attendees' ? 'name' : 'condition')}`;
      }
      if (name === 'plan_id' || name === 'condition') return defs.some((f) => f.name === 'plan_condition') ? 'plan_condition' : name;
      const f = defs.find((x) => x.name === name);
      if (!f) return 'occurred-day';
      return f.type === 'date' ? `${f.name}-day` : f.type === 'practitioners' ? `${f.name}-1` : f.name;
    },
  };
}

function messageFor(step: StepName, path: PropertyKey[], data: Record<string, unknown>, issue: { code: string; message: string }, rows: Record<string, number[]>): string {
  const [name, index, part] = path.map(String);
  const n = Number(index) + 1;
  // Blank rows are left out, so an attendee is named by the form row it came from.
  if (name === 'attendees' && index !== undefined) return attendeeMessage(part, (rows.attendees[Number(index)] ?? Number(index)) + 1, issue);
  if (name === 'actions' && index !== undefined) return actionMessage(part, (rows.actions[Number(index)] ?? Number(index)) + 1, issue);
  if (issue.code === 'custom') return issue.message;
  if (name === 'conditions') {
    if (index === undefined) return 'Enter at least one condition';
    if (part === 'monitor') return `Choose who will monitor condition ${n}`;
    return part === 'how_checked' ? `Say how condition ${n} will be checked` : `Describe condition ${n} in at least 3 characters`;
  }
  const f = stepForms[step].fields.find((x) => x.name === name || (x.name === 'plan_condition' && (name === 'plan_id' || name === 'condition')));
  const v = data[name];
  const blank = v === undefined || (Array.isArray(v) && v.length === 0);
  if (f?.required && (blank || f.type === 'number')) return f.required;
  return `Check your answer to “${f?.label.replace(/\?$/, '') ?? name}”`;
}

/** An attendee row's problem, naming the row as the form numbers it. */
function attendeeMessage(part: string | undefined, n: number, issue: { code: string; message: string }): string {
  switch (part) {
    case 'agency_kind': return `Choose the agency of person ${n} at the meeting`;
    case 'dissent_reason': return issue.code === 'custom' ? `Say why person ${n} disagrees` : `Say why person ${n} disagrees, in 5 to 2,000 characters`;
    case 'practitioner_id':
      return issue.code === 'custom' ? `Person ${n} disagrees: choose them from the practitioners in Sightline, so the disagreement reaches them` : `Choose person ${n} from the practitioners in Sightline`;
    case 'position': return `Choose whether person ${n} agrees or disagrees`;
    default: return issue.code === 'custom' ? issue.message : `Enter the name of person ${n} at the meeting`;
  }
}

/**
 * A plan's action rows: what, who (a Sightline practitioner or a typed name) and by when. A row with
 * anything typed is read; its date is checked here, as the form asks it (day, month, year).
 */
function readActions(form: FormBody, count: number, from: number[], issues: Issue[]) {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const get = (part: string) => field(form, `actions-${i}-${part}`);
    if (!['what', 'practitioner', 'name', 'due-day', 'due-month', 'due-year'].some((p) => get(p))) continue;
    const due = dateInput(form, `actions-${i}-due`, `the date for action ${i + 1}`);
    if (!due.ok && !due.blank) issues.push({ field: `actions-${i}-due-day`, message: due.message });
    out.push({ what: get('what'), practitioner_id: get('practitioner') || undefined, name: get('name') || undefined, due_on: due.ok ? isoDay(due) : undefined });
    from.push(i);
  }
  return out;
}

/** An action row's problem, naming the row as the form numbers it. */
function actionMessage(part: string | undefined, n: number, issue: { code: string; message: string }): string {
  switch (part) {
    case 'due_on': return `Enter the date for action ${n}`;
    case 'name': return `Say who will do action ${n}: choose a practitioner or type a name`;
    case 'practitioner_id': return `Choose who will do action ${n} from the practitioners in Sightline`;
    case 'what': return `Say what action ${n} is, in at least 3 characters`;
    default: return `Check action ${n}`;
  }
}
