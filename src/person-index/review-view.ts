import type { Explanation, PersonRecord } from '../matching/index.js';
import type { ReviewRow } from './reviews-store.js';
import { matcherRecord, type AgencyRecord } from './store.js';

const roleLabels: Record<string, string> = {
  given_name: 'Given name', surname: 'Family name', date_of_birth: 'Date of birth', nhs_number: 'NHS number', postcode: 'Postcode', sex: 'Sex',
  identifier: 'Other identifier', email: 'Email', address: 'Address', town: 'Town',
};

/** One line of the side-by-side view: both values, the comparison level, and what it added. */
export interface FieldRow {
  role: string;
  field: string;
  record: string;
  candidate: string;
  level: string;
  label: string;
  m: number | null;
  u: number | null;
  weight: number;
}

export interface ReviewView {
  id: string;
  queued_at: string;
  status: 'open' | 'decided';
  decision: { decision: 'same' | 'different'; at: string; by: string | null; reason: string } | null;
  record: AgencyRecordView;
  candidate: { type: 'person'; person_id: string; record: PersonRecord } | { type: 'record'; record: AgencyRecordView };
  fields: FieldRow[];
  /** The score as the sum of its parts: prior_weight + each field's weight = match_weight. */
  prior_weight: number;
  match_weight: number;
  match_probability: number;
  explanation: Explanation;
}

export interface AgencyRecordView {
  id: string; agency_id: string; agency: string; local_id: string; version: number; kind: string;
  given_name: string; family_name: string; date_of_birth: string | null; nhs_number: string | null;
  address: string[]; postcode: string | null; sex: string; submitted_at: string;
}

export const recordView = (r: AgencyRecord): AgencyRecordView => ({
  id: r.id, agency_id: r.agency_id, agency: r.agency_name, local_id: r.local_id, version: r.version, kind: r.kind,
  given_name: r.given_name, family_name: r.family_name, date_of_birth: r.date_of_birth, nhs_number: r.nhs_number,
  address: r.address, postcode: r.postcode, sex: r.sex, submitted_at: new Date(r.submitted_at).toISOString(),
});

const valueOf = (r: PersonRecord, role: string): string => {
  const v = (r as Record<string, unknown>)[role];
  return Array.isArray(v) ? v.join(', ') : typeof v === 'string' && v ? v : '—';
};

/** The review item as a reviewer sees it: the two records field by field, each field's weight, and the sum. */
export function sideBySide(item: ReviewRow, record: AgencyRecord, other: AgencyRecord | null): ReviewView {
  const mine = matcherRecord(record);
  const theirs = other ? matcherRecord(other) : item.candidate;
  const e = item.explanation;
  return {
    id: item.id,
    queued_at: new Date(item.queued_at).toISOString(),
    status: item.decision ? 'decided' : 'open',
    decision: item.decision ? { decision: item.decision, at: new Date(item.decided_at!).toISOString(), by: item.decided_by_name, reason: item.reason ?? '' } : null,
    record: recordView(record),
    candidate: other ? { type: 'record', record: recordView(other) } : { type: 'person', person_id: item.person_id!, record: item.candidate },
    fields: e.fields.map((f) => ({
      role: f.role, field: roleLabels[f.role] ?? f.role, record: valueOf(mine, f.role), candidate: valueOf(theirs, f.role),
      level: f.level, label: f.label, m: f.m, u: f.u, weight: f.weight,
    })),
    prior_weight: e.prior_weight,
    match_weight: e.match_weight,
    match_probability: e.match_probability,
    explanation: e,
  };
}
