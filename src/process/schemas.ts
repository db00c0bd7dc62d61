import { z } from 'zod';
import { isIsoDate } from './dates.js';
import { conventions, units, type Due } from './due.js';
import { jurisdictions, ruleStatuses, type TimescaleRule } from './rules.js';

export const jurisdiction = z.enum(jurisdictions);
export const ruleCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9]{0,9}$/, 'Enter a rule code such as T2 or EP1')
  .transform((c) => c.toUpperCase());
export const isoDate = z.string().refine(isIsoDate, 'Enter a real date as YYYY-MM-DD');

export const rulesQuery = z.object({
  jurisdiction: jurisdiction.default('england').describe('england (the default) or wales'),
});

export const dueQuery = z.object({
  rule: ruleCode.describe('The rule code, e.g. T2'),
  start: z.string().trim().min(1).max(40).describe('When the trigger happened: YYYY-MM-DD, a UK time YYYY-MM-DDTHH:MM, or an instant with Z or an offset'),
  jurisdiction: jurisdiction.optional().describe('Defaults to the locality’s jurisdiction, else england'),
  locality: z.uuid().optional().describe('A local authority (agency id) whose local practice applies'),
  event: z.string().regex(/^[a-z][a-z0-9_]*$/).optional()
    .describe('The event that starts the clock, for a code with a row per event (T12: placement_started, looked_after_visit); left out, any row of the code'),
});
export type DueQuery = z.infer<typeof dueQuery>;

export const ruleView = z.object({
  id: z.uuid(),
  code: z.string(),
  jurisdiction,
  locality: z.uuid().nullable(),
  step: z.string(),
  trigger_event: z.string(),
  trigger: z.string(),
  amount: z.number().int(),
  unit: z.enum(units),
  convention: z.enum(conventions),
  source: z.string(),
  status: z.enum(ruleStatuses),
  local_practice: z.boolean(),
  effective_from: z.string(),
  recorded_at: z.string(),
});
export type RuleView = z.infer<typeof ruleView>;
export const toRuleView = (r: TimescaleRule): RuleView => ({ ...r, recorded_at: r.recorded_at.toISOString() });

export const dueView = z.object({
  rule: ruleView,
  due: z.string().describe('A UK calendar date, or for hours an exact instant with its UK offset'),
  start: z.string(),
  amount: z.number().int(),
  unit: z.enum(units),
  convention: z.enum(conventions),
  counted_from: z.string().optional().describe('Working days: t0, or the next working day when t0 was not one'),
  holidays_passed: z.array(z.object({ date: z.string(), name: z.string(), source: z.string() })).optional(),
});
export const toDueView = (r: { rule: TimescaleRule } & Due) => ({ ...r, rule: toRuleView(r.rule) });

/** A local authority's own timescale for a local-practice step (T11 visits, T13 CIN reviews). */
export const overrideInput = z.object({
  locality: z.uuid(),
  code: ruleCode,
  amount: z.number().int().positive().max(1000),
  unit: z.enum(units),
  convention: z.enum(conventions),
  source: z.string().trim().min(5).max(2000).describe('Where the local rule is written, e.g. the LSCP procedures section'),
  effective_from: isoDate,
});
export type OverrideInput = z.infer<typeof overrideInput>;
