import { blockingRules, candidatePairs, type BlockingRule } from './blocking.js';
import { linkThroughOthers, type Edge } from './cluster.js';
import { features, type Features } from './features.js';
import type { Comparison } from './levels.js';
import { allComparisons, buildModel, comparisonFor, pairWeight, probability, type Model, type ModelParams } from './model.js';
import { noNicknames, type Nicknames } from './nicknames.js';
import type { PersonRecord } from './schemas.js';
import { possiblePairs, train } from './train.js';

/**
 * The thresholds, fixed before any labelled data was looked at. A pair at or above MATCH_THRESHOLD is
 * more likely the same person than not, and is written out as a link; at or above CERTAIN_THRESHOLD it
 * may be linked without a person looking (the review queue takes the pairs in between).
 */
export const MATCH_THRESHOLD = 0.5;
export const CERTAIN_THRESHOLD = 0.99;

export type Phase = 'preparing' | 'blocking' | 'comparing' | 'estimating' | 'scoring';

export interface LinkOptions {
  nicknames?: Nicknames;
  /** Configured parameters; without them every parameter is estimated from the records. */
  params?: ModelParams;
  threshold?: number;
  /** Report every pair that a chain of links joins (default), not only the pairs linked directly. */
  transitive?: boolean;
  seed?: number;
  uSamplePairs?: number;
  /** The blocking rules (default: all of blockingRules); other sets are for auditing blocking. */
  rules?: readonly BlockingRule[];
  onProgress?: (phase: Phase, done: number, total: number) => void;
}

export interface LinkedPair {
  left: string;
  right: string;
  /** For a pair linked through others, the weakest link of the strongest chain joining them. */
  probability: number;
  /** Compared and linked directly (false: linked only through other records). */
  direct: boolean;
}

export interface LinkResult {
  pairs: LinkedPair[];
  model: Model;
  stats: {
    records: number;
    possiblePairs: number;
    comparedPairs: number;
    oversizedBlocks: number;
    /** From EM: how many of the compared pairs it judged the same person (null with configured parameters). */
    expectedMatches: number | null;
    emIterations: number | null;
    /** Pairs linked directly (compared, at or above the threshold); the rest of `pairs` are linked through others. */
    direct: number;
    linked: number;
    certain: number;
  };
}

/** The comparisons worth making: roles present on both sides (in either file's records when deduplicating). */
export function comparisonsFor(records: readonly Features[], linking: boolean): Comparison[] {
  const has = (c: Comparison, side: 0 | 1) => records.some((f) => (!linking || f.side === side) && c.present(f));
  return allComparisons.filter((c) => has(c, 0) && (!linking || has(c, 1)));
}

/** Deduplicates one file (one list) or links two (pairs across them only): the engine behind `sightline link`. */
export function linkRecords(files: readonly (readonly PersonRecord[])[], options: LinkOptions = {}): LinkResult {
  if (files.length < 1 || files.length > 2) throw new Error('Link one file (deduplicate) or two (link)');
  const progress = options.onProgress ?? (() => undefined);
  const linking = files.length === 2;
  const nicknames = options.nicknames ?? noNicknames;
  progress('preparing', 0, 1);
  const records = files.flatMap((file, side) => file.map((r) => features(r, nicknames, side as 0 | 1)));
  progress('blocking', 0, 1);
  const candidates = candidatePairs(records, options.rules ?? blockingRules, linking);
  const comparisons = options.params ? options.params.comparisons.map((p) => comparisonFor(p.role)) : comparisonsFor(records, linking);
  const levels = compareCandidates(records, comparisons, candidates.left, candidates.right, progress);
  let training: ReturnType<typeof train> | null = null;
  if (!options.params) {
    progress('estimating', 0, 1);
    training = train({ records, comparisons, linking, levels, seed: options.seed, uSamplePairs: options.uSamplePairs });
  }
  const model = buildModel(options.params ?? training!.params, records);
  const edges = score(model, records, candidates, levels, options.threshold ?? MATCH_THRESHOLD, progress);
  const pairs = linkedPairs(records, edges, options.transitive ?? true, linking);
  return {
    pairs,
    model,
    stats: {
      records: records.length,
      possiblePairs: possiblePairs(records, linking),
      comparedPairs: candidates.left.length,
      oversizedBlocks: candidates.oversizedKeys,
      expectedMatches: training ? training.expectedMatches : null,
      emIterations: training ? training.iterations : null,
      direct: edges.length,
      linked: pairs.length,
      certain: pairs.filter((p) => p.probability >= CERTAIN_THRESHOLD).length,
    },
  };
}

const REPORT_EVERY = 20_000;

function compareCandidates(records: readonly Features[], comparisons: readonly Comparison[], left: Int32Array, right: Int32Array, progress: NonNullable<LinkOptions['onProgress']>): Uint8Array {
  const K = comparisons.length;
  const levels = new Uint8Array(left.length * K);
  for (let c = 0; c < left.length; c++) {
    const a = records[left[c]];
    const b = records[right[c]];
    for (let k = 0; k < K; k++) levels[c * K + k] = comparisons[k].level(a, b);
    if (c % REPORT_EVERY === 0) progress('comparing', c, left.length);
  }
  progress('comparing', left.length, left.length);
  return levels;
}

function score(model: Model, records: readonly Features[], candidates: { left: Int32Array; right: Int32Array }, levels: Uint8Array, threshold: number, progress: NonNullable<LinkOptions['onProgress']>): Edge[] {
  const K = model.comparisons.length;
  const edges: Edge[] = [];
  for (let c = 0; c < candidates.left.length; c++) {
    const p = probability(pairWeight(model, levels.subarray(c * K, c * K + K), records[candidates.left[c]]));
    if (p >= threshold) edges.push({ left: candidates.left[c], right: candidates.right[c], probability: p });
    if (c % REPORT_EVERY === 0) progress('scoring', c, candidates.left.length);
  }
  progress('scoring', candidates.left.length, candidates.left.length);
  return edges;
}

/** The pairs to report: the direct links, or (transitively) every pair a chain of links joins. */
function linkedPairs(records: readonly Features[], edges: Edge[], transitive: boolean, linking: boolean): LinkedPair[] {
  const direct = new Set(edges.map((e) => e.left * records.length + e.right));
  const pairs = transitive ? linkThroughOthers(records.length, edges, linking ? { side: (i) => records[i].side } : {}) : edges;
  return pairs
    .sort((x, y) => x.left - y.left || x.right - y.right)
    .map((e) => ({ left: records[e.left].id, right: records[e.right].id, probability: e.probability, direct: direct.has(e.left * records.length + e.right) }));
}
