import { z } from 'zod';
import { isoDate } from '../people/schemas.js';

/** An agency's own record of a person, as its system holds it (names may be misspelt, numbers mistyped). */
export const agencyRecordInput = z.object({
  local_id: z.string().trim().min(1).max(50).describe("The agency's own id for this person"),
  kind: z.enum(['child', 'adult']).default('child'),
  given_name: z.string().trim().min(1).max(100),
  family_name: z.string().trim().min(1).max(100),
  date_of_birth: isoDate.optional(),
  nhs_number: z.string().trim().regex(/^\d{3} ?\d{3} ?\d{4}$/, 'Enter 10 digits').transform((s) => s.replace(/ /g, '')).optional()
    .describe('As the agency holds it; a mistyped number is still evidence'),
  address: z.array(z.string().trim().min(1).max(200)).max(4).default([]).describe('Address lines, house number and street first'),
  town: z.string().trim().max(100).optional(),
  postcode: z.string().trim().toUpperCase().max(10).optional(),
  sex: z.enum(['female', 'male', 'unknown', 'indeterminate']).default('unknown'),
}).refine((r) => r.kind === 'adult' || !!r.date_of_birth, { message: 'A child needs a date of birth', path: ['date_of_birth'] });
export type AgencyRecordInput = z.infer<typeof agencyRecordInput>;

export const reason = z.string().trim().min(5, 'Give the reason in at least 5 characters').max(2000);

export const decisionInput = z.object({
  decision: z.enum(['same', 'different']).describe('"same": the same person (links); "different": different people'),
  reason,
});
export type DecisionInput = z.infer<typeof decisionInput>;

export const mergeInput = z.object({ into: z.uuid().describe('The child whose record remains'), reason });
export const unmergeInput = z.object({ reason });

const contribution = z.object({
  role: z.string(), level: z.string(), label: z.string(),
  m: z.number().nullable(), u: z.number().nullable(), weight: z.number(), frequency_adjustment: z.number(),
});
/** A match score as the sum of its parts: prior_weight + the fields' weights = match_weight. */
export const explanationView = z.object({
  prior_weight: z.number(), fields: z.array(contribution), match_weight: z.number(), match_probability: z.number(),
});

export const outcomes = ['linked', 'queued', 'created'] as const;
export const submitAnswer = z.object({
  record: z.object({ id: z.uuid(), agency_id: z.uuid(), local_id: z.string(), version: z.number() }),
  outcome: z.enum(outcomes),
  /** The person linked to (linked, created); left out while a person decides. */
  person_id: z.uuid().optional(),
  review_id: z.uuid().optional(),
  /** How the record reached its person: the matcher, or the agency's local id already held. */
  via: z.enum(['matcher', 'local_id', 'new_person']),
  explanation: explanationView.nullable().describe('The closest candidate: each field\'s level, m, u and weight, and their sum'),
});
export type SubmitAnswer = z.infer<typeof submitAnswer>;
