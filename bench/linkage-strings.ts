/**
 * `npm run bench -- linkage-strings`: the one string function the matcher wrote itself, typo() (one
 * keystroke apart, in one pass), against the library it would otherwise use, talisman's
 * Damerau-Levenshtein distance = 1, on FEBRL 3's identifiers, postcodes and dates of birth: the same
 * answers (counted) and the CPU time per call (median of the rounds). No database. (A cheap bound in
 * front of talisman's Jaro-Winkler was tried the same way and dropped: no gain the noise let one see.)
 */
import fs from 'node:fs';
import path from 'node:path';
import talismanDamerau from 'talisman/metrics/damerau-levenshtein.js';
import { sharedLinkageData } from '../src/matching/cli-link.js';
import { typo } from '../src/matching/strings.js';
import { median, round } from './support.js';

export const needsDatabase = false;

const PAIRS = 200_000;

/** FEBRL 3's identifiers (soc_sec_id), and its postcodes and dates of birth: the fields typo() meets. */
function febrlValues(): string[] {
  const rows = fs.readFileSync(path.join(sharedLinkageData, 'febrl/dataset3.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(', '));
  return [...new Set(rows.flatMap((r) => [r[10], r[7], r[9]]).filter(Boolean))];
}

/** Pairs as the matcher meets them: mostly unrelated, some one keystroke apart. */
function pairsOf(values: string[], mutate: (s: string, i: number) => string): [string, string][] {
  return Array.from({ length: PAIRS }, (_, i) => {
    const a = values[(i * 7919) % values.length];
    return [a, i % 4 === 0 ? mutate(a, i) : values[(i * 104729 + 13) % values.length]];
  });
}
/** One character replaced, or (one time in two) two neighbours swapped; joined into a flat string, as parsed values are. */
const keystroke = (s: string, i: number) => {
  const chars = [...s];
  const at = i % Math.max(1, chars.length - 1);
  if (i % 8 === 0 && chars.length > 1) [chars[at], chars[at + 1]] = [chars[at + 1], chars[at]];
  else chars[at] = 'x';
  return chars.join('');
};

/**
 * CPU nanoseconds per call (process CPU time, not wall time: the machine is shared and a wall clock
 * mostly measures the other jobs), the two functions taking turns round by round; the median round.
 */
function nsPerCall(pairs: [string, string][], fs: Record<'own' | 'talisman', (a: string, b: string) => unknown>, rounds: number): { own_ns: number; talisman_ns: number } {
  const times = { own: [] as number[], talisman: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    for (const name of ['own', 'talisman'] as const) {
      const f = fs[name];
      const t = process.cpuUsage();
      for (const [a, b] of pairs) f(a, b);
      const used = process.cpuUsage(t);
      times[name].push(((used.user + used.system) * 1e3) / pairs.length);
    }
  }
  return { own_ns: round(median(times.own), 0), talisman_ns: round(median(times.talisman), 0) };
}

export async function run(_url: string, rounds: number) {
  const idPairs = pairsOf(febrlValues(), keystroke);
  const typoDiffers = idPairs.filter(([a, b]) => (a !== b && talismanDamerau(a, b) === 1) !== (typo(a, b) !== null)).length;
  return [
    { function: 'typo (one keystroke apart)', against: "talisman's Damerau-Levenshtein distance = 1", pairs: PAIRS, ...nsPerCall(idPairs, { own: typo, talisman: talismanDamerau }, rounds), answers_differ: typoDiffers },
  ];
}
