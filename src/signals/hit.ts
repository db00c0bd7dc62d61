/**
 * What a red-flag rule finds (spec §6): the contract between the rules (which only find patterns)
 * and alerts (which record them, tell people and wait for an answer). Pure: no HTTP, no database.
 */
export type Severity = 'urgent' | 'high' | 'medium';

/** Most severe first, for work lists. */
export const severityRank: Record<Severity, number> = { urgent: 0, high: 1, medium: 2 };

/** Who a rule alerts, resolved against the child's relationships when the alert is raised. */
export type Recipient = 'allocated_worker' | 'manager' | 'head_of_service' | 'designated_lead';

export interface Hit {
  /** The rule's id, e.g. 'R1'. */
  rule_id: string;
  /** The rule version that found it (signal_rules row id), so the alert says exactly which rule fired. */
  rule_version_id: string;
  /**
   * Identifies "the same pattern": while an alert with the same child, rule and key is open, a new hit
   * adds its entries to it instead of raising a second alert (e.g. 'R4' over a rolling window: 'attendances';
   * 'R6' per adult: the adult's person id).
   */
  pattern_key: string;
  severity: Severity;
  recipients: Recipient[];
  /** The reason in plain words, for the worker and manager (no jargon, names the agencies). */
  reason: string;
  /** The entries that triggered it, from every agency, oldest first. */
  entry_ids: string[];
  /**
   * Set by absence rules found on a schedule (R8, R9): the pattern_key names one occurrence (one
   * overdue deadline, one stretch unseen), which the schedule finds again on every run. Once an alert
   * for it has been answered, the same child, rule and key should not raise a new one. (Added by S1.)
   */
  once?: boolean;
}
