import { selectSignalRule, type RulePlace, type SignalRule } from './rules.js';

/** A jurisdiction's or the default version that an authority's own version has fallen behind, and how they differ. */
export interface NewerVersion {
  version: SignalRule;
  /** Parameters the newer version has and the authority's own does not (R8's baby check, migration 0026). */
  adds: string[];
  /** Parameters the authority's own has and the newer version no longer reads. */
  drops: string[];
}

/**
 * The version that would apply without the authority's own `own` (the jurisdiction's, else the default),
 * when `own` is behind it: it came into force after `own`, or it has parameters `own` lacks (an own version
 * saved from an older one after the newer came in). Only says so: `own` stays in force until an
 * administrator saves a new version.
 */
export function newerThanOwn(rows: SignalRule[], own: SignalRule, place: RulePlace, now: Date): NewerVersion | undefined {
  if (own.locality === null) return undefined;
  const fallback = selectSignalRule(rows.filter((r) => r.locality === null), own.rule_id, place, now);
  if (!fallback) return undefined;
  const adds = Object.keys(fallback.parameters).filter((k) => !(k in own.parameters));
  const drops = Object.keys(own.parameters).filter((k) => !(k in fallback.parameters));
  return fallback.effective_from > own.effective_from || adds.length ? { version: fallback, adds, drops } : undefined;
}

/**
 * What an administrator's change starts from: with no newer version, the authority's own; else the newer
 * version's definition (name, description, source, recipients, which parameters a locality may set) with
 * the authority's choices kept (its parameter values, severity, on or off) and the parameters it adds at
 * the newer version's defaults. Parameters the newer version dropped are dropped: its evaluator refuses them.
 */
export function catchUp(own: SignalRule, newer: NewerVersion | undefined): SignalRule {
  if (!newer) return own;
  const kept = Object.fromEntries(Object.entries(own.parameters).filter(([k]) => k in newer.version.parameters));
  return {
    ...newer.version, parameters: { ...newer.version.parameters, ...kept }, severity: own.severity, enabled: own.enabled,
    locality: own.locality, jurisdiction: own.jurisdiction,
  };
}
