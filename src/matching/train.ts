import { expectationMaximisation, normalise, patternsOf, seededRandom, startingM, type LevelProbabilities } from './estimate.js';
import type { Features } from './features.js';
import type { Comparison } from './levels.js';
import type { ModelParams } from './model.js';

/** Pairs drawn at random to estimate u: a level seen once in 5,000 random pairs is measured to about ±30%. */
export const U_SAMPLE_PAIRS = 50_000;

export interface TrainingInput {
  records: readonly Features[];
  comparisons: readonly Comparison[];
  linking: boolean;
  /** The compared (blocked) pairs' levels: one row of `comparisons.length` bytes per pair. */
  levels: Uint8Array;
  seed?: number;
  uSamplePairs?: number;
}

export interface Training {
  params: ModelParams;
  /** Expected number of true pairs among the compared pairs, and how EM got there. */
  expectedMatches: number;
  iterations: number;
}

/** Every pair that could be compared: n(n-1)/2 within one file, |left|·|right| across two. */
export function possiblePairs(records: readonly Features[], linking: boolean): number {
  if (!linking) return (records.length * (records.length - 1)) / 2;
  const left = records.filter((f) => f.side === 0).length;
  return left * (records.length - left);
}

/** u for every level: the share of random pairs (a few are true pairs; too few to matter) at that level. */
export function randomPairU(input: TrainingInput): LevelProbabilities {
  const { records, comparisons, linking } = input;
  const random = seededRandom(input.seed ?? 1);
  const counts = comparisons.map((c) => c.levels.map(() => 0));
  const left = linking ? records.filter((f) => f.side === 0) : records;
  const right = linking ? records.filter((f) => f.side === 1) : records;
  const samples = Math.min(input.uSamplePairs ?? U_SAMPLE_PAIRS, Math.max(1, possiblePairs(records, linking)) * 4);
  if (left.length === 0 || right.length === 0 || (!linking && records.length < 2)) return normalise(counts);
  for (let s = 0; s < samples; s++) {
    const i = Math.floor(random() * left.length);
    let j = Math.floor(random() * (linking ? right.length : right.length - 1));
    if (!linking && j >= i) j++;
    const a = left[i];
    const b = right[j];
    for (let k = 0; k < comparisons.length; k++) counts[k][comparisons[k].level(a, b)]++;
  }
  return normalise(counts);
}

/** Estimates every parameter from the records alone: u from random pairs, then m and the prior by EM. */
export function train(input: TrainingInput): Training {
  const { comparisons, records, linking, levels } = input;
  const u = randomPairU(input);
  const compared = levels.length / Math.max(1, comparisons.length);
  const patterns = patternsOf(levels, comparisons.length);
  const fit = expectationMaximisation(patterns, { m: startingM(comparisons.map((c) => c.levels.length)), u, lambda: 0.1 });
  const expectedMatches = fit.lambda * compared;
  const prior = Math.min(0.5, Math.max(1e-12, expectedMatches / Math.max(1, possiblePairs(records, linking))));
  return {
    params: {
      prior,
      comparisons: comparisons.map((c, k) => ({
        role: c.role,
        levels: c.levels.slice(1).map((level, i) => ({ key: level.key, m: fit.m[k][i + 1], u: u[k][i + 1] })),
      })),
    },
    expectedMatches,
    iterations: fit.iterations,
  };
}
