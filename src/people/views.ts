/** Shapes the people capability returns; the pages and API render these. */
export interface NameView {
  given_name: string;
  family_name: string;
  name_type: string;
  valid_from: string | null;
  valid_to: string | null;
}
export interface AddressView {
  line1: string;
  line2: string | null;
  town: string | null;
  postcode: string;
  valid_from: string;
  valid_to: string | null;
}
export interface IdentifierView {
  scheme: 'nhs_number' | 'local';
  agency_id: string | null;
  agency_name: string | null;
  value: string;
}
export interface PersonView {
  id: string;
  kind: 'child' | 'adult';
  sex: string;
  date_of_birth: string | null;
  expected_date_of_birth: string | null;
  /** The current legal name, then the rest of the history, newest first. */
  name: NameView;
  names: NameView[];
  identifiers: IdentifierView[];
  addresses: AddressView[];
}
export interface HouseholdMember {
  relationship_id: string;
  person: PersonView;
  kind: string;
  lives_with_child: boolean;
  valid_from: string;
  valid_to: string | null;
}
export interface ChildSummary {
  child: PersonView;
  /** Who lives with the child now, and who did before (relationships flagged lives_with_child). */
  household: { current: HouseholdMember[]; previous: HouseholdMember[] };
  /** All other relationships over time (parents elsewhere, visitors, …). */
  relationships: HouseholdMember[];
  allocation: { worker_id: string; worker_name: string; team_id: string; team_name: string; since: string } | null;
  group_members: { practitioner_id: string; name: string; role: string; agency_name: string; group_kind: string }[];
  /** How the caller reached this record. */
  basis: string;
}
