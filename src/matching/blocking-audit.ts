import { MAX_BLOCK, type BlockingRule } from './blocking.js';
import type { Features } from './features.js';
import { pairWeight, probability, type Model } from './model.js';

/**
 * How much blocking loses, judged without labels: every pair of a file is scored with the model the
 * linker estimated, and the pairs it finds likely matches are checked against the blocking rules. A
 * candidate rule earns its place by keeping likely matches the others lose (`chooseRules`). This is
 * how the blocking rules were chosen (`npm run bench -- linkage-blocking`, docs/BENCHMARKS.md).
 */
export interface AuditedFile {
  name: string;
  records: readonly Features[];
  /** Likely matches (record indices, two per pair) from `likelyMatches`. */
  likely: Int32Array;
}

/** Every pair scored (n(n-1)/2: meant for files of a few thousand); those at or above the threshold. */
export function likelyMatches(records: readonly Features[], model: Model, threshold: number): Int32Array {
  const K = model.comparisons.length;
  const levels = new Uint8Array(K);
  const out: number[] = [];
  for (let i = 0; i < records.length; i++) {
    const a = records[i];
    for (let j = i + 1; j < records.length; j++) {
      const b = records[j];
      for (let k = 0; k < K; k++) levels[k] = model.comparisons[k].level(a, b);
      if (probability(pairWeight(model, levels, a)) >= threshold) out.push(i, j);
    }
  }
  return Int32Array.from(out);
}

/** Each record's key under a rule, or null when it has none or shares it with more than MAX_BLOCK records (blocking skips those). */
export function usableKeys(records: readonly Features[], rule: BlockingRule): (string | null)[] {
  const keys = records.map((f) => rule.key(f));
  const counts = new Map<string, number>();
  for (const k of keys) if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
  return keys.map((k) => (k !== null && counts.get(k)! <= MAX_BLOCK ? k : null));
}

/** Which likely matches (by pair number) a rule keeps. */
function keptBy(file: AuditedFile, rule: BlockingRule): Uint8Array {
  const keys = usableKeys(file.records, rule);
  const kept = new Uint8Array(file.likely.length / 2);
  for (let p = 0; p < kept.length; p++) {
    const k = keys[file.likely[2 * p]];
    kept[p] = k !== null && k === keys[file.likely[2 * p + 1]] ? 1 : 0;
  }
  return kept;
}

export interface RuleStep {
  rule: string;
  /** Per file: likely matches this rule keeps that the rules before it lost, and their share of the file's likely matches. */
  recovered: { file: string; pairs: number; share: number }[];
}

export interface RuleChoice {
  chosen: string[];
  /** The candidates in the order they were considered, the last one (if any) rejected. */
  steps: RuleStep[];
  /** Per file: likely matches, how many the chosen rules keep, and how many each base rule alone keeps. */
  files: { file: string; likely: number; kept: number; onlyBy: Record<string, number> }[];
}

/**
 * Greedy: start from the base rules; add the candidate that keeps the largest share of some file's
 * likely matches that the rules so far lose; stop when the best candidate recovers less than
 * `minShare` of every file's likely matches.
 */
export function chooseRules(files: readonly AuditedFile[], base: readonly BlockingRule[], candidates: readonly BlockingRule[], minShare: number): RuleChoice {
  const keeps = (rules: readonly BlockingRule[]) => new Map(rules.map((r) => [r.name, files.map((f) => keptBy(f, r))]));
  const baseKeeps = keeps(base);
  const candKeeps = keeps(candidates);
  const kept = files.map((f, i) => {
    const k = new Uint8Array(f.likely.length / 2);
    for (const masks of baseKeeps.values()) masks[i].forEach((v, p) => (k[p] |= v));
    return k;
  });
  const chosen: string[] = [];
  const steps: RuleStep[] = [];
  const remaining = new Set(candidates.map((r) => r.name));
  while (remaining.size) {
    let best: RuleStep | null = null;
    let bestShare = -1;
    for (const name of remaining) {
      const recovered = files.map((f, i) => {
        let pairs = 0;
        candKeeps.get(name)![i].forEach((v, p) => (pairs += v & (kept[i][p] ^ 1)));
        return { file: f.name, pairs, share: pairs / Math.max(1, f.likely.length / 2) };
      });
      const share = Math.max(...recovered.map((r) => r.share));
      if (share > bestShare) [best, bestShare] = [{ rule: name, recovered }, share];
    }
    steps.push(best!);
    if (bestShare < minShare) break;
    chosen.push(best!.rule);
    remaining.delete(best!.rule);
    candKeeps.get(best!.rule)!.forEach((mask, i) => mask.forEach((v, p) => (kept[i][p] |= v)));
  }
  return { chosen, steps, files: files.map((f, i) => summary(f, kept[i], [...baseKeeps, ...[...candKeeps].filter(([n]) => chosen.includes(n))], i)) };
}

function summary(f: AuditedFile, kept: Uint8Array, masks: [string, Uint8Array[]][], i: number): RuleChoice['files'][number] {
  const onlyBy: Record<string, number> = {};
  for (const [name] of masks) onlyBy[name] = 0;
  for (let p = 0; p < kept.length; p++) {
    const by = masks.filter(([, m]) => m[i][p]);
    if (by.length === 1) onlyBy[by[0][0]]++;
  }
  return { file: f.name, likely: f.likely.length / 2, kept: kept.reduce((s, v) => s + v, 0), onlyBy };
}
