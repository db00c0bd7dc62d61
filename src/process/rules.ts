import type { IsoDate } from './dates.js';
import type { Timescale } from './due.js';

export const jurisdictions = ['england', 'wales'] as const;
export type Jurisdiction = (typeof jurisdictions)[number];

/** The spec's evidence markers (§0): how sure we are of the rule's source. */
export const ruleStatuses = ['verified', 'secondary', 'local', 'unverified'] as const;
export type RuleStatus = (typeof ruleStatuses)[number];

/** One version of a timescale: rows are never changed, a new row with a later effective_from replaces it. */
export interface TimescaleRule extends Timescale {
  id: string;
  /** T1, T2 … from spec §1.2; W1 for Wales's own; EP1–EP3 emergency powers; CP1–CP2 care proceedings. */
  code: string;
  jurisdiction: Jurisdiction;
  /** null: the national default; otherwise the local authority (agency id) whose local practice this is. */
  locality: string | null;
  step: string;
  /** A machine name for the event that starts the clock (the process state machine listens for it). */
  trigger_event: string;
  trigger: string;
  source: string;
  status: RuleStatus;
  /** Whether a local authority may set its own timescale for this step. */
  local_practice: boolean;
  effective_from: IsoDate;
  recorded_at: Date;
}

export interface RuleQuery {
  code: string;
  jurisdiction: Jurisdiction;
  locality?: string | null;
  /** The trigger's UK date: the rule in force then applies, whatever was recorded later. */
  on: IsoDate;
  /**
   * The event that starts the clock, where a code has rows for several (T12: the placement's start, then
   * each visit, migration 0027); left out, any of the code's rows.
   */
  event?: string;
}

/** The newest row in force on `on` (rows effective later never reach back to earlier triggers). */
function newestInForce(rows: TimescaleRule[], on: IsoDate): TimescaleRule | undefined {
  let best: TimescaleRule | undefined;
  for (const r of rows) {
    if (r.effective_from <= on && (!best || r.effective_from > best.effective_from)) best = r;
  }
  return best;
}

/**
 * The rule that sets the deadline for a trigger on `on`: the locality's own row when the national
 * rule in force lets localities set it (local_practice), otherwise the national row.
 */
export function selectRule(rules: TimescaleRule[], q: RuleQuery): TimescaleRule | undefined {
  const code = q.code.toUpperCase();
  const mine = rules.filter((r) => r.code === code && r.jurisdiction === q.jurisdiction && (!q.event || r.trigger_event === q.event));
  const national = newestInForce(mine.filter((r) => r.locality === null), q.on);
  const local = q.locality ? newestInForce(mine.filter((r) => r.locality === q.locality), q.on) : undefined;
  if (local && (!national || national.local_practice)) return local;
  return national;
}

/** Listing order follows the process: Working Together steps, then emergency powers, then court. */
const PREFIX_ORDER = ['T', 'W', 'EP', 'CP'];
const codeOrder = (c: string) => {
  const [, prefix, n] = /^([A-Z]+)(\d*)/.exec(c) ?? ['', c, ''];
  const rank = PREFIX_ORDER.indexOf(prefix);
  return `${String(rank < 0 ? 9 : rank)}${prefix}${n.padStart(3, '0')}${c}`;
};

/** For listings: national rows first, then local ones, each by code and date. */
export function byCodeThenDate(a: TimescaleRule, b: TimescaleRule): number {
  return (
    Number(a.locality !== null) - Number(b.locality !== null) ||
    (a.locality ?? '').localeCompare(b.locality ?? '') ||
    codeOrder(a.code).localeCompare(codeOrder(b.code)) ||
    a.effective_from.localeCompare(b.effective_from) ||
    a.trigger_event.localeCompare(b.trigger_event)
  );
}
