import { z } from 'zod';
import { decisionInput } from '../decisions/schemas.js';

/**
 * An alert is answered in one of three ways (issue 6): a decision, which then follows the decision
 * rules (a named maker, a rationale, every participant's position); an action with an owner and a
 * date; or a reason why no action is needed. The answer closes the alert.
 */
export const alertAnswerInput = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('decision'),
    decision: decisionInput.describe('Recorded as a decision of yours on the child’s record'),
  }),
  z.object({
    type: z.literal('action'),
    what: z.string().trim().min(5, 'Say what will be done (at least 5 characters)').max(2000),
    owner_id: z.uuid('Choose who will do it').describe('The practitioner who owns the action'),
    due_on: z.iso.date('Give the date it is due by, as YYYY-MM-DD').describe('Due by (a date, UK)'),
  }),
  z.object({
    type: z.literal('no_action'),
    reason: z.string().trim().min(10, 'Say why no action is needed (at least 10 characters)').max(5000),
  }),
]);
export type AlertAnswerInput = z.infer<typeof alertAnswerInput>;

export const alertParams = z.object({ alertId: z.uuid() });
export const childParams = z.object({ childId: z.uuid() });
