import { assessmentFactorLabels, categoryLabels, closureReasonLabels, primaryNeedLabels, referralSourceLabels, words } from './code-labels.js';
import { ceasedReasons, placementTypes, stepNames, whoMayRecord, type Recorder, type StepName } from './steps.js';

/**
 * One small description per step of what its form asks, beyond when it happened and the notes.
 * The page draws every step's form from these (views/process/_step-fields.njk), and the same
 * descriptions turn what was typed into the step's `data` (step-form-data.ts).
 */
export type Option = [value: string, text: string];

/** Choices that depend on who is recording and for which child, filled in by the page. */
export type ChoiceList = 'leads' | 'colleagues' | 'plans' | 'planConditions' | 'planActions';

interface Common { name: string; label: string; hint?: string; required?: string }
export type StepField = Common & (
  | { type: 'radios' | 'select' | 'checkboxes'; options: Option[] }
  | { type: 'yesno' | 'text' | 'textarea' | 'date' | 'number' }
  /** One choice from a list the page fills in. */
  | { type: 'pick'; from: ChoiceList }
  /** Several selects of the practitioner directory, sharing a name. */
  | { type: 'practitioners'; count: number }
  /** Rows of who was there: name, agency, and a Sightline practitioner if they are one. */
  | { type: 'attendees'; rows: number }
  /** Rows of a safety plan's conditions: the condition, who monitors it and how it is checked. */
  | { type: 'conditions'; rows: number }
  /** Rows of a plan's actions: what, who (a Sightline practitioner or a named person) and by when. */
  | { type: 'actions'; rows: number }
);

export const stepGroups = [
  ['referral', 'Referral and assessment'],
  ['s47', 'Section 47 enquiries and conferences'],
  ['plans', 'Plans'],
  ['emergency', 'Emergency powers'],
  ['court', 'Pre-proceedings and court'],
  ['care', 'Looked-after children'],
  ['safety', 'Safety plans'],
  ['closure', 'Closure'],
] as const;
type Group = (typeof stepGroups)[number][0];

export interface StepForm { group: Group; hint?: string; fields: StepField[] }

const opts = (values: readonly string[], labels: Record<string, string> = {}): Option[] => values.map((v) => [v, labels[v] ?? words(v)]);
const coded = (labels: Record<string, string>): Option[] => Object.entries(labels).map(([c, t]) => [c, `${c}: ${t}`]);
const outcome = (values: readonly string[], labels: Record<string, string> = {}, label = 'Outcome'): StepField =>
  ({ type: 'radios', name: 'outcome', label, options: opts(values, labels), required: `Choose the ${label.toLowerCase()}` });
const attendees: StepField = { type: 'attendees', name: 'attendees', label: 'Who was there', rows: 6 };
const actions: StepField = { type: 'actions', name: 'actions', label: 'Actions agreed (optional)', rows: 8 };
const category = (name: string, label: string, required?: string): StepField =>
  ({ type: 'radios', name, label, options: coded(categoryLabels), required });
const lead = (name: string, label: string): StepField =>
  ({ type: 'pick', name, from: 'leads', label, hint: 'A qualified social worker of your authority', required: `Choose the ${label.toLowerCase()}` });

export const stepForms: Record<StepName, StepForm> = {
  referral: { group: 'referral', hint: 'Starts the clock for the decision (1 working day) and the assessment (45 working days).', fields: [
    { type: 'select', name: 'referral_source', label: 'Who made the referral?', options: coded(referralSourceLabels), required: 'Choose who made the referral' },
    { type: 'select', name: 'primary_need', label: 'Primary need', options: coded(primaryNeedLabels), hint: 'Leave as not stated if you do not know yet' },
  ] },
  referral_decision: { group: 'referral', fields: [
    outcome(['assessment', 'strategy_discussion', 'early_help', 'no_further_action'], { assessment: 'Assessment', strategy_discussion: 'Strategy discussion' }, 'Decision'),
    { type: 'select', name: 'closure_reason', label: 'Closure reason (only if the case closes now)', options: coded({ RC7: closureReasonLabels.RC7, RC8: closureReasonLabels.RC8, RC9: closureReasonLabels.RC9 }) },
    { type: 'yesno', name: 'referrer_acknowledged', label: 'Has the referrer been told what happens next?' },
  ] },
  assessment_started: { group: 'referral', fields: [] },
  assessment_completed: { group: 'referral', fields: [
    { type: 'checkboxes', name: 'factors', label: 'Factors identified at assessment', options: coded(assessmentFactorLabels), required: 'Choose at least one factor, or “No factors identified”' },
    outcome(['continue', 'cin_plan', 'strategy_discussion', 'early_help', 'no_further_action'], { continue: 'Continue (a plan is already in place)', cin_plan: 'Child in need plan' }),
  ] },
  strategy_discussion: { group: 's47', hint: 'Social care, police and health should all take part.', fields: [
    attendees,
    { type: 'textarea', name: 'absent_agencies_reason', label: 'If social care, police or health were not there, why not?' },
    outcome(['s47', 'no_s47'], { s47: 'Section 47 enquiry', no_s47: 'No section 47 enquiry' }),
    { type: 'yesno', name: 'immediate_protection', label: 'Does the child need immediate protection?' },
    { ...lead('s47_lead_id', 'Lead for the section 47 enquiry'), hint: 'Needed when a section 47 enquiry starts: a qualified social worker of your authority' },
  ] },
  s47_concluded: { group: 's47', fields: [outcome(['conference', 'no_conference'], { conference: 'Initial child protection conference needed', no_conference: 'No conference needed' })] },
  icpc: { group: 's47', fields: [
    attendees,
    outcome(['cp_plan', 'cin_plan', 'no_plan'], { cp_plan: 'Child protection plan', cin_plan: 'Child in need plan', no_plan: 'No plan' }),
    category('category', 'Category of the plan', undefined),
    { ...lead('lead_id', 'Lead social worker'), hint: 'Needed for a child protection plan' },
    { type: 'pick', name: 'chair_id', from: 'colleagues', label: 'Chair (optional)' },
    { type: 'practitioners', name: 'core_group_ids', label: 'Core group members (optional)', hint: 'They will be able to see the child’s record', count: 4 },
    actions,
  ] },
  core_group: { group: 's47', fields: [attendees, actions] },
  review_conference: { group: 's47', fields: [
    attendees,
    outcome(['continue', 'end_plan'], { continue: 'The plan continues', end_plan: 'End the plan' }),
    category('latest_category', 'Category now (if it has changed)'),
    { type: 'yesno', name: 'step_down_to_cin_plan', label: 'If the plan ends, does a child in need plan follow?' },
    actions,
  ] },
  cp_plan_ended: { group: 'plans', fields: [
    { type: 'radios', name: 'reason', label: 'Why did the plan end?', required: 'Choose why the plan ended',
      options: opts(['moved_to_another_authority', 'child_died', 'reached_18', 'care_order', 'other'], { reached_18: 'Reached 18' }) },
  ] },
  cin_plan_started: { group: 'plans', fields: [] },
  cin_plan_review: { group: 'plans', fields: [] },
  cin_plan_ended: { group: 'plans', fields: [] },
  plan_action_update: { group: 'plans', hint: 'An action agreed at a conference or core group.', fields: [
    { type: 'pick', name: 'action_id', from: 'planActions', label: 'Which action?', required: 'Choose the action' },
    { type: 'radios', name: 'outcome', label: 'Was it done?', required: 'Choose whether it was done',
      options: [['done', 'Done'], ['not_done', 'Not done'], ['no_longer_needed', 'No longer needed']] },
    { type: 'textarea', name: 'reason', label: 'Why not? (if it was not done)' },
  ] },
  police_protection_started: { group: 'emergency', hint: 'Police protection lasts at most 72 hours (Children Act 1989 s46).', fields: [
    { type: 'text', name: 'place_of_safety', label: 'Where is the child now?', hint: 'The place of safety', required: 'Enter where the child is now' },
  ] },
  police_protection_ended: { group: 'emergency', fields: [
    outcome(['returned_home', 'emergency_protection_order', 'accommodated', 'other'], { emergency_protection_order: 'Emergency protection order' }),
  ] },
  epo_made: { group: 'emergency', fields: [{ type: 'text', name: 'court', label: 'Court', required: 'Enter the court that made the order' }] },
  epo_extended: { group: 'emergency', fields: [{ type: 'date', name: 'until', label: 'Extended until', hint: 'At most 7 days more', required: 'Enter the date the order now ends' }] },
  epo_ended: { group: 'emergency', fields: [] },
  legal_planning_meeting_requested: { group: 'court', hint: 'Starts the clock for holding the meeting (10 working days unless your authority sets its own).', fields: [
    { type: 'text', name: 'requested_by', label: 'Who asked for the meeting?', hint: 'Their name and role', required: 'Enter who asked for the meeting' },
    { type: 'textarea', name: 'reason', label: 'Why? (optional)' },
  ] },
  legal_planning_meeting: { group: 'court', fields: [outcome(['pre_proceedings', 'issue_proceedings', 'no_legal_action'])] },
  letter_before_proceedings: { group: 'court', fields: [] },
  pre_proceedings_meeting: { group: 'court', fields: [{ type: 'yesno', name: 'fgdm_offered', label: 'Was a family group decision-making meeting offered?' }] },
  pre_proceedings_decision: { group: 'court', fields: [outcome(['step_down', 'continue', 'issue_proceedings'], { continue: 'Continue pre-proceedings' })] },
  care_application_issued: { group: 'court', fields: [
    { type: 'text', name: 'court', label: 'Court', required: 'Enter the court' },
    { type: 'radios', name: 'order_sought', label: 'Order sought', options: opts(['care_order', 'supervision_order']), required: 'Choose the order sought' },
  ] },
  care_timetable_extended: { group: 'court', fields: [{ type: 'number', name: 'weeks', label: 'Extended by how many weeks?', hint: 'At most 8', required: 'Enter the number of weeks, 1 to 8' }] },
  care_proceedings_concluded: { group: 'court', fields: [
    outcome(['care_order', 'supervision_order', 'child_arrangements_order', 'special_guardianship_order', 'no_order', 'withdrawn']),
  ] },
  interim_care_order_made: { group: 'care', hint: 'The child is looked after from the order (legal status C1). Record the placement next.', fields: [
    { type: 'text', name: 'court', label: 'Court', required: 'Enter the court that made the order' },
  ] },
  accommodated_section_20: { group: 'care', hint: 'The child is looked after with the agreement of a person with parental responsibility (legal status V2).', fields: [
    { type: 'yesno', name: 'parental_agreement', label: 'Has a person with parental responsibility agreed to the child being accommodated?', required: 'Say whether a person with parental responsibility agreed' },
    { type: 'text', name: 'agreed_by', label: 'Who agreed?', hint: 'Their name and relationship to the child', required: 'Enter who agreed' },
  ] },
  placement_started: { group: 'care', hint: 'The date is the day the placement began. The first statutory visit is due within 1 week, then at least every 6 weeks in the first year.', fields: [
    { type: 'radios', name: 'placement_type', label: 'Type of placement', options: opts(placementTypes, { kinship_connected_person: 'Kinship or connected person', placed_with_parents: 'Placed with parents' }), required: 'Choose the type of placement' },
    { type: 'text', name: 'postcode', label: 'Placement postcode (optional)' },
  ] },
  placement_ended: { group: 'care', fields: [] },
  ceased_looked_after: { group: 'care', fields: [
    { type: 'radios', name: 'reason', label: 'Why did the child cease to be looked after?', options: opts(ceasedReasons, { turned_18: 'Turned 18' }), required: 'Choose the reason' },
  ] },
  safety_plan_agreed: { group: 'safety', hint: 'For a child who stays at or returns home under safeguards: each condition needs someone to monitor it.', fields: [
    { type: 'conditions', name: 'conditions', label: 'Conditions', rows: 4 },
    { type: 'date', name: 'review_on', label: 'Review the plan by', required: 'Enter the date of the review' },
  ] },
  safety_plan_condition_breached: { group: 'safety', fields: [
    { type: 'pick', name: 'plan_condition', from: 'planConditions', label: 'Which condition?', required: 'Choose the condition' },
    { type: 'radios', name: 'breach', label: 'What happened?', options: [['breached', 'The condition was breached'], ['not_verifiable', 'It could not be checked']], required: 'Choose what happened' },
  ] },
  safety_plan_reviewed: { group: 'safety', fields: [
    { type: 'pick', name: 'plan_id', from: 'plans', label: 'Which safety plan?', required: 'Choose the safety plan' },
    outcome(['continue', 'ended'], { continue: 'The plan continues', ended: 'The plan ends' }),
    { type: 'date', name: 'next_review_on', label: 'Next review by (if it continues)' },
  ] },
  closure: { group: 'closure', fields: [
    { type: 'select', name: 'reason', label: 'Reason for closure', options: coded(closureReasonLabels), required: 'Choose the reason for closure' },
    { type: 'date', name: 'date_of_death', label: 'Date of death (only if the child died)' },
  ] },
};

/** The steps someone from this kind of agency may record, by group, in the order of the process. */
export function stepsByGroup(agencyKind: string) {
  const mine = stepNames.filter((s) => mayRecord(s, agencyKind));
  return stepGroups.map(([key, title]) => ({ key, title, steps: mine.filter((s) => stepForms[s].group === key) })).filter((g) => g.steps.length);
}

export function mayRecord(step: StepName, agencyKind: string): boolean {
  const recorder: Recorder = agencyKind === 'local_authority' ? 'social_care' : agencyKind === 'police' ? 'police' : 'other';
  return whoMayRecord[step].some((r) => r === 'any' || r === recorder);
}
