import { z } from 'zod';

/**
 * The steps of the statutory process (spec §1.1, §2, §2.1, §3), each recorded as a `process_step`
 * entry in the child's chronology. Each step has its own small schema; when it happened and the
 * narrative are the entry's own fields. Codes are the CIN census's own (spec §3.2).
 */
export const referralSources = ['1A', '1B', '1C', '1D', '2A', '2B', '3A', '3B', '3C', '3D', '3E', '3F', '4', '5A', '5B', '5C', '5D', '6', '7', '8', '9', '10'] as const;
export const primaryNeeds = ['N0', 'N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8', 'N9'] as const;
export const closureReasons = ['RC1', 'RC2', 'RC3', 'RC4', 'RC5', 'RC6', 'RC7', 'RC8', 'RC9'] as const;
export const categories = ['NEG', 'PHY', 'SAB', 'EMO', 'MUL'] as const;
export const assessmentFactors = [
  '1A', '1B', '1C', '2A', '2B', '2C', '3A', '3B', '3C', '4A', '4B', '4C', '5A', '5B', '5C', '6A', '6B', '6C', '7A',
  '8B', '8C', '8D', '8E', '8F', '9A', '10A', '11A', '12A', '13A', '14A', '15A', '16A', '17A', '18B', '18C', '19B', '19C',
  '20', '21', '22A', '23A', '24A',
] as const;
/** Placement types, grouped as a practitioner names them (the SSDA903 placement codes are finer). */
export const placementTypes = ['foster_care', 'kinship_connected_person', 'residential', 'placed_with_parents', 'other'] as const;
export const ceasedReasons = ['returned_home', 'special_guardianship', 'adoption', 'turned_18', 'other'] as const;
const agencyKinds = ['local_authority', 'police', 'health', 'school', 'other'] as const;

/**
 * Someone at a meeting: a Sightline practitioner (who then joins the child's group) or a named outsider.
 * Their position on what the meeting decided is recorded with the decision; a practitioner's dissent
 * opens a professional disagreement with the decision's maker, so it must name a Sightline practitioner.
 */
const attendee = z.object({
  practitioner_id: z.uuid().optional(),
  name: z.string().trim().min(1).max(200),
  agency_kind: z.enum(agencyKinds),
  role: z.string().trim().max(200).optional(),
  position: z.enum(['agree', 'dissent']).optional().describe('Their view of the decision taken at the meeting'),
  dissent_reason: z.string().trim().min(5).max(2000).optional(),
}).refine((a) => a.position !== 'dissent' || !!a.dissent_reason, { message: 'Say why they disagree', path: ['dissent_reason'] })
  .refine((a) => a.position !== 'dissent' || !!a.practitioner_id, { message: 'Name a dissenting attendee from Sightline, so the disagreement reaches them', path: ['practitioner_id'] });
const attendees = z.array(attendee).max(60).default([]);
const uuid = z.uuid();
const isoDate = z.iso.date();

/**
 * An action of the child's plan agreed at the meeting (plan-actions.ts): what, who does it (a Sightline
 * practitioner, or a named person such as a parent) and by when. Its id is the entry's id and its index.
 */
const planAction = z.object({
  what: z.string().trim().max(500).default(''),
  practitioner_id: uuid.optional(),
  name: z.string().trim().min(1).max(200).optional().describe('Who does it, when not a Sightline practitioner (for example "Mother")'),
  due_on: isoDate.optional().describe('By when (required)'),
}).superRefine((a, ctx) => {
  // Checked together, so a row missing several answers is told all of them at once.
  if (a.what.length < 3) ctx.addIssue({ code: 'custom', message: 'Say what the action is, in at least 3 characters', path: ['what'] });
  if (!a.practitioner_id && !a.name) ctx.addIssue({ code: 'custom', message: 'Say who will do it', path: ['name'] });
  if (!a.due_on) ctx.addIssue({ code: 'custom', message: 'Enter by when', path: ['due_on'] });
});
const planActions = z.array(planAction).max(12).default([]);

/** A safety-plan monitor: a practitioner, or a person recorded as related to the child. */
const monitor = z.union([z.object({ practitioner_id: uuid }), z.object({ person_id: uuid })]);

export const stepSchemas = {
  // Episode (CIN referral to closure)
  referral: z.object({ referral_source: z.enum(referralSources), primary_need: z.enum(primaryNeeds).default('N0'), contact_entry_id: uuid.optional() }),
  referral_decision: z.object({
    outcome: z.enum(['no_further_action', 'early_help', 'assessment', 'strategy_discussion']),
    closure_reason: z.enum(['RC7', 'RC8', 'RC9']).optional(),
    referrer_acknowledged: z.boolean().default(true),
  }),
  assessment_started: z.object({}),
  assessment_completed: z.object({
    factors: z.array(z.enum(assessmentFactors)).min(1).max(40)
      .refine((f) => !f.includes('21') || f.length === 1, { message: '21 (no factors identified) cannot be combined with other factors (census rule 8869)' }),
    outcome: z.enum(['no_further_action', 'early_help', 'cin_plan', 'strategy_discussion', 'continue']),
  }),
  strategy_discussion: z.object({
    attendees,
    absent_agencies_reason: z.string().trim().min(5).max(2000).optional(),
    outcome: z.enum(['s47', 'no_s47']),
    immediate_protection: z.boolean().default(false),
    s47_lead_id: uuid.optional(),
  }),
  s47_concluded: z.object({ outcome: z.enum(['conference', 'no_conference']) }),
  icpc: z.object({
    chair_id: uuid.optional(),
    attendees,
    outcome: z.enum(['cp_plan', 'cin_plan', 'no_plan']),
    category: z.enum(categories).optional(),
    lead_id: uuid.optional(),
    core_group_ids: z.array(uuid).max(30).default([]),
    actions: planActions,
  }),
  core_group: z.object({ attendees, actions: planActions }),
  review_conference: z.object({
    attendees,
    outcome: z.enum(['continue', 'end_plan']),
    latest_category: z.enum(categories).optional(),
    step_down_to_cin_plan: z.boolean().default(false),
    actions: planActions,
  }),
  cp_plan_ended: z.object({ reason: z.enum(['moved_to_another_authority', 'child_died', 'reached_18', 'care_order', 'other']) }),
  cin_plan_started: z.object({}),
  cin_plan_review: z.object({}),
  cin_plan_ended: z.object({}),
  /** Whether an agreed plan action was done (spec §6 R7 (a): actions agreed vs completed). */
  plan_action_update: z.object({
    action_id: z.string().regex(/^[0-9a-f-]{36}:\d{1,2}$/i, 'Choose the action'),
    outcome: z.enum(['done', 'not_done', 'no_longer_needed']),
    reason: z.string().trim().max(2000).optional(),
  }).refine((u) => u.outcome !== 'not_done' || (u.reason ?? '').length >= 5, { message: 'Say why it was not done', path: ['reason'] }),
  closure: z.object({ reason: z.enum(closureReasons), date_of_death: isoDate.optional() }),
  // Emergency powers (CA89 ss44–46)
  police_protection_started: z.object({ place_of_safety: z.string().trim().min(1).max(300) }),
  police_protection_ended: z.object({ outcome: z.enum(['returned_home', 'emergency_protection_order', 'accommodated', 'other']) }),
  epo_made: z.object({ court: z.string().trim().min(1).max(200) }),
  epo_extended: z.object({ until: isoDate }),
  epo_ended: z.object({}),
  // Public Law Outline (PD12A) and care proceedings
  /** Starts the LPM clock (local practice): Connelly's meeting waited 7 weeks (spec §6 R9). */
  legal_planning_meeting_requested: z.object({
    requested_by: z.string().trim().min(1).max(200).describe('Who asked for the meeting: name and role'),
    reason: z.string().trim().max(2000).optional(),
  }),
  legal_planning_meeting: z.object({ outcome: z.enum(['pre_proceedings', 'issue_proceedings', 'no_legal_action']) }),
  letter_before_proceedings: z.object({}),
  pre_proceedings_meeting: z.object({ fgdm_offered: z.boolean().default(false) }),
  pre_proceedings_decision: z.object({ outcome: z.enum(['step_down', 'continue', 'issue_proceedings']) }),
  care_application_issued: z.object({ court: z.string().trim().min(1).max(200), order_sought: z.enum(['care_order', 'supervision_order']) }),
  care_timetable_extended: z.object({ weeks: z.number().int().min(1).max(8) }),
  care_proceedings_concluded: z.object({
    outcome: z.enum(['care_order', 'supervision_order', 'child_arrangements_order', 'special_guardianship_order', 'no_order', 'withdrawn']),
  }),
  // Looked-after children (CA89 s20, s22, s31, s38): legal status and placements as the SSDA903 return codes them
  /** Legal status C1 (s38). */
  interim_care_order_made: z.object({ court: z.string().trim().min(1).max(200) }),
  /** Legal status V2 (s20): a person with parental responsibility agreed (s20(7)). */
  accommodated_section_20: z.object({
    parental_agreement: z.boolean().refine((agreed) => agreed, 'A child cannot be accommodated under section 20 against the objection of a person with parental responsibility who is willing and able to care for them (Children Act 1989 s20(7)): record their agreement'),
    agreed_by: z.string().trim().min(1).max(200).describe('Who agreed: name and relationship to the child'),
  }),
  /** Starts the statutory visits (T12, reg 28): the first within a week. */
  placement_started: z.object({
    placement_type: z.enum(placementTypes),
    postcode: z.string().trim().toUpperCase().refine((p) => /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/.test(p), 'Enter a UK postcode, like NM1 2AB').optional(),
  }),
  placement_ended: z.object({}),
  ceased_looked_after: z.object({ reason: z.enum(ceasedReasons) }),
  // Safety plans: a child who stays at or returns home under safeguards
  safety_plan_agreed: z.object({
    conditions: z.array(z.object({
      condition: z.string().trim().min(3).max(500),
      monitor: monitor.optional(),
      how_checked: z.string().trim().min(3).max(500),
    })).min(1).max(20),
    review_on: isoDate,
  }),
  safety_plan_condition_breached: z.object({ plan_id: uuid, condition: z.number().int().min(0).max(19), breach: z.enum(['breached', 'not_verifiable']) }),
  safety_plan_reviewed: z.object({ plan_id: uuid, outcome: z.enum(['continue', 'ended']), next_review_on: isoDate.optional() }),
} as const;

export type StepName = keyof typeof stepSchemas;
export const stepNames = Object.keys(stepSchemas) as StepName[];
export type StepData<S extends StepName> = z.infer<(typeof stepSchemas)[S]>;

export const stepLabels: Record<StepName, string> = {
  referral: 'Referral received',
  referral_decision: 'Referral decision',
  assessment_started: 'Assessment started',
  assessment_completed: 'Assessment completed',
  strategy_discussion: 'Strategy discussion',
  s47_concluded: 'Section 47 enquiry concluded',
  icpc: 'Initial child protection conference',
  core_group: 'Core group meeting',
  review_conference: 'Review child protection conference',
  cp_plan_ended: 'Child protection plan ended',
  cin_plan_started: 'Child in need plan started',
  cin_plan_review: 'Child in need plan review',
  cin_plan_ended: 'Child in need plan ended',
  plan_action_update: 'Plan action done or not done',
  closure: 'Case closed',
  police_protection_started: 'Police protection (s46) started',
  police_protection_ended: 'Police protection ended',
  epo_made: 'Emergency protection order made (s44)',
  epo_extended: 'Emergency protection order extended',
  epo_ended: 'Emergency protection order ended',
  legal_planning_meeting_requested: 'Legal planning meeting requested',
  legal_planning_meeting: 'Legal planning meeting',
  letter_before_proceedings: 'Letter before proceedings sent',
  pre_proceedings_meeting: 'Pre-proceedings meeting',
  pre_proceedings_decision: 'Pre-proceedings decision',
  care_application_issued: 'Care proceedings issued',
  care_timetable_extended: 'Care proceedings timetable extended',
  care_proceedings_concluded: 'Care proceedings concluded',
  interim_care_order_made: 'Interim care order made (s38)',
  accommodated_section_20: 'Accommodated under section 20',
  placement_started: 'Placement started',
  placement_ended: 'Placement ended',
  ceased_looked_after: 'Ceased to be looked after',
  safety_plan_agreed: 'Safety plan agreed',
  safety_plan_condition_breached: 'Safety plan condition breached or not verifiable',
  safety_plan_reviewed: 'Safety plan reviewed',
};

/**
 * Who may record each step: one exhaustive table (the compiler insists every step is listed).
 * 'social_care' is a local-authority practitioner; 'police' a police practitioner; 'any' any
 * practitioner with a relationship to the child. The child's own access is checked by the door first.
 */
export type Recorder = 'social_care' | 'police' | 'other';
export const whoMayRecord: Record<StepName, readonly (Recorder | 'any')[]> = {
  referral: ['social_care'],
  referral_decision: ['social_care'],
  assessment_started: ['social_care'],
  assessment_completed: ['social_care'],
  strategy_discussion: ['social_care'],
  s47_concluded: ['social_care'],
  icpc: ['social_care'],
  core_group: ['social_care'],
  review_conference: ['social_care'],
  cp_plan_ended: ['social_care'],
  cin_plan_started: ['social_care'],
  cin_plan_review: ['social_care'],
  cin_plan_ended: ['social_care'],
  plan_action_update: ['any'],
  closure: ['social_care'],
  police_protection_started: ['police'],
  police_protection_ended: ['police', 'social_care'],
  epo_made: ['social_care', 'police'],
  epo_extended: ['social_care'],
  epo_ended: ['social_care', 'police'],
  legal_planning_meeting_requested: ['social_care'],
  legal_planning_meeting: ['social_care'],
  letter_before_proceedings: ['social_care'],
  pre_proceedings_meeting: ['social_care'],
  pre_proceedings_decision: ['social_care'],
  care_application_issued: ['social_care'],
  care_timetable_extended: ['social_care'],
  care_proceedings_concluded: ['social_care'],
  interim_care_order_made: ['social_care'],
  accommodated_section_20: ['social_care'],
  placement_started: ['social_care'],
  placement_ended: ['social_care'],
  ceased_looked_after: ['social_care'],
  safety_plan_agreed: ['social_care'],
  safety_plan_condition_breached: ['any'],
  safety_plan_reviewed: ['social_care'],
};

/** Steps whose time matters to the hour (emergency powers run in hours). */
export const timedSteps: ReadonlySet<StepName> = new Set(['police_protection_started', 'police_protection_ended']);

/** The common fields of a step, as sent to the API or a page. */
export const stepInput = z.object({
  step: z.enum(stepNames as [StepName, ...StepName[]]),
  occurred_at: z.iso.datetime({ offset: true }).describe('When it happened (ISO 8601)'),
  narrative: z.string().trim().max(20000).default(''),
  late_reason: z.string().trim().min(5).max(2000).optional().describe('Required when the step is completed after its due date'),
  rationale: z.string().trim().max(20000).optional()
    .describe('Why it was decided, for a step that decides something (at least 10 characters; the narrative when left out)'),
  options_considered: z.array(z.string().trim().min(1).max(500)).max(20).optional()
    .describe('What else was considered, for a step that decides something; the step’s other outcomes when left out'),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type StepInput = z.infer<typeof stepInput>;

/** Validates the step's own data; a ZodError with paths under `data`. */
export function parseStepData(step: StepName, data: unknown): Record<string, unknown> {
  const res = stepSchemas[step].safeParse(data);
  if (!res.success) throw new z.ZodError(res.error.issues.map((i) => ({ ...i, path: ['data', ...i.path] })));
  return res.data as Record<string, unknown>;
}
