import { z } from 'zod';
import { addDays, londonDate } from '../../process/dates.js';
import type { FactEntry, Facts } from '../facts.js';
import { medicallyExplained } from './r1-non-mobile-infant.js';
import { checksOn } from './r6-unchecked-adult.js';
import { defineRule, idsOf, newEntries, occasionDate, whoWhen, words, type Found } from './types.js';

const params = z.object({
  carer_kinds: z.array(z.string().min(1)).min(1),
  suspicious_explanations: z.array(z.enum(['no', 'none_given', 'unclear'])),
  since_days: z.number().int().min(1).max(3650),
}).strict();
type P = z.infer<typeof params>;

/**
 * Injuries suspected to be non-accidental: recorded with no or an inconsistent explanation, or
 * followed within 30 days by a strategy discussion that started a section 47 enquiry.
 */
function suspectedInjuries(f: Facts, p: P): FactEntry[] {
  const s47s = f.process.s47s.map((s) => s.date);
  return f.entries.filter((e) => {
    if (e.kind !== 'injury' || e.supersedes_id || medicallyExplained(f, e)) return false;
    const day = londonDate(e.occurred_at);
    return (p.suspicious_explanations as string[]).includes(String(e.data.explanation_consistent)) || s47s.some((d) => d >= day && d <= addDays(day, 30));
  });
}

/**
 * R11: after a suspected non-accidental injury the child lives with a relative, family friend or other
 * carer, and no connected-person (carer) assessment of them is recorded. One pattern per carer.
 */
export const r11 = defineRule({
  id: 'R11',
  params,
  listens: (e) => e.kind === 'injury' || (e.kind === 'process_step' && e.data.step === 'strategy_discussion'),
  people: true,
  evaluate(f, p, on) {
    const injuries = suspectedInjuries(f, p);
    if (!injuries.length) return [];
    const fresh = new Set(newEntries(on).map((e) => e.id));
    const injuryIsNew = injuries.some((i) => fresh.has(i.id)) || newEntries(on).some((e) => e.kind === 'process_step');
    const people = 'people' in on ? new Set(on.people) : undefined;
    if (!people && !injuryIsNew) return [];
    const today = londonDate(occasionDate(f, on));
    const out: Found[] = [];
    for (const a of f.adults) {
      if (people && !people.has(a.person_id)) continue;
      const placed = a.relationships.find((r) => p.carer_kinds.includes(r.kind) && r.lives_with_child && (!r.valid_to || r.valid_to > today));
      if (!placed) continue;
      const before = injuries.filter((i) => londonDate(i.occurred_at) <= placed.valid_from && addDays(londonDate(i.occurred_at), p.since_days) >= placed.valid_from);
      const { done } = checksOn(f, a.person_id);
      if (!before.length || done.has('connected_person_assessment')) continue;
      const nai = before.at(-1)!;
      out.push({
        pattern_key: `carer:${a.person_id}`,
        reason: `Since ${placed.valid_from} the child lives with ${a.name} (${words(placed.kind)}${placed.agency_name ? `, recorded by ${placed.agency_name}` : ''}), `
          + `after a suspected non-accidental injury (${words(String(nai.data.injury_type))}, ${whoWhen(nai)}), and no connected-person assessment of ${a.name} is recorded.`,
        entry_ids: idsOf(before),
      });
    }
    return out;
  },
});
