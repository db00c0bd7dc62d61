import type { Recipient, Severity } from './hit.js';

/**
 * One version of a red-flag rule (a `signal_rules` row, migration 0023). Pure: which version applies
 * to a child is decided here, the SQL is in rules-store.ts and the logic in evaluators/.
 */
export interface SignalRule {
  /** The version's own id (the Hit's rule_version_id). */
  id: string;
  /** R1…R11. */
  rule_id: string;
  name: string;
  description: string;
  source: string;
  status: 'verified' | 'secondary' | 'local' | 'unverified';
  severity: Severity;
  recipients: Recipient[];
  parameters: Record<string, unknown>;
  /** The parameters a local authority may set for itself. */
  local_parameters: string[];
  enabled: boolean;
  /** null: every jurisdiction. */
  jurisdiction: string | null;
  /** null: the default; else the local authority whose own version this is. */
  locality: string | null;
  effective_from: Date;
  recorded_at: Date;
  recorded_by: string | null;
  change_reason: string | null;
}

/** Where a child's rules come from: the responsible local authority and its jurisdiction. */
export interface RulePlace {
  locality: string | null;
  jurisdiction: string;
}

/** How specific a version is to the place: the authority's own, the jurisdiction's, everyone's. */
function fit(r: SignalRule, place: RulePlace): number {
  if (r.locality !== null) return r.locality === place.locality ? 3 : -1;
  if (r.jurisdiction !== null) return r.jurisdiction === place.jurisdiction ? 2 : -1;
  return 1;
}

/**
 * The version of `ruleId` that applies at `now`: the most specific level that has a version in force
 * (the authority's own over the jurisdiction's over the default), and within it the latest
 * effective_from not after `now`. Disabled versions are returned too: disabling is a version.
 */
export function selectSignalRule(rows: SignalRule[], ruleId: string, place: RulePlace, now: Date): SignalRule | undefined {
  let best: SignalRule | undefined;
  let bestFit = 0;
  for (const r of rows) {
    if (r.rule_id !== ruleId || r.effective_from > now) continue;
    const f = fit(r, place);
    if (f < 0) continue;
    if (f > bestFit || (f === bestFit && best && r.effective_from > best.effective_from)) {
      best = r;
      bestFit = f;
    }
  }
  return best;
}

/** Every rule's applicable version, in rule order (R1, R2 … R10, R11). */
export function applicableRules(rows: SignalRule[], place: RulePlace, now: Date): SignalRule[] {
  const ids = [...new Set(rows.map((r) => r.rule_id))].sort(byRuleId);
  return ids.flatMap((id) => selectSignalRule(rows, id, place, now) ?? []);
}

export const byRuleId = (a: string, b: string) => Number(a.slice(1)) - Number(b.slice(1)) || a.localeCompare(b);
