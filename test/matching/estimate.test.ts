import { describe, expect, it } from 'vitest';
import { expectationMaximisation, normalise, patternsOf, seededRandom, startingM, type LevelProbabilities } from '../../src/matching/estimate.js';
import { features } from '../../src/matching/features.js';
import { givenName } from '../../src/matching/levels.js';
import { noNicknames } from '../../src/matching/nicknames.js';
import { randomPairU } from '../../src/matching/train.js';

// Three comparisons, each with "missing" (index 0, unused) and three levels, best first.
const trueM: LevelProbabilities = [
  [0, 0.85, 0.1, 0.05],
  [0, 0.7, 0.2, 0.1],
  [0, 0.9, 0.06, 0.04],
];
const trueU: LevelProbabilities = [
  [0, 0.01, 0.09, 0.9],
  [0, 0.05, 0.15, 0.8],
  [0, 0.002, 0.018, 0.98],
];
const LAMBDA = 0.2;

/** Pairs drawn from the two-class model itself; one value in twenty missing. */
function synthetic(pairs: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const draw = (probabilities: number[]) => {
    let r = random();
    for (let l = 1; l < probabilities.length; l++) if ((r -= probabilities[l]) < 0) return l;
    return probabilities.length - 1;
  };
  const levels = new Uint8Array(pairs * 3);
  for (let p = 0; p < pairs; p++) {
    const same = random() < LAMBDA;
    for (let k = 0; k < 3; k++) levels[p * 3 + k] = random() < 0.05 ? 0 : draw((same ? trueM : trueU)[k]);
  }
  return levels;
}

const close = (got: LevelProbabilities, want: LevelProbabilities, tolerance: number) =>
  want.forEach((row, k) => row.forEach((x, l) => l > 0 && expect(Math.abs(got[k][l] - x), `comparison ${k} level ${l}: ${got[k][l]} vs ${x}`).toBeLessThan(tolerance)));

describe('expectation maximisation', () => {
  it('recovers m, u and the share of true pairs from unlabelled synthetic pairs', () => {
    const patterns = patternsOf(synthetic(40_000, 7), 3);
    const flatU = [0, 1, 2].map(() => [0, 1 / 3, 1 / 3, 1 / 3]);
    const fit = expectationMaximisation(patterns, { m: startingM([4, 4, 4]), u: flatU, lambda: 0.5 });
    expect(Math.abs(fit.lambda - LAMBDA)).toBeLessThan(0.01);
    close(fit.m, trueM, 0.02);
    close(fit.u, trueU, 0.02);
    expect(fit.iterations).toBeLessThan(200);
  });

  it('keeps u as given when told to (u estimated from random pairs), and still finds m', () => {
    const fit = expectationMaximisation(patternsOf(synthetic(40_000, 11), 3), { m: startingM([4, 4, 4]), u: trueU, lambda: 0.1 }, { fixU: true });
    expect(fit.u).toEqual(trueU);
    close(fit.m, trueM, 0.02);
  });
});

describe('patterns', () => {
  it('groups identical comparison vectors and counts them', () => {
    const p = patternsOf(Uint8Array.from([1, 2, 1, 2, 3, 0, 1, 2]), 2);
    expect([...p.levels]).toEqual([1, 2, 3, 0]);
    expect([...p.counts]).toEqual([3, 1]);
  });

  it('turns counts into probabilities with half a pair added to each level, so none is zero', () => {
    expect(normalise([[99, 3, 0, 1]])).toEqual([[0, 3.5 / 5.5, 0.5 / 5.5, 1.5 / 5.5]]);
  });
});

describe('u from random pairs', () => {
  it('measures how often two records drawn at random agree', () => {
    // 60 Amelias and 40 Tobiases: two random records share a name with probability (60·59 + 40·39) / (100·99).
    const records = Array.from({ length: 100 }, (_, i) => features({ id: String(i), given_name: i < 60 ? 'Amelia' : 'Tobias' }, noNicknames));
    const u = randomPairU({ records, comparisons: [givenName], linking: false, levels: new Uint8Array(), uSamplePairs: 50_000, seed: 3 });
    expect(u[0][1]).toBeCloseTo((60 * 59 + 40 * 39) / (100 * 99), 2);
    expect(u[0][givenName.levels.findIndex((l) => l.key === 'different')]).toBeCloseTo(1 - (60 * 59 + 40 * 39) / (100 * 99), 2);
  });

  it('draws the same pairs for the same seed: the same file gives the same model', () => {
    const records = Array.from({ length: 30 }, (_, i) => features({ id: String(i), given_name: `name${i % 7}` }, noNicknames));
    const input = { records, comparisons: [givenName], linking: false, levels: new Uint8Array(), uSamplePairs: 2_000 };
    expect(randomPairU({ ...input, seed: 5 })).toEqual(randomPairU({ ...input, seed: 5 }));
    expect(randomPairU({ ...input, seed: 5 })).not.toEqual(randomPairU({ ...input, seed: 6 }));
  });
});
