import { adultChecks, bodyLocationNames, type EntryKind } from './kinds.js';

/**
 * The few fields the quick "add an entry" form asks for each kind, beyond the narrative and when it
 * happened. The same definitions turn a form into an entry's `data`, an entry back into a form (to
 * correct it), and an entry's data into the facts shown in the chronology.
 */
interface Common {
  name: string;
  label: string;
  hint?: string;
  /** The short label of this fact in the chronology ("Child seen: Yes"). */
  fact?: string;
  /** Asked only about a baby (younger than R8's `baby_under_months` where the child lives). */
  babyOnly?: true;
}
export type FormField = Common & (
  | { type: 'yesno'; required?: string }
  | { type: 'select' | 'radios'; options: [string, string][]; required?: string }
  | { type: 'text' | 'textarea'; required?: string }
  | { type: 'number' }
  | { type: 'lines' }
  /** Several selects sharing a name: a short list chosen from many options, without a wall of tick boxes. */
  | { type: 'choices'; options: [string, string][]; count: number; required?: string }
);

const words = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).replace(/_/g, ' ');
const opts = (values: readonly string[], labels: Record<string, string> = {}): [string, string][] => values.map((v) => [v, labels[v] ?? words(v)]);

export const kindFields: Record<EntryKind, FormField[]> = {
  contact_referral: [
    { type: 'select', name: 'source', fact: 'Raised by', label: 'Who raised the concern?', required: 'Choose who raised the concern',
      options: opts(['police', 'health', 'school', 'local_authority', 'family', 'member_of_public', 'anonymous', 'self', 'other'], { local_authority: 'Local authority', self: 'The child or young person' }) },
    { type: 'text', name: 'referrer_name', fact: 'Referrer', label: 'Their name (optional)' },
  ],
  home_visit: [
    { type: 'yesno', name: 'child_seen', fact: 'Child seen', label: 'Was the child seen?', required: 'Say whether the child was seen' },
    { type: 'yesno', name: 'child_seen_alone', fact: 'Seen alone', label: 'Was the child seen alone?', required: 'Say whether the child was seen alone' },
    { type: 'yesno', name: 'announced', fact: 'Announced', label: 'Did the family know you were coming?', hint: 'Answer no for an unannounced visit' },
    { type: 'lines', name: 'present', fact: 'Present', label: 'Who else was there? (optional)', hint: 'One person on each line, for example “Mother” or “Mother’s partner, Dan”' },
    { type: 'yesno', name: 'child_account_differs', fact: 'Child’s account differs from the parents’', label: 'Did the child’s account differ from the parents’? (optional)' },
    { type: 'yesno', name: 'baby_seen_awake', fact: 'Baby seen awake', label: 'Was the baby seen awake? (optional)', babyOnly: true },
    { type: 'yesno', name: 'baby_seen_undressed', fact: 'Baby seen undressed', label: 'Was the baby seen undressed? (optional)', hint: 'So that their skin could be seen, as local practice asks for a baby on a plan', babyOnly: true },
  ],
  injury: [
    { type: 'choices', name: 'body_locations', fact: 'Where', label: 'Where on the body?', hint: 'Choose up to 3 places', count: 3, required: 'Choose where on the body the injury is', options: opts(bodyLocationNames, { torso_other: 'Other part of the torso' }) },
    { type: 'select', name: 'injury_type', fact: 'Injury', label: 'What kind of injury?', required: 'Choose the kind of injury',
      options: opts(['bruise', 'burn', 'fracture', 'bite', 'cut_or_abrasion', 'head_injury', 'other'], { cut_or_abrasion: 'Cut or graze' }) },
    { type: 'textarea', name: 'explanation_given', label: 'What explanation was given? (optional)' },
    { type: 'radios', name: 'explanation_consistent', fact: 'Explanation consistent', label: 'Is the explanation consistent with the injury?', required: 'Say whether the explanation is consistent with the injury',
      options: opts(['yes', 'no', 'unclear', 'none_given'], { none_given: 'No explanation was given' }) },
    { type: 'yesno', name: 'child_mobile', fact: 'Mobile', label: 'Is the child mobile (crawling or walking)?', hint: 'Leave blank if you do not know' },
    { type: 'text', name: 'medical_cause', fact: 'Medical cause', label: 'Medical cause confirmed (health practitioners only, optional)', hint: 'For example, congenital dermal melanocytosis' },
  ],
  hospital_attendance: [
    { type: 'text', name: 'hospital', label: 'Hospital', required: 'Enter the hospital' },
    { type: 'select', name: 'department', fact: 'Department', label: 'Department', required: 'Choose the department',
      options: opts(['emergency_department', 'minor_injury_unit', 'walk_in_centre', 'ward', 'outpatients', 'other']) },
    { type: 'text', name: 'presenting_complaint', fact: 'Brought in for', label: 'Why the child was brought in', required: 'Enter why the child was brought in' },
  ],
  health_appointment: [
    { type: 'text', name: 'service', fact: 'Service', label: 'Service or clinic', required: 'Enter the service or clinic' },
    { type: 'select', name: 'outcome', fact: 'Outcome', label: 'What happened?', required: 'Choose what happened',
      options: opts(['attended', 'was_not_brought', 'cancelled_by_family', 'cancelled_by_service', 'rearranged'], { was_not_brought: 'Was not brought' }) },
  ],
  police_incident: [
    { type: 'select', name: 'incident_type', fact: 'Incident', label: 'Kind of incident', required: 'Choose the kind of incident',
      options: opts(['domestic_abuse', 'assault', 'concern_for_welfare', 'missing_child', 'arrest', 'other']) },
    { type: 'text', name: 'reference', fact: 'Reference', label: 'Police reference (optional)' },
    { type: 'select', name: 'investigation_status', fact: 'Investigation', label: 'Investigation', options: opts(['not_applicable', 'open', 'no_further_action', 'charged', 'bailed']) },
  ],
  school_concern: [
    { type: 'radios', name: 'concern_type', fact: 'Concern', label: 'What is the concern about?', required: 'Choose attendance or welfare', options: opts(['attendance', 'welfare']) },
    { type: 'number', name: 'sessions_missed', fact: 'Sessions missed', label: 'Sessions missed (optional)', hint: 'Half-day sessions, for an attendance concern' },
  ],
  case_note: [],
  adult_check: [
    { type: 'text', name: 'person_id', fact: 'Adult', label: 'The adult’s Sightline id', hint: 'Shown beside them under the child’s household and relationships', required: 'Enter the adult’s Sightline id' },
    { type: 'choices', name: 'checks', fact: 'Checks done', label: 'Which checks were completed?', count: 5, required: 'Choose the checks completed',
      options: opts(adultChecks, { police: 'Police (PNC)', csc_history: 'Children’s social care history', probation: 'Probation or MAPPA', connected_person_assessment: 'Connected-person (carer) assessment' }) },
    { type: 'yesno', name: 'concerns_found', fact: 'Concerns found', label: 'Did the checks find concerns?', required: 'Say whether the checks found concerns' },
  ],
  correspondence: [
    { type: 'radios', name: 'direction', fact: 'Direction', label: 'Sent or received?', required: 'Choose sent or received', options: opts(['sent', 'received']) },
    { type: 'text', name: 'counterpart', fact: 'With', label: 'Sent to or received from', required: 'Enter who it was sent to or received from' },
    { type: 'text', name: 'subject', label: 'Subject', required: 'Enter the subject' },
  ],
};

/** The fields the form asks: the questions about a baby only when the child is one. */
export const formFields = (kind: EntryKind, baby: boolean): FormField[] => kindFields[kind].filter((f) => baby || !f.babyOnly);

export type FormValues = Record<string, string | string[]>;

/** The kind's `data` from what was typed: blanks left out, so the kind's schema decides what is missing. */
export function dataFromForm(kind: EntryKind, form: FormValues): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const f of kindFields[kind]) {
    const raw = form[f.name];
    const one = (Array.isArray(raw) ? raw[0] ?? '' : raw ?? '').trim();
    const many = (Array.isArray(raw) ? raw : raw ? [raw] : []).map((s) => s.trim()).filter(Boolean);
    if (f.type === 'yesno') {
      if (one === 'yes' || one === 'no') data[f.name] = one === 'yes';
    } else if (f.type === 'number') {
      if (one) data[f.name] = /^\d+$/.test(one) ? Number(one) : one;
    } else if (f.type === 'lines') {
      data[f.name] = many.flatMap((s) => s.split(/\r?\n/)).map((s) => s.trim()).filter(Boolean);
    } else if (f.type === 'choices') {
      data[f.name] = [...new Set(many)];
    } else if (one) {
      data[f.name] = one;
    }
  }
  return data;
}

/** An entry's data as form values, to fill in the correction form. */
export function formFromData(kind: EntryKind, data: Record<string, unknown>): FormValues {
  const out: FormValues = {};
  for (const f of kindFields[kind]) {
    const v = data[f.name];
    if (v === undefined || v === null) continue;
    if (f.type === 'yesno') out[f.name] = v ? 'yes' : 'no';
    else if (f.type === 'lines') out[f.name] = (v as string[]).join('\n');
    else if (f.type === 'choices') out[f.name] = (v as string[]).map(String);
    else out[f.name] = String(v);
  }
  return out;
}

/** Short facts for the chronology, such as "Child seen: Yes", from an entry's data. */
export function factsOf(kind: string, data: Record<string, unknown>): string[] {
  const defs = kindFields[kind as EntryKind] ?? [];
  const label = (f: FormField) => f.fact ?? f.label.replace(/ \(optional\)$/, '').replace(/\?$/, '');
  const facts: string[] = [];
  for (const f of defs) {
    const v = data[f.name];
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length)) continue;
    const optionLabel = (x: unknown) => ('options' in f ? f.options.find(([k]) => k === x)?.[1] : undefined) ?? String(x);
    if (f.type === 'yesno') facts.push(`${label(f)}: ${v ? 'Yes' : 'No'}`);
    else if (Array.isArray(v)) facts.push(`${label(f)}: ${v.map(optionLabel).join(', ')}`);
    else if (f.type === 'textarea') continue;
    else facts.push(`${label(f)}: ${optionLabel(v)}`);
  }
  return facts;
}

/** Error messages in plain English for the kind's fields, keyed by the path the schema reports. */
export function fieldMessages(kind: EntryKind): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of kindFields[kind]) if ('required' in f && f.required) out[`data.${f.name}`] = f.required;
  return out;
}
