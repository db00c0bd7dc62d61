import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { StoredLink } from '../record/chain.js';
import type { Hit } from './hit.js';
import type { Facts } from './facts.js';
import { loadFacts } from './facts-store.js';
import { selectSignalRule, type RulePlace, type SignalRule } from './rules.js';
import { childrenDueForSchedule as dueForSchedule, loadSignalRules } from './rules-store.js';
import { evaluators as allEvaluators } from './evaluators/index.js';
import type { Occasion, RuleLogic } from './evaluators/types.js';

/**
 * New entries just appended (inside their transaction); the clock, for the absence rules; or adults
 * whose link to the child was just recorded (a relationship or address: not an entry, so the people
 * service says so itself), for the rules about the adults around the child (R6, R11).
 */
export type Trigger =
  | { entries: Pick<StoredLink, 'id' | 'child_id' | 'kind' | 'data' | 'concerns'>[] }
  | { at: Date }
  | { people: string[]; at?: Date };

/**
 * Runs the red-flag rules for one child. It finds patterns only: raising, telling and answering
 * alerts is the alert service's work. It runs inside every append transaction, so it returns at once
 * when no rule listens to the new entries, and otherwise loads the child's facts once for all rules.
 */
export class SignalEngine {
  constructor(
    private readonly logic: RuleLogic[] = allEvaluators,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async evaluate(tx: Transaction<DB> | Kysely<DB>, childId: string, trigger: Trigger): Promise<Hit[]> {
    const id = childId.toLowerCase();
    const mine = 'entries' in trigger ? trigger.entries.filter((e) => e.child_id.toLowerCase() === id) : [];
    const listening = 'entries' in trigger
      ? this.logic.filter((l) => mine.some((e) => l.listens(e as Parameters<RuleLogic['listens']>[0])))
      : this.logic.filter((l) => ('people' in trigger ? l.people : l.scheduled));
    if (!listening.length) return [];
    const now = ('at' in trigger && trigger.at) || this.clock();
    // Only the rules about the adults around the child (R6, R11) read them.
    const loaded = await loadFacts(tx, id, now, listening.some((l) => l.people));
    if (!loaded) return [];
    const newIds = new Set(mine.map((e) => e.id));
    const on: Occasion = 'entries' in trigger ? { entries: loaded.facts.entries.filter((e) => newIds.has(e.id)) }
      : 'people' in trigger ? { people: trigger.people.map((p) => p.toLowerCase()) } : { at: now };
    return runRules(listening, await loadSignalRules(tx), loaded.place, loaded.facts, on, now);
  }
}

/** Children the absence rules (R8, R9) should be evaluated for on a schedule: `evaluate(tx, child, { at })`. */
export const childrenDueForSchedule = (db: Kysely<DB> | Transaction<DB>, now: Date) => dueForSchedule(db, now);

/**
 * Each listening rule, as the version in force for the child's authority at `now` says (skipped when
 * disabled, or when a stored version's parameters no longer fit its rule), over the same facts.
 */
export function runRules(logic: RuleLogic[], rows: SignalRule[], place: RulePlace, facts: Facts, on: Occasion, now: Date): Hit[] {
  const hits: Hit[] = [];
  for (const l of logic) {
    const rule = selectSignalRule(rows, l.id, place, now);
    if (!rule?.enabled) continue;
    hits.push(...runRule(l, rule, facts, on));
  }
  return hits;
}

/** One rule version over the facts, as hits. */
export function runRule(l: RuleLogic, rule: SignalRule, facts: Facts, on: Occasion): Hit[] {
  const params = l.params.safeParse(rule.parameters);
  if (!params.success) return [];
  return l.evaluate(facts, params.data, on).map((f) => ({
    rule_id: rule.rule_id,
    rule_version_id: rule.id,
    severity: rule.severity,
    recipients: rule.recipients,
    ...f,
  }));
}
