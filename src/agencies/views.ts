import type { ApiTokenRow, PractitionerRow } from './store.js';

/** Shapes the agencies capability returns; the API sends them and the pages render them. */
export interface AgencyView {
  id: string;
  kind: string;
  name: string;
  code: string;
  jurisdiction: string;
  office_hours_phone: string | null;
  out_of_hours_phone: string | null;
  created_at: string;
}
export interface TeamView {
  id: string;
  agency_id: string;
  name: string;
  screening: boolean;
  created_at: string;
}
export interface AgencyDetail extends AgencyView {
  teams: TeamView[];
}
export interface PractitionerView {
  id: string;
  agency_id: string;
  agency_name: string;
  team_id: string | null;
  team_name: string | null;
  manager_id: string | null;
  manager_name: string | null;
  email: string;
  display_name: string;
  role: string;
  qualified_social_worker: boolean;
  active: boolean;
  /** Locked out after too many failed sign-ins, until `locked_until`. */
  locked: boolean;
  locked_until: string | null;
  created_at: string;
}
export interface ApiTokenView {
  id: string;
  agency_id: string;
  agency_name: string;
  name: string;
  entry_kinds: string[];
  created_at: string;
  created_by_name: string;
  revoked_at: string | null;
  revoked_by_name: string | null;
}
/** Only the response to the create carries the secret; it is never stored or shown again. */
export interface NewApiTokenView extends ApiTokenView {
  secret?: string;
}

const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null) => (d ? iso(d) : null);

export const toAgencyView = (a: Omit<AgencyView, 'created_at'> & { created_at: Date | string }): AgencyView => ({
  id: a.id, kind: a.kind, name: a.name, code: a.code, jurisdiction: a.jurisdiction,
  office_hours_phone: a.office_hours_phone, out_of_hours_phone: a.out_of_hours_phone, created_at: iso(a.created_at),
});
export const toTeamView = (t: { id: string; agency_id: string; name: string; screening: boolean; created_at: Date | string }): TeamView => ({
  id: t.id, agency_id: t.agency_id, name: t.name, screening: t.screening, created_at: iso(t.created_at),
});

export function toPractitionerView(p: PractitionerRow, now = new Date()): PractitionerView {
  const lockedUntil = p.locked_until && p.locked_until > now ? p.locked_until : null;
  return {
    id: p.id, agency_id: p.agency_id, agency_name: p.agency_name, team_id: p.team_id, team_name: p.team_name,
    manager_id: p.manager_id, manager_name: p.manager_name, email: p.email, display_name: p.display_name, role: p.role,
    qualified_social_worker: p.qualified_social_worker, active: p.active, locked: !!lockedUntil,
    locked_until: isoOrNull(lockedUntil), created_at: iso(p.created_at),
  };
}

export const toApiTokenView = (t: ApiTokenRow): ApiTokenView => ({
  id: t.id, agency_id: t.agency_id, agency_name: t.agency_name, name: t.name, entry_kinds: t.entry_kinds,
  created_at: iso(t.created_at), created_by_name: t.created_by_name, revoked_at: isoOrNull(t.revoked_at), revoked_by_name: t.revoked_by_name,
});
