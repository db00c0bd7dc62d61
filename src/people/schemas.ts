import { z } from 'zod';
import { isValidNhsNumber, normaliseNhsNumber } from './nhs-number.js';

export const isoDate = z.iso.date();
export const nhsNumber = z
  .string()
  .transform(normaliseNhsNumber)
  .refine(isValidNhsNumber, 'Enter a valid NHS number: 10 digits with a correct check digit');

export const relationshipKinds = ['parent', 'carer', 'partner_of_carer', 'sibling', 'household_member', 'lodger', 'visitor'] as const;
export const relationshipLabels: Record<(typeof relationshipKinds)[number], string> = {
  parent: 'Parent',
  carer: 'Carer',
  partner_of_carer: 'Partner of a carer',
  sibling: 'Sibling',
  household_member: 'Household member',
  lodger: 'Lodger',
  visitor: 'Visitor',
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

export const personInput = z
  .object({
    kind: z.enum(['child', 'adult']),
    given_name: z.string().trim().min(1).max(100),
    family_name: z.string().trim().min(1).max(100),
    sex: z.enum(['female', 'male', 'unknown', 'indeterminate']).default('unknown'),
    date_of_birth: isoDate.optional(),
    expected_date_of_birth: isoDate.optional(),
    nhs_number: nhsNumber.optional(),
    local_ids: z.array(z.object({ agency_id: z.uuid(), value: z.string().trim().min(1).max(50) })).max(10).default([]),
    address: addressInput.optional(),
  })
  .refine((p) => p.kind === 'adult' || p.date_of_birth || p.expected_date_of_birth, {
    message: 'A child needs a date of birth or an expected date of birth',
    path: ['date_of_birth'],
  });
export type PersonInput = z.infer<typeof personInput>;

export const relationshipInput = z.object({
  other_person_id: z.uuid(),
  kind: z.enum(relationshipKinds),
  lives_with_child: z.boolean().default(false),
  valid_from: isoDate,
});
