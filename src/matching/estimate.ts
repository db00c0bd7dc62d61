/**
 * Parameter estimation without labels. u: the share of each level among pairs drawn at random (nearly
 * all different people). m and the share of true pairs: expectation maximisation over the compared
 * pairs, treated as a mixture of two kinds of pair whose fields are independent within each kind.
 */

/** Distinct comparison vectors and how many pairs had each: EM works on these, not on every pair. */
export interface Patterns {
  /** Row p, column k: the level of comparison k (0 = missing) in pattern p. */
  levels: Uint8Array;
  counts: Float64Array;
  comparisons: number;
}

/** Groups a table of levels (one row of `comparisons` bytes per pair) into patterns. */
export function patternsOf(levels: Uint8Array, comparisons: number): Patterns {
  const index = new Map<string, number>();
  const rows: number[] = [];
  const counts: number[] = [];
  for (let start = 0; start < levels.length; start += comparisons) {
    const key = String.fromCharCode(...levels.subarray(start, start + comparisons));
    const p = index.get(key);
    if (p !== undefined) counts[p]++;
    else {
      index.set(key, counts.length);
      counts.push(1);
      rows.push(start);
    }
  }
  const out = new Uint8Array(rows.length * comparisons);
  rows.forEach((start, p) => out.set(levels.subarray(start, start + comparisons), p * comparisons));
  return { levels: out, counts: Float64Array.from(counts), comparisons };
}

/** Probabilities per comparison and level (index 0, "missing", unused). */
export type LevelProbabilities = number[][];

/** Half a pair added to every level: no level is ever impossible, so no weight is infinite. */
const PSEUDO_COUNT = 0.5;

/** Turns counts per level into probabilities, ignoring level 0 (missing). */
export function normalise(counts: number[][]): LevelProbabilities {
  return counts.map((row) => {
    const total = row.slice(1).reduce((s, n) => s + n + PSEUDO_COUNT, 0);
    return row.map((n, l) => (l === 0 ? 0 : (n + PSEUDO_COUNT) / total));
  });
}

export interface EmResult {
  m: LevelProbabilities;
  u: LevelProbabilities;
  /** The share of the patterns' pairs that are the same person. */
  lambda: number;
  iterations: number;
}

export interface EmOptions {
  maxIterations?: number;
  /** Stop when no m, u or lambda moves by more than this. */
  tolerance?: number;
  /** Keep u as given (estimated elsewhere) instead of re-estimating it. */
  fixU?: boolean;
}

/** Expectation maximisation of the two-class mixture over `patterns`, from a starting guess. */
export function expectationMaximisation(patterns: Patterns, start: { m: LevelProbabilities; u: LevelProbabilities; lambda: number }, options: EmOptions = {}): EmResult {
  const { maxIterations = 200, tolerance = 1e-6, fixU = false } = options;
  const K = patterns.comparisons;
  const P = patterns.counts.length;
  let { m, u, lambda } = start;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const mCounts = m.map((row) => row.map(() => 0));
    const uCounts = u.map((row) => row.map(() => 0));
    let matches = 0;
    let total = 0;
    for (let p = 0; p < P; p++) {
      let pm = lambda;
      let pu = 1 - lambda;
      for (let k = 0; k < K; k++) {
        const l = patterns.levels[p * K + k];
        if (l === 0) continue;
        pm *= m[k][l];
        pu *= u[k][l];
      }
      const n = patterns.counts[p];
      const w = (pm / (pm + pu)) * n;
      matches += w;
      total += n;
      for (let k = 0; k < K; k++) {
        const l = patterns.levels[p * K + k];
        mCounts[k][l] += w;
        uCounts[k][l] += n - w;
      }
    }
    const next = { m: normalise(mCounts), u: fixU ? u : normalise(uCounts), lambda: matches / total };
    const moved = Math.max(Math.abs(next.lambda - lambda), largestChange(m, next.m), largestChange(u, next.u));
    ({ m, u, lambda } = next);
    if (moved < tolerance) return { m, u, lambda, iterations: iteration };
  }
  return { m, u, lambda, iterations: maxIterations };
}

function largestChange(a: LevelProbabilities, b: LevelProbabilities): number {
  let d = 0;
  a.forEach((row, k) => row.forEach((x, l) => (d = Math.max(d, Math.abs(x - b[k][l])))));
  return d;
}

/** A starting m: the best level likely, each worse level half as likely as the one before (EM moves it from here). */
export function startingM(levelCounts: number[]): LevelProbabilities {
  return levelCounts.map((n) => {
    const raw = Array.from({ length: n }, (_, l) => (l === 0 ? 0 : 2 ** (n - 1 - l) * (l === 1 ? 8 : 1)));
    const total = raw.reduce((s, x) => s + x, 0);
    return raw.map((x) => x / total);
  });
}

/** A small deterministic random number generator (mulberry32): the same file gives the same model. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
