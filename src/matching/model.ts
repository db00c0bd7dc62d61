import { z } from 'zod';
import type { Features } from './features.js';
import { dateOfBirth, givenName, identifier, nhsNumber, surname, type Comparison } from './levels.js';
import { address, email, postcode, sex, town } from './levels-place.js';
import { comparedRoles, type ComparedRole } from './schemas.js';

/** Every comparison the matcher knows, in the order explanations list them. */
export const allComparisons: readonly Comparison[] = [givenName, surname, dateOfBirth, nhsNumber, identifier, email, address, town, postcode, sex];

/**
 * Fellegi-Sunter parameters, estimated or configured: for each comparison and level, m = P(level | same
 * person) and u = P(level | different people); the prior is P(same person) for two records drawn at random.
 */
export const modelParams = z.object({
  prior: z.number().gt(0).lt(1),
  comparisons: z.array(
    z.object({
      role: z.enum(comparedRoles),
      levels: z.array(z.object({ key: z.string(), m: z.number().gt(0).lte(1), u: z.number().gt(0).lte(1) })),
    }),
  ),
});
export type ModelParams = z.infer<typeof modelParams>;

/** Parameters ready to score with: per comparison and level, log2(m/u) (0 for "missing"). */
export interface Model {
  params: ModelParams;
  comparisons: Comparison[];
  /** log2(prior / (1 - prior)). */
  priorWeight: number;
  weights: Float64Array[];
  /** For comparisons adjusted by frequency: each value's share of records that have the field. */
  frequencies: (Map<string, number> | null)[];
}

export const comparisonFor = (role: ComparedRole): Comparison => allComparisons.find((c) => c.role === role)!;
export const log2Odds = (p: number) => Math.log2(p / (1 - p));
export const probability = (weight: number) => 1 / (1 + 2 ** -weight);

/** Builds a model from parameters; the frequency tables come from the records being linked. */
export function buildModel(params: ModelParams, records: readonly Features[]): Model {
  const comparisons = params.comparisons.map((p) => {
    const c = comparisonFor(p.role);
    const keys = c.levels.slice(1).map((l) => l.key);
    if (p.levels.length !== keys.length || p.levels.some((l, i) => l.key !== keys[i])) {
      throw new Error(`The parameters for ${p.role} must give m and u for the levels ${keys.join(', ')}, in that order`);
    }
    return c;
  });
  const weights = params.comparisons.map((p) => Float64Array.from([0, ...p.levels.map((l) => Math.log2(l.m / l.u))]));
  return { params, comparisons, priorWeight: log2Odds(params.prior), weights, frequencies: comparisons.map((c) => frequencyTable(c, records)) };
}

function frequencyTable(c: Comparison, records: readonly Features[]): Map<string, number> | null {
  if (!c.frequency) return null;
  const counts = new Map<string, number>();
  let present = 0;
  for (const f of records) {
    const v = c.frequency.value(f);
    if (!v) continue;
    present++;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  for (const [v, n] of counts) counts.set(v, n / present);
  return counts;
}

/**
 * How much more (or less) an exact agreement counts because the shared value is rare (or common):
 * log2(u / share of the value), u being the chance that two random records agree on any value.
 */
export function frequencyAdjustment(model: Model, k: number, level: number, a: Features): number {
  const c = model.comparisons[k];
  const table = model.frequencies[k];
  if (!table || !c.frequency || level !== c.frequency.level) return 0;
  const share = table.get(c.frequency.value(a));
  if (!share) return 0;
  return Math.log2(model.params.comparisons[k].levels[level - 1].u / share);
}

/** The match weight of a pair whose comparison levels are known (the hot path: no allocation). */
export function pairWeight(model: Model, levels: ArrayLike<number>, a: Features): number {
  let w = model.priorWeight;
  for (let k = 0; k < model.weights.length; k++) {
    const l = levels[k];
    if (l === 0) continue;
    w += model.weights[k][l];
    if (model.frequencies[k]) w += frequencyAdjustment(model, k, l, a);
  }
  return w;
}
