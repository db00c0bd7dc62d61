import type { ColumnType, Generated } from 'kysely';

/** Columns the database fills in when we omit them. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type JsonValue = ColumnType<unknown, string, string>;

export interface AgenciesTable {
  id: string;
  kind: string;
  name: string;
  code: string;
  jurisdiction: Defaulted<string>;
  office_hours_phone: string | null;
  out_of_hours_phone: string | null;
  created_at: Timestamp;
}
export interface TeamsTable {
  id: string;
  agency_id: string;
  name: string;
  screening: Defaulted<boolean>;
  created_at: Timestamp;
}
export interface PractitionersTable {
  id: string;
  agency_id: string;
  team_id: string | null;
  manager_id: string | null;
  email: string;
  display_name: string;
  role: string;
  qualified_social_worker: Defaulted<boolean>;
  password_hash: string | null;
  active: Defaulted<boolean>;
  failed_sign_ins: Defaulted<number>;
  locked_until: Date | null;
  created_at: Timestamp;
}
export interface SessionsTable {
  token_hash: string;
  practitioner_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Date;
  ended_at: Date | null;
}
export interface ApiTokensTable {
  id: string;
  agency_id: string;
  name: string;
  token_hash: string;
  entry_kinds: string[];
  created_by: string;
  created_at: Timestamp;
  revoked_at: Date | null;
  revoked_by: Defaulted<string | null>;
}
export interface IdempotencyKeysTable {
  actor: string;
  key: string;
  fingerprint: string;
  status_code: number;
  response: JsonValue;
  created_at: Timestamp;
}
export interface PersonsTable {
  id: string;
  kind: string;
  sex: Defaulted<string>;
  date_of_birth: string | null;
  expected_date_of_birth: string | null;
  created_at: Timestamp;
  created_by: string | null;
}
export interface PersonNamesTable {
  id: string;
  person_id: string;
  given_name: string;
  family_name: string;
  name_type: Defaulted<string>;
  valid_from: string | null;
  valid_to: string | null;
  recorded_at: Timestamp;
  recorded_by: string | null;
}
export interface PersonIdentifiersTable {
  id: string;
  person_id: string;
  scheme: string;
  agency_id: string | null;
  value: string;
  recorded_at: Timestamp;
  recorded_by: string | null;
}
export interface PersonAddressesTable {
  id: string;
  person_id: string;
  line1: string;
  line2: string | null;
  town: string | null;
  postcode: string;
  valid_from: string;
  valid_to: string | null;
  recorded_at: Timestamp;
  recorded_by: string | null;
}
export interface RelationshipsTable {
  id: string;
  child_id: string;
  other_person_id: string;
  kind: string;
  lives_with_child: Defaulted<boolean>;
  valid_from: string;
  valid_to: string | null;
  recorded_at: Timestamp;
  recorded_by: string | null;
}
export interface EntriesTable {
  id: string;
  child_id: string;
  seq: number;
  kind: string;
  occurred_at: Date;
  recorded_at: Date;
  author_id: string | null;
  author_name: string;
  author_role: string;
  author_agency_id: string;
  via_token_id: string | null;
  concerns: string[];
  narrative: string;
  data: JsonValue;
  supersedes_id: string | null;
  correction_reason: string | null;
  prev_hash: string;
  hash: string;
  seal: string;
  view_text: string | null;
}
export interface ChainHeadsTable {
  child_id: string;
  seq: number;
  hash: string;
  seal: string;
  updated_at: Timestamp;
}
export interface AllocationsTable {
  id: string;
  child_id: string;
  practitioner_id: string;
  team_id: string;
  valid_from: Timestamp;
  valid_to: Date | null;
  recorded_by: string | null;
  ended_by: Defaulted<string | null>;
}
export interface GroupMembersTable {
  id: string;
  child_id: string;
  practitioner_id: string;
  group_kind: string;
  valid_from: Timestamp;
  valid_to: Date | null;
  recorded_by: string | null;
  ended_by: Defaulted<string | null>;
}
export interface EmergencyAccessTable {
  id: string;
  child_id: string;
  practitioner_id: string;
  reason: string;
  granted_at: Date;
  expires_at: Date;
}
export interface AuditEventsTable {
  id: Generated<number>;
  at: Timestamp;
  actor_practitioner_id: string | null;
  actor_token_id: string | null;
  child_id: string | null;
  action: string;
  basis: string;
  emergency_access_id: string | null;
  detail: ColumnType<unknown, string | undefined, string>;
}
export interface NotificationsTable {
  id: string;
  recipient_id: string;
  kind: string;
  child_id: string | null;
  title: string;
  body: string;
  created_at: Timestamp;
  read_at: Date | null;
  must_acknowledge: Defaulted<boolean>;
  entry_id: ColumnType<string | null, string | null | undefined, string | null>;
}
/** Append-only: one acknowledgement per notice (migration 0022). */
export interface NoticeAcknowledgementsTable {
  notification_id: string;
  practitioner_id: string;
  at: Timestamp;
  note: string | null;
}
export interface CalendarsTable {
  code: string;
  name: string;
  weekend: Defaulted<number[]>;
  covers_from: string;
  covers_to: string;
}
export interface BankHolidaysTable {
  calendar: string;
  date: string;
  name: string;
  source: string;
  recorded_at: Timestamp;
}
export interface JurisdictionsTable {
  code: string;
  name: string;
  calendar: string;
}
export interface TimescaleRulesTable {
  id: Generated<string>;
  code: string;
  jurisdiction: string;
  locality: string | null;
  step: string;
  trigger_event: string;
  trigger: string;
  amount: number;
  unit: string;
  convention: string;
  source: string;
  status: string;
  local_practice: boolean;
  effective_from: string;
  recorded_at: Timestamp;
  recorded_by: string | null;
}

export interface DB {
  agencies: AgenciesTable;
  teams: TeamsTable;
  practitioners: PractitionersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  idempotency_keys: IdempotencyKeysTable;
  persons: PersonsTable;
  person_names: PersonNamesTable;
  person_identifiers: PersonIdentifiersTable;
  person_addresses: PersonAddressesTable;
  relationships: RelationshipsTable;
  entries: EntriesTable;
  chain_heads: ChainHeadsTable;
  allocations: AllocationsTable;
  group_members: GroupMembersTable;
  emergency_access: EmergencyAccessTable;
  audit_events: AuditEventsTable;
  notifications: NotificationsTable;
  notice_acknowledgements: NoticeAcknowledgementsTable;
  calendars: CalendarsTable;
  bank_holidays: BankHolidaysTable;
  jurisdictions: JurisdictionsTable;
  timescale_rules: TimescaleRulesTable;
}
