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

export const blockingRules: readonly BlockingRule[] = [
  { name: 'nhs_number', key: (f) => f.nhs || null },
  { name: 'identifier', key: (f) => f.identifier || null },
  { name: 'email', key: (f) => f.email || null },
  { name: 'date_of_birth', key: (f) => f.dob || null },
  // How the two names sound, in either order, so that swapped names still meet.
  { name: 'names_sound', key: (f) => (f.givenCodes[0] && f.surnameCodes[0] ? [f.givenCodes[0], f.surnameCodes[0]].sort().join('|') : null) },
  { name: 'surname_initial', key: (f) => both(f.surname, initial(f.given)) },
  { name: 'given_initial', key: (f) => both(f.given, initial(f.surname)) },
  { name: 'postcode_initial', key: (f) => both(f.postcode, initial(f.surname) || initial(f.given)) },
  { name: 'email_name', key: (f) => (f.emailUser.length >= 3 ? f.emailUser : null) },
  { name: 'surname_year', key: (f) => both(f.surname, f.dob.slice(0, 4)) },
  { name: 'given_year', key: (f) => both(f.given, f.dob.slice(0, 4)) },
];

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
