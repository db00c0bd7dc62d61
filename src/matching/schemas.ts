import { z } from 'zod';
import { dateFormats } from './dates.js';

/**
 * What the matcher knows of a person, by role. Every role but the id may be missing; a missing value
 * is neutral evidence. Dates of birth are ISO (YYYY-MM-DD), though the date may be impossible (a typo).
 */
export const personRecord = z.object({
  id: z.string().min(1),
  given_name: z.string().optional(),
  surname: z.string().optional(),
  date_of_birth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  nhs_number: z.string().optional(),
  /** Another identifier: a local system's id, a national insurance or social security number. */
  identifier: z.string().optional(),
  email: z.string().optional(),
  /** Address lines in order: house number and street, locality. */
  address: z.array(z.string()).optional(),
  town: z.string().optional(),
  postcode: z.string().optional(),
  sex: z.string().optional(),
});
export type PersonRecord = z.infer<typeof personRecord>;

const column = z.string().min(1);

/**
 * MAPPING.json for `sightline link`: for each role, the CSV column that holds it. Roles a file lacks
 * are left out. A full name is split into given name (first word) and surname (last word).
 */
export const columnMapping = z
  .object({
    record_id: column,
    given_name: column.optional(),
    surname: column.optional(),
    full_name: column.optional(),
    date_of_birth: z.object({ column, format: z.enum(dateFormats) }).strict().optional(),
    nhs_number: column.optional(),
    identifier: column.optional(),
    email: column.optional(),
    address: z.array(column).min(1).optional(),
    town: column.optional(),
    postcode: column.optional(),
    sex: column.optional(),
  })
  .strict()
  .refine((m) => !(m.full_name && (m.given_name || m.surname)), { message: 'Map either full_name or given_name and surname, not both', path: ['full_name'] });
export type ColumnMapping = z.infer<typeof columnMapping>;

/** The roles the matcher compares (each becomes one comparison when either file has it). */
export const comparedRoles = ['given_name', 'surname', 'date_of_birth', 'nhs_number', 'identifier', 'email', 'address', 'town', 'postcode', 'sex'] as const;
export type ComparedRole = (typeof comparedRoles)[number];
