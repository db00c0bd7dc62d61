import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { candidateRecords, childrenByNhsNumber, exactDemographicMatches } from '../people/candidates.js';
import { singleConfidentMatch } from './match.js';
import type { CheckInput } from './schemas.js';

type Lookup = Pick<Extract<CheckInput, { nhs_number: string }>, 'nhs_number'> | Omit<Extract<CheckInput, { given_name: string }>, 'setting' | 'reason'>;

/**
 * The child a check is about: by NHS number exactly; else name, date of birth and postcode exactly;
 * else the one confident match among the blocked candidates. Null when there is not exactly one.
 * (bench/lookup.ts times this very function over a million children.)
 */
export async function findChild(tx: Transaction<DB>, input: Lookup): Promise<string | null> {
  if ('nhs_number' in input) {
    const found = await childrenByNhsNumber(tx, input.nhs_number);
    return found.length === 1 ? found[0] : null;
  }
  const exact = await exactDemographicMatches(tx, input);
  if (exact.length) return exact.length === 1 ? exact[0] : null;
  const query = { given_name: input.given_name, surname: input.family_name, date_of_birth: input.date_of_birth, postcode: input.postcode };
  return singleConfidentMatch(query, await candidateRecords(tx, input));
}
