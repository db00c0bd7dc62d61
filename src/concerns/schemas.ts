import { z } from 'zod';

/** What a concern about a service is about (issue 4 part 3). */
export const categories = ['unsafe_staffing', 'unfit_unit', 'unsafe_practice', 'other'] as const;
export type Category = (typeof categories)[number];
export const categoryLabels: Record<Category, string> = {
  unsafe_staffing: 'Unsafe staffing',
  unfit_unit: 'A unit unfit for purpose',
  unsafe_practice: 'A practice that puts children at risk',
  other: 'Something else',
};

/** The escalation ladder: the accountable head, the director of children's services, the partnership. */
export const stages = ['head', 'director', 'partnership'] as const;
export type Stage = (typeof stages)[number];
export const stageLabels: Record<Stage, string> = {
  head: 'Accountable head of service',
  director: "Director of children's services",
  partnership: 'Safeguarding partnership (independent chair)',
};

export const eventTypes = ['raised', 'acknowledged', 'action_plan', 'update', 'escalated', 'closed'] as const;
export type EventType = (typeof eventTypes)[number];

/** What a sealed raiser's identity reads as, to everyone but the partnership's independent chair. */
export const SEALED_TEXT = "Identity sealed at the raiser's request";

const text = (what: string, max: number) => z.string().trim().min(1, `Enter ${what}`).max(max, `Use ${max} characters or fewer`);

export const raiseInput = z.object({
  agency_id: z.uuid({ error: 'Choose the service’s agency' }).describe('The agency whose service the concern is about'),
  service: z.string().trim().max(200, 'Use 200 characters or fewer').optional().describe('The unit or service, e.g. "Child development clinic"'),
  category: z.enum(categories, { error: 'Choose what the concern is about' }),
  what: text('what the concern is', 10_000).describe('What is wrong, and what it means for children'),
  subject_id: z.uuid().optional().describe('The practitioner the concern is about, if any: they can never close it'),
  head_id: z.uuid().optional().describe('Who is accountable for the service; by default the agency’s head of service'),
  sealed: z.boolean().default(false).describe('Seal my identity: only the partnership’s independent chair sees who raised it'),
});
export type RaiseInput = z.infer<typeof raiseInput>;

/** One step on a concern; `type` says which. */
export const stepInput = z.discriminatedUnion('type', [
  z.object({ type: z.literal('acknowledged'), note: z.string().trim().max(2000, 'Use 2000 characters or fewer').optional() }),
  z.object({ type: z.literal('action_plan'), plan: text('the action plan', 10_000) }),
  z.object({ type: z.literal('update'), text: text('the update', 10_000) }),
  z.object({ type: z.literal('escalated'), reason: text('why it should go to the next stage', 2000) }),
  z.object({ type: z.literal('closed'), resolution: text('how the concern was resolved', 10_000) }),
]);
export type StepInput = z.infer<typeof stepInput>;
export type StepType = StepInput['type'];
export const stepTypes = ['acknowledged', 'action_plan', 'update', 'escalated', 'closed'] as const satisfies readonly StepType[];

const person = z.object({ id: z.guid(), name: z.string(), role: z.string() });

/** A concern as one caller may see it: the raiser's identity only where they may see it. */
export const concernView = z.object({
  id: z.guid(),
  reference: z.string(),
  agency: z.object({ id: z.guid(), name: z.string() }),
  service: z.string().nullable(),
  category: z.enum(categories),
  category_label: z.string(),
  what: z.string(),
  about: person.nullable().describe('The practitioner the concern is about, if any'),
  raised_at: z.string(),
  raised_by: z.string().describe('The raiser’s name, or that their identity is sealed'),
  raiser: person.extend({ agency: z.string() }).nullable().describe('Null when the identity is sealed from you'),
  identity_sealed: z.boolean(),
  raised_by_you: z.boolean(),
  status: z.enum(['open', 'closed']),
  stage: z.enum(stages),
  stage_label: z.string(),
  stage_since: z.string(),
  age_days: z.number().int().describe('Whole days since it was raised'),
  accountable: z.array(person).describe('Who must respond at the current stage'),
  deadlines: z.array(z.object({ code: z.string(), label: z.string(), due_on: z.string(), overdue_at: z.string(), met: z.boolean(), overdue: z.boolean() })),
  overdue: z.boolean().describe('A deadline of the current stage has passed unmet'),
  resolution: z.object({ text: z.string(), at: z.string(), by: z.string(), stage: z.enum(stages) }).nullable(),
  trail: z.array(z.object({ seq: z.number().int(), type: z.enum(eventTypes), at: z.string(), by: z.string(), text: z.string() })),
  actions: z.array(z.enum(stepTypes)).describe('What you may do now'),
});
export type ConcernView = z.infer<typeof concernView>;

export const boardView = z.object({
  by_stage: z.array(z.object({ stage: z.enum(stages), label: z.string(), open: z.number().int(), overdue: z.number().int() })),
  open: z.array(concernView).describe('Overdue first, then the furthest up the ladder, then the oldest'),
  closed: z.array(concernView).describe('Most recently closed first, each with its resolution'),
});
export type BoardView = z.infer<typeof boardView>;
