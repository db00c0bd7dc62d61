import { DomainError, invalid } from '../errors.js';
import { categoryLabels } from '../process/code-labels.js';
import type { StepName } from '../process/steps.js';
import type { Participant } from './decision.js';
import type { DecisionInput } from './schemas.js';

/**
 * Decisions of the statutory process (issue 4, part 1): a step that decides something is also a named
 * decision, taken by the practitioner who records it: the step's question, its outcome in words, the
 * step's other outcomes as the options considered, the reasons, and the position of each attendee who
 * gave one. Pure: ProcessService records it through DecisionService in the step's transaction.
 */
type Data = Record<string, unknown>;

interface Deciding {
  question: string;
  /** Every outcome the step can record, in words, by key. */
  outcomes: Record<string, string>;
  /** The key of the outcome the step's data records. */
  chosen: (d: Data) => string;
  /** What qualifies the chosen outcome (a plan's category), if anything. */
  detail?: (d: Data) => string | null;
}

const byOutcome = (d: Data) => String(d.outcome);
const category = (code: unknown) => categoryLabels[code as keyof typeof categoryLabels] ?? String(code);
const threshold = 'the threshold for children’s social care is not met';

const deciding = {
  referral_decision: {
    question: 'What response does this referral need?',
    outcomes: {
      strategy_discussion: 'Strategy discussion: reasonable cause to suspect significant harm',
      assessment: 'Assessment by children’s social care',
      early_help: `Early help: ${threshold}`,
      no_further_action: `No further action: ${threshold}`,
    },
    chosen: byOutcome,
  },
  assessment_completed: {
    question: 'What does the child need now that the assessment is complete?',
    outcomes: {
      continue: 'Continue with the plan already in place', cin_plan: 'Child in need plan', strategy_discussion: 'Strategy discussion',
      early_help: 'Early help', no_further_action: 'No further action',
    },
    chosen: byOutcome,
  },
  strategy_discussion: {
    question: 'Is there reasonable cause to suspect significant harm, and does the child need protecting now?',
    outcomes: {
      s47_protect: 'Section 47 enquiry, and immediate protection (police protection or an emergency protection order)',
      s47: 'Section 47 enquiry; no immediate protection',
      no_s47: 'No section 47 enquiry',
    },
    chosen: (d) => (d.outcome !== 's47' ? 'no_s47' : d.immediate_protection ? 's47_protect' : 's47'),
  },
  s47_concluded: {
    question: 'Do the section 47 enquiries call for an initial child protection conference?',
    outcomes: { conference: 'Convene an initial child protection conference', no_conference: 'No conference' },
    chosen: byOutcome,
  },
  icpc: {
    question: 'Is the child likely to suffer significant harm, and what plan do they need?',
    outcomes: { cp_plan: 'Child protection plan', cin_plan: 'Child in need plan', no_plan: 'No plan' },
    chosen: byOutcome,
    detail: (d) => (d.outcome === 'cp_plan' && d.category ? `category: ${category(d.category)}` : null),
  },
  review_conference: {
    question: 'Does the child still need a child protection plan?',
    outcomes: { continue: 'The child protection plan continues', end_plan: 'End the child protection plan' },
    chosen: byOutcome,
    detail: (d) => (d.outcome === 'end_plan' ? (d.step_down_to_cin_plan ? 'a child in need plan follows' : null) : d.latest_category ? `category now: ${category(d.latest_category)}` : null),
  },
  safety_plan_agreed: {
    question: 'Can the child stay at or return home, and under what safeguards?',
    outcomes: {
      home_with_safeguards: 'Return home with safeguards: a safety plan',
      remove: 'Remove to a place of safety (police protection or an emergency protection order)',
      accommodate: 'Accommodation with the parents’ agreement (section 20)',
      home: 'Stay at or return home without a safety plan',
    },
    chosen: () => 'home_with_safeguards',
    detail: (d) => `${(d.conditions as unknown[]).length} condition(s), review by ${String(d.review_on)}`,
  },
} satisfies Partial<Record<StepName, Deciding>>;

export type DecidingStep = keyof typeof deciding;
export const decides = (step: StepName): step is DecidingStep => Object.hasOwn(deciding, step);

/** A deciding step's reasons: its rationale, else its narrative. */
export const reasonsOf = (s: { rationale?: string; narrative: string }) => (s.rationale ? s.rationale : s.narrative.trim());
export const NO_REASONS = 'Give the reasons for the decision in at least 10 characters';
/** Whether a step must give reasons it has not given (the form checks this too, with its other fields). */
export const lacksReasons = (step: StepName, s: { rationale?: string; narrative: string }) => decides(step) && reasonsOf(s).length < 10;

/** What a step brings to its decision, as the step input gives it. */
export interface StepForDecision {
  step: StepName;
  occurred_at: string;
  narrative: string;
  rationale?: string;
  options_considered?: string[];
  data: Data;
}

/** The decision a step records, and where each participant came from among its attendees. */
export interface StepDecision {
  input: Omit<DecisionInput, 'process_step_id'>;
  /** `participants.<i>` of the decision is the step's `data.attendees.<paths[i]>`. */
  attendeeOf: number[];
}

interface Attendee { practitioner_id?: string; name: string; agency_kind: string; role?: string; position?: 'agree' | 'dissent'; dissent_reason?: string }
const agencyWords: Record<string, string> = { local_authority: 'Children’s social care', police: 'Police', health: 'Health', school: 'School or education', other: 'Other' };

/**
 * The decision a step records (null for a step that decides nothing), checked before anything is
 * written: 422 on `rationale` without reasons of at least 10 characters, and on an attendee's position
 * where there is no decision to dissent from or the dissenter is the maker.
 */
export function stepDecision(s: StepForDecision, makerId: string): StepDecision | null {
  const attendees = (s.data.attendees as Attendee[] | undefined) ?? [];
  if (!decides(s.step)) {
    if (s.rationale || s.options_considered) throw invalid('This step decides nothing: give what happened in the narrative', [{ path: s.rationale ? 'rationale' : 'options_considered', message: 'Only a step that decides something takes a rationale and options' }]);
    const i = attendees.findIndex((a) => a.position === 'dissent');
    if (i >= 0) throw invalid('Nothing is decided at this step to dissent from', [{ path: `data.attendees.${i}.position`, message: 'Raise a professional disagreement with the practitioner instead' }]);
    return null;
  }
  if (lacksReasons(s.step, s)) throw invalid('Give the reasons for the decision', [{ path: 'rationale', message: NO_REASONS }]);
  const rationale = reasonsOf(s);
  const participants: Participant[] = [];
  const attendeeOf: number[] = [];
  attendees.forEach((a, i) => {
    if (!a.position) return;
    if (a.practitioner_id === makerId) {
      if (a.position === 'dissent') throw invalid('You are recording this decision as its maker', [{ path: `data.attendees.${i}.position`, message: 'The practitioner recording the step makes the decision and cannot dissent from it' }]);
      return;
    }
    participants.push({ practitioner_id: a.practitioner_id, name: a.name, role: a.role, agency: agencyWords[a.agency_kind], position: a.position, reason: a.dissent_reason });
    attendeeOf.push(i);
  });
  const d: Deciding = deciding[s.step];
  const key = d.chosen(s.data);
  const detail = d.detail?.(s.data);
  const outcome = `${d.outcomes[key]}${detail ? ` (${detail})` : ''}`;
  const options = s.options_considered ?? Object.entries(d.outcomes).filter(([k]) => k !== key).map(([, words]) => words);
  return { input: { occurred_at: s.occurred_at, question: d.question, outcome, options, rationale, participants }, attendeeOf };
}

/** A refusal about the decision's participants, named by the step's attendee rows instead. */
export function asStepError(err: unknown, attendeeOf: number[]): unknown {
  if (!(err instanceof DomainError) || !err.fields?.length) return err;
  const fields = err.fields.map((f) => ({ ...f, path: f.path.replace(/^participants\.(\d+)/, (_, i: string) => `data.attendees.${attendeeOf[Number(i)]}`) }));
  return new DomainError(err.message, err.status, err.title, fields);
}
