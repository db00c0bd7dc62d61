import { z } from 'zod';
import { isValidNhsNumber, normaliseNhsNumber } from '../people/nhs-number.js';

/** Where the child was seen: the unscheduled-care settings CP-IS serves (spec §9). */
export const settings = ['emergency_department', 'minor_injury_unit', 'walk_in_centre', 'out_of_hours_gp'] as const;
export type Setting = (typeof settings)[number];
export const settingLabels: Record<Setting, string> = {
  emergency_department: 'Emergency department',
  minor_injury_unit: 'Minor injury unit',
  walk_in_centre: 'Walk-in centre',
  out_of_hours_gp: 'Out-of-hours GP',
};

const common = {
  setting: z.enum(settings),
  reason: z.string().trim().min(3).max(500).describe('Why the child is being checked (the presenting reason)'),
};
const nhsNumber = z.string().transform(normaliseNhsNumber).refine(isValidNhsNumber, 'Enter a valid NHS number (10 digits with a correct check digit)');

/** Look up by NHS number, or by name, date of birth and postcode (then through the matcher). */
export const checkInput = z.union([
  z.object({ nhs_number: nhsNumber, ...common }).strict(),
  z.object({
    given_name: z.string().trim().min(1).max(100),
    family_name: z.string().trim().min(1).max(100),
    date_of_birth: z.iso.date(),
    postcode: z.string().trim().min(2).max(10),
    ...common,
  }).strict(),
]);
export type CheckInput = z.infer<typeof checkInput>;

const access = z.object({ at: z.string(), setting: z.enum(settings), organisation: z.string() });

/**
 * The answer. On a plan or looked after: CP-IS's facts only (type and dates, never the category), whom to call, and
 * who checked before. Otherwise exactly `{ on_plan: false, looked_after: false }`; no single match
 * answers `{ match: 'none' }` and nothing else.
 */
export const checkAnswer = z.union([
  z.object({
    on_plan: z.boolean(),
    looked_after: z.boolean(),
    unborn: z.boolean(),
    plan_start: z.string().nullable(),
    looked_after_since: z.string().nullable(),
    local_authority: z.object({ name: z.string(), office_hours_phone: z.string().nullable(), out_of_hours_phone: z.string().nullable() }),
    last_accesses: z.array(access),
  }),
  z.object({ on_plan: z.literal(false), looked_after: z.literal(false) }).strict(),
  z.object({ match: z.literal('none') }).strict(),
]);
export type CheckAnswer = z.infer<typeof checkAnswer>;
export type Access = z.infer<typeof access>;

/** What the chronology shows of a check: where, why, and what it answered. */
export function checkEntryFacts(d: Record<string, unknown>): string[] {
  return [
    `Setting: ${settingLabels[d.setting as Setting] ?? String(d.setting)}`,
    `Reason: ${String(d.reason ?? '')}`,
    d.on_plan ? 'Answered: on a child protection plan' : d.looked_after ? 'Answered: looked after' : 'Answered: not on a plan',
  ];
}
