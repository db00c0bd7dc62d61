import { z } from 'zod';
import { entryKindNames, type EntryKind } from '../record/kinds.js';

export const agencyKinds = ['local_authority', 'police', 'health', 'school'] as const;
export const agencyKindLabels: Record<(typeof agencyKinds)[number], string> = {
  local_authority: "Local authority children's social care",
  police: 'Police force',
  health: 'Health organisation',
  school: 'School',
};

export const roles = [
  'social_worker', 'team_manager', 'head_of_service', 'police_officer', 'health_visitor', 'paediatrician', 'gp',
  'designated_safeguarding_lead', 'conference_chair', 'auditor', 'administrator', 'director', 'partnership_chair',
] as const;
export type Role = (typeof roles)[number];
export const roleLabels: Record<Role, string> = {
  social_worker: 'Social worker',
  team_manager: 'Team manager',
  head_of_service: 'Head of service',
  police_officer: 'Police officer',
  health_visitor: 'Health visitor',
  paediatrician: 'Paediatrician',
  gp: 'GP',
  designated_safeguarding_lead: 'Designated safeguarding lead',
  conference_chair: 'Conference chair',
  auditor: 'Auditor or inspector',
  administrator: 'Administrator',
  director: "Director of children's services",
  partnership_chair: 'Independent chair, safeguarding partnership',
};

export const agencyInput = z.object({
  kind: z.enum(agencyKinds),
  name: z.string().trim().min(2).max(200),
  code: z.string().trim().regex(/^[A-Z0-9-]{2,20}$/, 'Use 2 to 20 capital letters, digits or hyphens'),
  jurisdiction: z.enum(['england', 'wales']).default('england'),
  office_hours_phone: z.string().trim().max(40).optional(),
  out_of_hours_phone: z.string().trim().max(40).optional(),
});
export type AgencyInput = z.infer<typeof agencyInput>;

export const teamInput = z.object({
  name: z.string().trim().min(2).max(200),
  /** A front-door (screening, MASH) team sees every child not yet allocated. Local authorities only. */
  screening: z.boolean().default(false),
});

export const practitionerInput = z.object({
  agency_id: z.uuid(),
  team_id: z.uuid().optional(),
  manager_id: z.uuid().optional(),
  email: z.email().max(320),
  display_name: z.string().trim().min(2).max(200),
  role: z.enum(roles),
  qualified_social_worker: z.boolean().default(false),
  password: z.string().min(12, 'Use at least 12 characters').max(200).optional(),
});
export type PractitionerInput = z.infer<typeof practitionerInput>;

/** Phone numbers as people write them: digits, spaces, +, brackets and hyphens. */
const phone = z.string().trim().regex(/^\+?[0-9 ()-]{6,40}$/, 'Enter a telephone number, like 01632 960 001');

export const agencyContactUpdate = z.object({
  office_hours_phone: phone.nullable().optional(),
  out_of_hours_phone: phone.nullable().optional(),
});
export type AgencyContactUpdate = z.infer<typeof agencyContactUpdate>;

/** Creating an account through the API always sets an initial password, so the person can sign in. */
export const newPractitionerInput = practitionerInput.extend({
  password: z.string().min(12, 'Use at least 12 characters').max(200),
});

export const practitionerUpdate = z.object({
  display_name: z.string().trim().min(2).max(200).optional(),
  role: z.enum(roles).optional(),
  team_id: z.uuid().nullable().optional(),
  manager_id: z.uuid().nullable().optional(),
  qualified_social_worker: z.boolean().optional(),
});
export type PractitionerUpdate = z.infer<typeof practitionerUpdate>;

export const passwordReset = z.object({ password: z.string().min(12, 'Use at least 12 characters').max(200) });

export const apiTokenInput = z.object({
  agency_id: z.uuid(),
  name: z.string().trim().min(2).max(200).describe('What the token is for, e.g. "Police case system"'),
  entry_kinds: z.array(z.enum(entryKindNames as [EntryKind, ...EntryKind[]])).min(1, 'Choose at least one kind of entry').max(entryKindNames.length),
});
export type ApiTokenInput = z.infer<typeof apiTokenInput>;

/**
 * Roles that only make sense in one kind of agency; the access policy leans on them (a team
 * manager's line-management chain reaches allocated children), so a school cannot have one.
 * Roles not listed (auditor, administrator, conference chair) may sit in any agency.
 */
export const roleAgencyKinds: Partial<Record<Role, readonly (typeof agencyKinds)[number][]>> = {
  social_worker: ['local_authority'],
  team_manager: ['local_authority'],
  head_of_service: ['local_authority'],
  director: ['local_authority'],
  police_officer: ['police'],
  health_visitor: ['health'],
  paediatrician: ['health'],
  gp: ['health'],
  designated_safeguarding_lead: ['school'],
};
