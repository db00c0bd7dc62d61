import { z } from 'zod';

/**
 * Each kind of entry has its own small schema. Narrative carries the substance; these fields are the
 * few facts other capabilities (alerts, census, inspection) need to read without parsing prose.
 */
const bodyLocations = [
  'head', 'face', 'ear', 'eye', 'mouth', 'neck', 'chest', 'abdomen', 'back', 'buttocks', 'genitals',
  'upper_arm', 'forearm', 'hand', 'thigh', 'lower_leg', 'foot', 'torso_other', 'other',
] as const;

/** Checks on an adult (R6), and the connected-person (carer) assessment a friend or relative caring for the child needs (R11). */
export const adultChecks = ['identity', 'police', 'csc_history', 'probation', 'connected_person_assessment'] as const;

export const entryKinds = {
  contact_referral: z.object({
    source: z.enum(['police', 'health', 'school', 'local_authority', 'family', 'member_of_public', 'anonymous', 'self', 'other']),
    is_referral: z.boolean().default(true),
    referrer_name: z.string().max(200).optional(),
  }),
  home_visit: z.object({
    child_seen: z.boolean(),
    child_seen_alone: z.boolean(),
    announced: z.boolean().default(true),
    present: z.array(z.string().min(1).max(200)).max(30).default([]),
    /** For a baby on a plan (R8), as local practice asks: seen awake, and seen undressed. Asked on the form for a baby only. */
    baby_seen_awake: z.boolean().optional(),
    baby_seen_undressed: z.boolean().optional(),
    /** The child's account differs from the parents' (spec §6 R7 (e)). */
    child_account_differs: z.boolean().optional(),
  }).refine((v) => v.child_seen || !v.child_seen_alone, { message: 'A child cannot be seen alone without being seen', path: ['child_seen_alone'] })
    .refine((v) => v.child_seen || (!v.baby_seen_awake && !v.baby_seen_undressed), { message: 'A baby cannot be seen awake or undressed without being seen', path: ['baby_seen_awake'] }),
  injury: z.object({
    body_locations: z.array(z.enum(bodyLocations)).min(1),
    injury_type: z.enum(['bruise', 'burn', 'fracture', 'bite', 'cut_or_abrasion', 'head_injury', 'other']),
    explanation_given: z.string().max(2000).default(''),
    explanation_consistent: z.enum(['yes', 'no', 'unclear', 'none_given']),
    child_mobile: z.boolean().optional(),
    /** A health practitioner's finding that the mark has a medical cause (e.g. congenital dermal melanocytosis): red-flag rule R1 then stays silent. */
    medical_cause: z.string().trim().max(500).optional(),
  }),
  hospital_attendance: z.object({
    hospital: z.string().min(1).max(200),
    department: z.enum(['emergency_department', 'minor_injury_unit', 'walk_in_centre', 'ward', 'outpatients', 'other']),
    presenting_complaint: z.string().min(1).max(500),
  }),
  health_appointment: z.object({
    service: z.string().min(1).max(200),
    outcome: z.enum(['attended', 'was_not_brought', 'cancelled_by_family', 'cancelled_by_service', 'rearranged']),
  }),
  police_incident: z.object({
    incident_type: z.enum(['domestic_abuse', 'assault', 'concern_for_welfare', 'missing_child', 'arrest', 'other']),
    reference: z.string().max(100).optional(),
    investigation_status: z.enum(['open', 'no_further_action', 'charged', 'bailed', 'not_applicable']).default('not_applicable'),
  }),
  school_concern: z.object({
    concern_type: z.enum(['attendance', 'welfare']),
    sessions_missed: z.number().int().min(0).max(400).optional(),
  }),
  case_note: z.object({}),
  /** Checks done on an adult in the child's life (spec §6 R6, R11): which were completed, and what they found. */
  adult_check: z.object({
    person_id: z.uuid(),
    checks: z.array(z.enum(adultChecks)).min(1).max(adultChecks.length),
    concerns_found: z.boolean(),
  }),
  correspondence: z.object({
    direction: z.enum(['sent', 'received']),
    counterpart: z.string().min(1).max(200),
    subject: z.string().min(1).max(300),
  }),
} as const;

export type EntryKind = keyof typeof entryKinds;
export const entryKindNames = Object.keys(entryKinds) as EntryKind[];
export const bodyLocationNames = bodyLocations;

export const entryKindLabels: Record<EntryKind, string> = {
  contact_referral: 'Contact or referral',
  home_visit: 'Home visit',
  injury: 'Injury',
  hospital_attendance: 'Hospital attendance',
  health_appointment: 'Health appointment',
  police_incident: 'Police incident',
  school_concern: 'School concern',
  case_note: 'Case note',
  adult_check: 'Checks on an adult',
  correspondence: 'Correspondence',
};

export const entryInput = z.object({
  kind: z.enum(entryKindNames as [EntryKind, ...EntryKind[]]),
  occurred_at: z.iso.datetime({ offset: true }).describe('When it happened (ISO 8601)'),
  narrative: z.string().trim().min(1, 'Write what happened').max(20000),
  concerns: z.array(z.uuid()).max(50).default([]).describe('Other people the entry concerns'),
  data: z.record(z.string(), z.unknown()).default({}),
  supersedes_id: z.uuid().optional(),
  correction_reason: z.string().trim().min(5).max(2000).optional(),
});
export type EntryInput = z.infer<typeof entryInput>;

/** Validates the kind-specific data; throws a ZodError with paths under `data`. */
export function parseKindData(kind: EntryKind, data: unknown): Record<string, unknown> {
  const res = entryKinds[kind].safeParse(data);
  if (!res.success) {
    throw new z.ZodError(res.error.issues.map((i) => ({ ...i, path: ['data', ...i.path] })));
  }
  return res.data as Record<string, unknown>;
}
