import { z } from 'zod';

/**
 * Named decisions and the disagreements they open. A decision records who decided (the signed-in
 * practitioner, never "the team"), why, what else was considered, and each participant's position.
 */
export const positions = ['agree', 'dissent'] as const;

export const participantInput = z.object({
  practitioner_id: z.uuid().optional().describe('A participant who uses Sightline: required when they dissent, so the disagreement reaches them'),
  name: z.string().trim().min(1).max(200),
  role: z.string().trim().max(200).optional(),
  agency: z.string().trim().max(200).optional(),
  position: z.enum(positions),
  reason: z.string().trim().min(5).max(2000).optional(),
}).refine((p) => p.position !== 'dissent' || !!p.reason, { message: 'Say why they disagree', path: ['reason'] })
  .refine((p) => p.position !== 'dissent' || !!p.practitioner_id, { message: 'Name a dissenting participant from Sightline, so the disagreement reaches them', path: ['practitioner_id'] });

export const decisionInput = z.object({
  occurred_at: z.iso.datetime({ offset: true }).describe('When it was decided (ISO 8601)'),
  question: z.string().trim().min(5, 'Say what had to be decided').max(1000),
  options: z.array(z.string().trim().min(1).max(500)).max(20).default([]).describe('What else was considered'),
  outcome: z.string().trim().min(2, 'Say what was decided').max(1000),
  rationale: z.string().trim().min(10, 'Give the reasons for the decision (at least 10 characters)').max(20000),
  participants: z.array(participantInput).max(40).default([]),
  supersedes_id: z.uuid().optional().describe('A decision this one replaces'),
  supersede_reason: z.string().trim().min(5).max(2000).optional(),
  process_step_id: z.uuid().optional().describe('The process step (entry) this decision was taken at'),
}).refine((d) => !d.supersedes_id || !!d.supersede_reason, { message: 'Say why the earlier decision is replaced', path: ['supersede_reason'] });
export type DecisionInput = z.infer<typeof decisionInput>;

export const positionInput = z.object({
  position: z.enum(positions),
  reason: z.string().trim().min(5).max(2000).optional(),
  occurred_at: z.iso.datetime({ offset: true }).optional(),
}).refine((p) => p.position !== 'dissent' || !!p.reason, { message: 'Say why you disagree', path: ['reason'] });

export const disagreementInput = z.object({
  respondent_id: z.uuid().describe('Who the disagreement is with: the practitioner who decided, or who has not acted'),
  matter: z.string().trim().min(10, 'Say what the disagreement is about (at least 10 characters)').max(5000),
  decision_id: z.uuid().optional().describe('The decision disputed; leave out for a lack of action'),
  urgent: z.boolean().default(false).describe('Immediate risk: every stage runs in hours'),
});

export const responseInput = z.object({ response: z.string().trim().min(10, 'Give the response and the plan agreed (at least 10 characters)').max(20000) });
export const raiserAnswerInput = z.object({
  accept: z.boolean().describe('true: the raiser accepts the response and the disagreement closes; false: it goes up a stage'),
  reason: z.string().trim().min(5).max(2000).optional(),
}).refine((a) => a.accept || !!a.reason, { message: 'Say why the response is not accepted', path: ['reason'] });

export const stageNames: Record<number, string> = {
  1: 'Stage 1: practitioner to practitioner',
  2: 'Stage 2: line managers',
  3: 'Stage 3: senior managers and designated leads',
  4: 'Stage 4: safeguarding partnership (independent chair)',
};
