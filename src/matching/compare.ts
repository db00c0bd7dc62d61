import type { Features } from './features.js';
import { frequencyAdjustment, probability, type Model } from './model.js';
import type { ComparedRole } from './schemas.js';

/** One field's part in a match score. */
export interface FieldContribution {
  role: ComparedRole;
  level: string;
  label: string;
  /** P(this level | same person) and P(this level | different people); null when the field is missing. */
  m: number | null;
  u: number | null;
  /** log2(m/u) plus the frequency adjustment: what this field adds to the match weight. */
  weight: number;
  /** The part of `weight` due to how rare or common the shared value is. */
  frequency_adjustment: number;
}

/** A match score as the sum of its parts: prior weight + each field's weight = match weight. */
export interface Explanation {
  prior_weight: number;
  fields: FieldContribution[];
  match_weight: number;
  match_probability: number;
}

/** Each comparison's level for a pair, written into `out` (one byte per comparison). */
export function levelsOf(model: Model, a: Features, b: Features, out = new Uint8Array(model.comparisons.length)): Uint8Array {
  for (let k = 0; k < model.comparisons.length; k++) out[k] = model.comparisons[k].level(a, b);
  return out;
}

/** Compares two records and says why: which fields agreed, which did not, and how much each counted. */
export function explain(model: Model, a: Features, b: Features): Explanation {
  const levels = levelsOf(model, a, b);
  const fields = model.comparisons.map((c, k): FieldContribution => {
    const l = levels[k];
    const level = c.levels[l];
    if (l === 0) return { role: c.role, level: level.key, label: level.label, m: null, u: null, weight: 0, frequency_adjustment: 0 };
    const p = model.params.comparisons[k].levels[l - 1];
    const adjustment = frequencyAdjustment(model, k, l, a);
    return { role: c.role, level: level.key, label: level.label, m: p.m, u: p.u, weight: model.weights[k][l] + adjustment, frequency_adjustment: adjustment };
  });
  const match_weight = fields.reduce((w, f) => w + f.weight, model.priorWeight);
  return { prior_weight: model.priorWeight, fields, match_weight, match_probability: probability(match_weight) };
}
