import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { londonDate } from '../process/dates.js';
import { ageInMonths } from './facts.js';
import { placeOf } from './facts-store.js';
import { selectSignalRule } from './rules.js';
import { loadSignalRules } from './rules-store.js';
import { babyUnderMonths } from './evaluators/r8-not-seen.js';

/**
 * Whether a home visit to this child asks if the baby was seen awake and undressed: the child is younger
 * than the age R8 sets where they live (its version in force now, when on). It reads the child's date of
 * birth and allocation, so call it inside the door.
 */
export async function asksAboutBaby(q: Kysely<DB> | Transaction<DB>, childId: string, now: Date): Promise<boolean> {
  const place = await placeOf(q, childId, now);
  if (!place) return false;
  const rule = selectSignalRule(await loadSignalRules(q), 'R8', place, now);
  const under = rule?.enabled ? babyUnderMonths(rule.parameters) : undefined;
  const months = ageInMonths({ dateOfBirth: place.dob, expectedDateOfBirth: place.edob }, londonDate(now));
  return under !== undefined && months !== null && months < under;
}
