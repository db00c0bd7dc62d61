import { z } from 'zod';
import { londonDate } from '../../process/dates.js';
import { ageInMonths, type FactEntry, type Facts } from '../facts.js';
import { defineRule, idsOf, newEntries, whoWhen, words } from './types.js';

const params = z.object({
  infant_months: z.number().int().min(1).max(36),
  injury_types: z.array(z.string().min(1)).min(1),
}).strict();

/**
 * A health practitioner's word that a mark has a medical cause (for example congenital dermal
 * melanocytosis): `medical_cause` on the injury entry itself, or on a later injury entry that corrects
 * it, written by someone in a health agency. Anyone else's note does not count.
 */
export function medicallyExplained(f: Facts, injury: FactEntry): boolean {
  const byHealth = (e: FactEntry) => e.agency_kind === 'health' && typeof e.data.medical_cause === 'string' && e.data.medical_cause.trim() !== '';
  if (byHealth(injury)) return true;
  return f.entries.some((e) => e.supersedes_id === injury.id && byHealth(e));
}

/**
 * R1: any injury in a baby who is not independently mobile: under `infant_months` (all of them, since
 * rolling is not mobility), or recorded as not mobile at any age.
 */
export const r1 = defineRule({
  id: 'R1',
  params,
  listens: (e) => e.kind === 'injury',
  evaluate(f, p, on) {
    const found = newEntries(on).filter((e) => {
      if (e.kind !== 'injury' || e.supersedes_id || !p.injury_types.includes(String(e.data.injury_type))) return false;
      const months = ageInMonths(f, londonDate(e.occurred_at));
      const young = months !== null && months < p.infant_months;
      return (young || e.data.child_mobile === false) && !medicallyExplained(f, e);
    });
    return found.map((e) => {
      const months = ageInMonths(f, londonDate(e.occurred_at));
      const why = months === null || months >= p.infant_months ? 'recorded as not mobile' : months < 1 ? 'under a month old' : `aged ${months} month${months === 1 ? '' : 's'}`;
      return {
        pattern_key: 'injury-non-mobile',
        reason: `${e.author_name} (${whoWhen(e)}) recorded a ${words(String(e.data.injury_type))} on a baby ${why}, who is not independently mobile. `
          + 'Under the local protocol this needs a same-day referral and a paediatric assessment, unless a health practitioner confirms a medical cause.',
        entry_ids: idsOf([e]),
      };
    });
  },
});
