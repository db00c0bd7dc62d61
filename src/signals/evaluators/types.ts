import type { z } from 'zod';
import type { Hit } from '../hit.js';
import type { FactEntry, Facts } from '../facts.js';

/** What a rule finds; the engine adds the rule, its version, severity and recipients from the row. */
export type Found = Pick<Hit, 'pattern_key' | 'reason' | 'entry_ids'> & Partial<Pick<Hit, 'once'>>;

/**
 * What makes a rule look: the new entries (already in `facts.entries`), the clock (absence rules), or
 * adults whose link to the child was just recorded (a relationship: not an entry, so told separately).
 */
export type Occasion = { entries: FactEntry[] } | { at: Date } | { people: string[] };

/** The date an occasion is about: the newest new entry's, or the clock's. */
export const occasionDate = (f: Facts, on: Occasion): Date =>
  'at' in on ? on.at : 'entries' in on && on.entries.length ? new Date(Math.max(...on.entries.map((e) => e.occurred_at.getTime()))) : f.asOf;

/** The few fields of a new entry a rule's `listens` may look at, without loading anything. */
export type NewEntry = Pick<FactEntry, 'kind' | 'data' | 'concerns'>;

/**
 * One red-flag rule's logic: pure, small, one file each. `params` is the zod schema its parameters
 * must pass (a new version with bad parameters is refused with 409).
 */
export interface Evaluator<P = Record<string, unknown>> {
  id: string;
  params: z.ZodType<P>;
  /** Whether a new entry could matter to this rule: decided from the entry alone, before any query. */
  listens(e: NewEntry): boolean;
  /** Absence rules: evaluated on a schedule (the trigger `{ at }`). */
  scheduled?: boolean;
  /**
   * Rules about the adults around the child: evaluated when a relationship is recorded (the trigger
   * `{ people }`). Only these may read `facts.adults`: for the others the engine does not load them.
   */
  people?: boolean;
  evaluate(f: Facts, p: P, on: Occasion): Found[];
}

/** An evaluator with its parameter type erased, for the list the engine runs (params checked by `params` first). */
export type RuleLogic = Omit<Evaluator, 'params' | 'evaluate'> & { params: z.ZodType; evaluate(f: Facts, p: unknown, on: Occasion): Found[] };
export const defineRule = <P>(e: Evaluator<P>): RuleLogic => e as unknown as RuleLogic;

/** A hint for readers of each evaluator: rules looked at because of new entries read only those. */
export const newEntries = (on: Occasion): FactEntry[] => ('entries' in on ? on.entries : []);

const ukDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' });
/** "3 March 2026", as a practitioner writes it. */
export const dayOf = (d: Date) => ukDate.format(d);
/** "Northmoor NHS Trust on 3 March 2026". */
export const whoWhen = (e: FactEntry) => `${e.agency_name} on ${dayOf(e.occurred_at)}`;
/** A list in words: "a, b and c". */
export const listed = (xs: string[]) => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`);
export const words = (s: string) => s.replace(/_/g, ' ');
/** Entry ids oldest first, once each. */
export const idsOf = (es: FactEntry[]) => [...new Set([...es].sort((a, b) => a.occurred_at.getTime() - b.occurred_at.getTime() || a.seq - b.seq).map((e) => e.id))];
