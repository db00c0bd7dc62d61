import type { Features } from './features.js';

/**
 * A blocking rule gives a record a key; only records sharing a key under some rule are compared.
 * A true pair survives blocking when any one rule keeps it, so the rules are chosen to fail on
 * different typos: identifiers, the date of birth, how the names sound, the postcode, a name with the
 * year of birth (for a day or month mistyped as well as a name), the name part of an email address.
 */
export interface BlockingRule {
  name: string;
  key(f: Features): string | null;
}

const initial = (s: string) => s.slice(0, 1);
const both = (x: string, y: string) => (x && y ? `${x}|${y}` : null);
const year = (f: Features) => f.dob.slice(0, 4);

/** The rules written before any data was looked at. */
export const baseRules: readonly BlockingRule[] = [
  { name: 'nhs_number', key: (f) => f.nhs || null },
  { name: 'identifier', key: (f) => f.identifier || null },
  { name: 'email', key: (f) => f.email || null },
  { name: 'date_of_birth', key: (f) => f.dob || null },
  // How the two names sound, in either order, so that swapped names still meet.
  { name: 'names_sound', key: (f) => (f.givenCodes[0] && f.surnameCodes[0] ? [f.givenCodes[0], f.surnameCodes[0]].sort().join('|') : null) },
  { name: 'surname_initial', key: (f) => both(f.surname, initial(f.given)) },
  { name: 'given_initial', key: (f) => both(f.given, initial(f.surname)) },
  { name: 'postcode_initial', key: (f) => both(f.postcode, initial(f.surname) || initial(f.given)) },
];

/**
 * Further rules, each for a kind of record the base rules miss (a name missing or mistyped as well as
 * the date). Which of them are used is decided without labels (blocking-audit.ts `chooseRules`).
 */
export const candidateRules: readonly BlockingRule[] = [
  { name: 'email_name', key: (f) => (f.emailUser.length >= 3 ? f.emailUser : null) },
  { name: 'email_domain', key: (f) => (f.emailDomain.length >= 4 ? f.emailDomain : null) },
  { name: 'surname_year', key: (f) => both(f.surname, year(f)) },
  { name: 'given_year', key: (f) => both(f.given, year(f)) },
  { name: 'surname_sound_year', key: (f) => both(f.surnameCodes[0], year(f)) },
  { name: 'given_sound_year', key: (f) => both(f.givenCodes[0], year(f)) },
  { name: 'town_year', key: (f) => both(f.town, year(f)) },
  { name: 'postcode_year', key: (f) => both(f.postcode, year(f)) },
  // Day and month in either order: a transposed date meets its original.
  { name: 'date_either_way', key: (f) => (f.dob.length === 8 ? `${year(f)}|${[f.dob.slice(4, 6), f.dob.slice(6, 8)].sort().join('')}` : null) },
  { name: 'year_month', key: (f) => (f.dob.length === 8 ? f.dob.slice(0, 6) : null) },
];

const byName = (names: readonly string[]) => names.map((n) => candidateRules.find((r) => r.name === n)!);

/** The candidate rules `npm run bench -- linkage-blocking` chose (docs/BENCHMARKS.md). */
export const chosenRules: readonly string[] = ['email_name', 'town_year', 'email_domain', 'given_sound_year', 'surname_sound_year'];

export const blockingRules: readonly BlockingRule[] = [...baseRules, ...byName(chosenRules)];

/** A key shared by more records than this (a placeholder date, a default postcode) is skipped: it would compare nearly everything. */
export const MAX_BLOCK = 2_000;

export interface Candidates {
  /** Record indices of each candidate pair (left < right; across files when linking two). */
  left: Int32Array;
  right: Int32Array;
  /** Keys skipped for being shared by more than MAX_BLOCK records. */
  oversizedKeys: number;
}

/** Every pair of records that share a key under some rule, each pair once. */
export function candidatePairs(records: readonly Features[], rules: readonly BlockingRule[] = blockingRules, linking = false): Candidates {
  const keysOf: number[][] = records.map(() => []);
  const blocks: number[][] = [];
  let oversizedKeys = 0;
  for (const rule of rules) {
    const byKey = new Map<string, number[]>();
    records.forEach((f, i) => {
      const key = rule.key(f);
      if (key === null) return;
      const block = byKey.get(key);
      if (block) block.push(i);
      else byKey.set(key, [i]);
    });
    for (const block of byKey.values()) {
      if (block.length < 2) continue;
      if (block.length > MAX_BLOCK) {
        oversizedKeys++;
        continue;
      }
      for (const i of block) keysOf[i].push(blocks.length);
      blocks.push(block);
    }
  }
  return pairsFromBlocks(records, keysOf, blocks, linking, oversizedKeys);
}

function pairsFromBlocks(records: readonly Features[], keysOf: number[][], blocks: number[][], linking: boolean, oversizedKeys: number): Candidates {
  // seen[j] === i marks j as already paired with i: no set of pairs is needed.
  const seen = new Int32Array(records.length).fill(-1);
  const left: number[] = [];
  const right: number[] = [];
  for (let i = 0; i < records.length; i++) {
    for (const b of keysOf[i]) {
      for (const j of blocks[b]) {
        if (j <= i || seen[j] === i) continue;
        if (linking && records[i].side === records[j].side) continue;
        seen[j] = i;
        left.push(i);
        right.push(j);
      }
    }
  }
  return { left: Int32Array.from(left), right: Int32Array.from(right), oversizedKeys };
}
