import { z } from 'zod';
import { londonDate } from '../../process/dates.js';
import type { FactEntry, Facts, LinkedAdult } from '../facts.js';
import { dayOf, defineRule, idsOf, listed, newEntries, occasionDate, words, type Found, type Occasion } from './types.js';

const params = z.object({
  relationship_kinds: z.array(z.string().min(1)),
  required_checks: z.array(z.enum(['identity', 'police', 'csc_history', 'probation', 'connected_person_assessment'])).min(1),
  named_in_entries: z.boolean(),
  same_address: z.boolean(),
}).strict();
type P = z.infer<typeof params>;

/** The checks recorded as done on a person so far, and the entries that recorded them. */
export function checksOn(f: Facts, personId: string): { done: Set<string>; entries: FactEntry[] } {
  const entries = f.entries.filter((e) => e.kind === 'adult_check' && e.data.person_id === personId);
  return { done: new Set(entries.flatMap((e) => (e.data.checks as string[]) ?? [])), entries };
}

const current = (day: string) => (r: { valid_from: string; valid_to: string | null }) => r.valid_from <= day && (!r.valid_to || r.valid_to > day);

/** How the adult is linked to the child on `day`, in words, or undefined when this rule does not ask for checks on them. */
function linkOf(f: Facts, a: LinkedAdult, p: P, day: string, named: FactEntry[]): string | undefined {
  const rels = a.relationships.filter(current(day));
  const asked = rels.filter((r) => p.relationship_kinds.includes(r.kind));
  if (rels.length && !asked.length) return undefined; // a parent or sibling: assessed with the family, not here
  const why: string[] = asked.map((r) => `recorded as ${words(r.kind)}${r.lives_with_child ? ' living with the child' : ''}${r.agency_name ? ` by ${r.agency_name}` : ''} from ${r.valid_from}`);
  if (p.named_in_entries && named.length) why.push(`named in ${named.length === 1 ? 'an entry' : `${named.length} entries`} by ${listed([...new Set(named.map((e) => `${e.agency_name} (${dayOf(e.occurred_at)})`))])}`);
  if (p.same_address && a.same_address_since && a.same_address_since <= day && !rels.length) why.push(`living at the child’s address since ${a.same_address_since}, but not recorded in the household`);
  return why.length ? listed(why) : undefined;
}

/** The adults this occasion is about: those named in the new entries, or whose relationship was just recorded. */
function adultsInView(f: Facts, on: Occasion): LinkedAdult[] {
  const ids = 'people' in on ? new Set(on.people) : new Set(newEntries(on).flatMap((e) => e.concerns));
  return f.adults.filter((a) => ids.has(a.person_id));
}

/**
 * R6 ("unseen men"): an adult linked to the child by any agency (a relationship, an entry naming them,
 * the child's address) on whom the checks are not all recorded as done. One pattern per adult.
 */
export const r6 = defineRule({
  id: 'R6',
  params,
  listens: (e) => e.concerns.length > 0,
  people: true,
  evaluate(f, p, on) {
    const day = londonDate(occasionDate(f, on));
    const out: Found[] = [];
    for (const a of adultsInView(f, on)) {
      const named = f.entries.filter((e) => e.concerns.includes(a.person_id));
      const link = linkOf(f, a, p, day, named);
      if (!link) continue;
      const { done, entries } = checksOn(f, a.person_id);
      const missing = p.required_checks.filter((c) => !done.has(c));
      if (!missing.length) continue;
      out.push({
        pattern_key: `adult:${a.person_id}`,
        reason: `${a.name} is ${link}, and no ${listed(missing.map(checkName))} check${missing.length > 1 ? 's are' : ' is'} recorded as done on them.`,
        entry_ids: idsOf([...named, ...entries]),
      });
    }
    return out;
  },
});

export const checkName = (c: string) =>
  ({ identity: 'identity', police: 'police (PNC)', csc_history: 'children’s social care history', probation: 'probation or MAPPA', connected_person_assessment: 'connected-person assessment' })[c] ?? c;
