import { z } from 'zod';
import { entryInput } from '../record/kinds.js';
import { isValidNhsNumber, normaliseNhsNumber } from './nhs-number.js';

export const isoDate = z.iso.date();
export const nhsNumber = z
  .string()
  .transform(normaliseNhsNumber)
  .refine(isValidNhsNumber, 'Enter a valid NHS number: 10 digits with a correct check digit');

export const relationshipKinds = ['parent', 'carer', 'partner_of_carer', 'sibling', 'household_member', 'lodger', 'visitor', 'relative', 'family_friend'] as const;
export const relationshipLabels: Record<(typeof relationshipKinds)[number], string> = {
  parent: 'Parent',
  carer: 'Carer',
  partner_of_carer: 'Partner of a carer',
  sibling: 'Sibling',
  household_member: 'Household member',
  lodger: 'Lodger',
  visitor: 'Visitor',
  relative: 'Relative (not a parent)',
  family_friend: 'Family friend',
};

export const nameInput = z.object({
  given_name: z.string().trim().min(1).max(100),
  family_name: z.string().trim().min(1).max(100),
  name_type: z.enum(['legal', 'known_as', 'previous', 'alias']).default('legal'),
  valid_from: isoDate.optional(),
});

export const addressInput = z.object({
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().max(200).optional(),
  town: z.string().trim().max(100).optional(),
  postcode: z.string().trim().toUpperCase().regex(/^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/, 'Enter a UK postcode'),
  valid_from: isoDate,
});

const personFields = z.object({
  kind: z.enum(['child', 'adult']),
  given_name: z.string().trim().min(1).max(100),
  family_name: z.string().trim().min(1).max(100),
  sex: z.enum(['female', 'male', 'unknown', 'indeterminate']).default('unknown'),
  date_of_birth: isoDate.optional(),
  expected_date_of_birth: isoDate.optional(),
  nhs_number: nhsNumber.optional(),
  local_ids: z.array(z.object({ agency_id: z.uuid(), value: z.string().trim().min(1).max(50) })).max(10).default([]),
  address: addressInput.optional(),
});
const hasBirthDate = (p: { kind: string; date_of_birth?: string; expected_date_of_birth?: string }) =>
  p.kind === 'adult' || !!p.date_of_birth || !!p.expected_date_of_birth;
const birthDateNeeded = { message: 'A child needs a date of birth or an expected date of birth', path: ['date_of_birth'] };

export const personInput = personFields.refine(hasBirthDate, birthDateNeeded);
/** A new child (POST /api/children): the kind is implied. */
export const childInput = personFields.extend({ kind: z.literal('child').default('child') }).refine(hasBirthDate, birthDateNeeded);
/** A new adult (POST /api/adults), to be linked to a child by a relationship. */
export const adultInput = personFields.extend({ kind: z.literal('adult').default('adult') });
export type PersonInput = z.infer<typeof personInput>;

export const relationshipInput = z.object({
  other_person_id: z.uuid(),
  kind: z.enum(relationshipKinds),
  lives_with_child: z.boolean().default(false),
  valid_from: isoDate,
});

/** Someone new in the child's life, recorded and linked in one step (nothing half-written). */
export const newPersonInput = z.object({
  person: adultInput,
  relationship: relationshipInput.omit({ other_person_id: true }),
});

export const identifierInput = z.discriminatedUnion('scheme', [
  z.object({ scheme: z.literal('nhs_number'), value: nhsNumber }),
  z.object({ scheme: z.literal('local'), agency_id: z.uuid(), value: z.string().trim().min(1).max(50) }),
]);
export type IdentifierInput = z.infer<typeof identifierInput>;
export type NameInput = z.infer<typeof nameInput>;
export type AddressInput = z.infer<typeof addressInput>;
export type RelationshipInput = z.infer<typeof relationshipInput>;

/** Finding a child needs an exact identifier: the NHS number, or family name and date of birth. */
export const searchFields = z.object({
  nhs_number: nhsNumber.optional(),
  family_name: z.string().trim().min(1).max(100).optional(),
  given_name: z.string().trim().min(1).max(100).optional(),
  date_of_birth: isoDate.optional(),
});
export const searchInput = searchFields.refine((q) => !!q.nhs_number || (!!q.family_name && !!q.date_of_birth), {
  message: 'Search by NHS number, or by family name and date of birth',
  path: ['nhs_number'],
});
export type SearchInput = z.infer<typeof searchInput>;

export const endRelationshipInput = z.object({ valid_to: isoDate });

/** A new child and the first entry in their record (by default, the contact or referral that brought them). */
export const createChildInput = z.object({
  person: childInput,
  first_entry: entryInput.extend({ kind: entryInput.shape.kind.default('contact_referral') }),
});
export type CreateChildInput = z.input<typeof createChildInput>;
