import type { IsoDate } from './dates.js';
import { byCodeThenDate, type TimescaleRule } from './rules.js';

/**
 * The rows a practitioner needs to see: of the national rules and their own local authority's, the
 * version in force on `on` and any that start later. Superseded versions are left out (they still
 * set the deadlines of earlier triggers, which the API lists in full). Each national row is followed
 * by the locality's own rows for the same step.
 */
export function rulesInForce(rules: TimescaleRule[], locality: string | null, on: IsoDate): TimescaleRule[] {
  const shown = (rows: TimescaleRule[]) => {
    // A code's versions are per event that starts it (T12 has two: the placement, then each visit).
    const key = (r: TimescaleRule) => `${r.code} ${r.trigger_event}`;
    const current = new Map<string, TimescaleRule>();
    for (const r of rows) {
      const best = current.get(key(r));
      if (r.effective_from <= on && (!best || r.effective_from > best.effective_from)) current.set(key(r), r);
    }
    return rows.filter((r) => r.effective_from > on || current.get(key(r)) === r).sort(byCodeThenDate);
  };
  const national = shown(rules.filter((r) => r.locality === null));
  const local = locality ? shown(rules.filter((r) => r.locality === locality)) : [];
  return national.flatMap((n, i) =>
    national[i + 1]?.code === n.code ? [n] : [n, ...local.filter((l) => l.code === n.code)],
  );
}
