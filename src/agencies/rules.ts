import { roleAgencyKinds, roleLabels, agencyKindLabels, type agencyKinds, type Role } from './schemas.js';

/** Pure checks on who may hold which account; the service looks the facts up, these decide. */
export type AgencyKind = (typeof agencyKinds)[number];
export interface FieldProblem {
  path: string;
  message: string;
}

export interface PractitionerFacts {
  /** Set when changing an existing account, so a person cannot manage themselves. */
  id?: string;
  agencyId: string;
  agencyKind: AgencyKind;
  role: Role;
  qualifiedSocialWorker: boolean;
  teamId: string | null;
  /** The team as found in the database, or null when the id matched nothing. */
  team: { agencyId: string } | null;
  managerId: string | null;
  /** The manager as found, with everyone above them in the line (for cycles). */
  manager: { agencyId: string; active: boolean; lineAbove: string[] } | null;
}

export function practitionerProblems(f: PractitionerFacts): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (f.teamId && (!f.team || f.team.agencyId !== f.agencyId)) {
    out.push({ path: 'team_id', message: 'Choose a team in the practitioner’s own agency' });
  }
  if (f.managerId) {
    if (!f.manager || f.manager.agencyId !== f.agencyId) {
      out.push({ path: 'manager_id', message: 'Choose a manager in the practitioner’s own agency' });
    } else if (!f.manager.active) {
      out.push({ path: 'manager_id', message: 'Choose a manager whose account is active' });
    } else if (f.id && (f.managerId === f.id || f.manager.lineAbove.includes(f.id))) {
      out.push({ path: 'manager_id', message: 'A practitioner cannot be managed by themselves or by someone they manage' });
    }
  }
  if (f.qualifiedSocialWorker && f.agencyKind !== 'local_authority') {
    out.push({ path: 'qualified_social_worker', message: 'Only local authority staff can be recorded as qualified social workers' });
  }
  const kinds = roleAgencyKinds[f.role];
  if (kinds && !kinds.includes(f.agencyKind)) {
    out.push({ path: 'role', message: `A ${roleLabels[f.role].toLowerCase()} must belong to a ${kinds.map((k) => agencyKindLabels[k].toLowerCase()).join(' or ')}` });
  }
  return out;
}
