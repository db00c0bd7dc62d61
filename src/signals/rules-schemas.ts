import { z } from 'zod';
import type { SignalRule } from './rules.js';
import type { NewerVersion } from './rules-newer.js';
import type { TrialHit } from './trial.js';

export const ruleIdParam = z.object({ ruleId: z.string().regex(/^R[0-9]{1,3}$/, 'A rule id such as R1') });

/** A proposed change to a rule: any of its parameters (merged over the version in force), severity, on or off. */
export const ruleChange = z.object({
  parameters: z.record(z.string(), z.unknown()).optional().describe('Only the parameters to change; the rest stay as they are'),
  severity: z.enum(['urgent', 'high', 'medium']).optional(),
  enabled: z.boolean().optional(),
});
export type RuleChange = z.infer<typeof ruleChange>;
export const newVersionInput = ruleChange.extend({ reason: z.string().trim().min(10, 'Say why, in at least 10 characters').max(2000) });
export type NewVersionInput = z.infer<typeof newVersionInput>;

export const ruleView = z.object({
  version_id: z.string(),
  rule_id: z.string(),
  name: z.string(),
  description: z.string(),
  source: z.string(),
  status: z.string(),
  severity: z.enum(['urgent', 'high', 'medium']),
  recipients: z.array(z.string()),
  parameters: z.record(z.string(), z.unknown()),
  local_parameters: z.array(z.string()),
  enabled: z.boolean(),
  /** Whether this is the caller's own authority's version rather than the default. */
  local: z.boolean(),
  effective_from: z.string(),
  change_reason: z.string().nullable(),
});
export type RuleView = z.infer<typeof ruleView>;
export const toRuleView = (r: SignalRule): RuleView => ({
  version_id: r.id, rule_id: r.rule_id, name: r.name, description: r.description, source: r.source, status: r.status, severity: r.severity,
  recipients: r.recipients, parameters: r.parameters, local_parameters: r.local_parameters, enabled: r.enabled, local: r.locality !== null,
  effective_from: r.effective_from.toISOString(), change_reason: r.change_reason,
});

/** A newer jurisdiction or default version than the authority's own, and what a change would start from. */
export const newerVersionView = z.object({
  version_id: z.string(),
  jurisdiction: z.string().nullable().describe('null: the default, for every jurisdiction'),
  effective_from: z.string(),
  adds: z.array(z.string()).describe('Parameters the newer version has and your authority’s own does not'),
  drops: z.array(z.string()).describe('Parameters your authority’s own has and the newer version no longer reads'),
  parameters: z.record(z.string(), z.unknown()).describe('What a change starts from: your authority’s values kept, the added ones at the newer version’s defaults'),
  local_parameters: z.array(z.string()),
});
export type NewerVersionView = z.infer<typeof newerVersionView>;
export const toNewerView = (n: NewerVersion, base: SignalRule): NewerVersionView => ({
  version_id: n.version.id, jurisdiction: n.version.jurisdiction, effective_from: n.version.effective_from.toISOString(),
  adds: n.adds, drops: n.drops, parameters: base.parameters, local_parameters: base.local_parameters,
});
/** A rule in a list: as it applies, and whether a newer version is there to adopt. */
export const ruleListItem = ruleView.extend({ newer_version: newerVersionView.nullable() });
export type RuleListItem = z.infer<typeof ruleListItem>;

export const trialHitView = z.object({
  rule_id: z.string(), child_name: z.string(), at: z.string(), kind: z.string(), agency: z.string().nullable(), reason: z.string(),
  first: z.boolean().describe('False when the alert for the same pattern would still be open and be added to'),
});
export const trialView = z.object({
  rule: ruleView.describe('The version tried: the one in force with the proposed change'),
  children_read: z.number(),
  hits: z.array(trialHitView),
  current_hits: z.number().describe('How many the version in force finds over the same histories'),
});
export type TrialView = z.infer<typeof trialView>;
export const toTrialHit = ({ pattern_key: _, ...h }: TrialHit) => h;
