import { z } from 'zod';

export const agencyKinds = ['local_authority', 'police', 'health', 'school'] as const;
export const agencyKindLabels: Record<(typeof agencyKinds)[number], string> = {
  local_authority: "Local authority children's social care",
  police: 'Police force',
  health: 'Health organisation',
  school: 'School',
};

export const roles = [
  'social_worker', 'team_manager', 'head_of_service', 'police_officer', 'health_visitor', 'paediatrician', 'gp',
  'designated_safeguarding_lead', 'conference_chair', 'auditor', 'administrator',
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

export const teamInput = z.object({ name: z.string().trim().min(2).max(200) });

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
