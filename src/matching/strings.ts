import talismanJaroWinkler from 'talisman/metrics/jaro-winkler.js';
import { doubleMetaphone } from 'double-metaphone';

/** Jaro-Winkler similarity, talisman's: the standard form (prefix of up to 4 characters boosting by 0.1 each, only above 0.7). */
export const jaroWinkler: (a: string, b: string) => number = talismanJaroWinkler;

/** Both Double Metaphone codes of a name ('' for a name with no sounds, e.g. digits). */
export function phoneticCodes(name: string): [string, string] {
  return name ? doubleMetaphone(name) : ['', ''];
}

/** Two names sound alike when any of their Double Metaphone codes agree. */
export function soundAlike(a: readonly [string, string], b: readonly [string, string]): boolean {
  if (!a[0] || !b[0]) return false;
  return a[0] === b[0] || a[0] === b[1] || a[1] === b[0] || (a[1] !== '' && a[1] === b[1]);
}

/** How two different strings differ, when it is by one keystroke. */
export type Typo = 'one_wrong' | 'transposed' | null;

/**
 * One character wrong (substituted, missing or extra) or two neighbours swapped; otherwise null.
 * Hand-written because it is one linear pass where a Damerau-Levenshtein library fills a matrix:
 * `npm run bench -- linkage-strings` measures it against talisman's.
 */
export function typo(a: string, b: string): Typo {
  const la = a.length;
  const lb = b.length;
  if (la === lb) return sameLengthTypo(a, b);
  if (la === lb + 1) return oneExtra(a, b) ? 'one_wrong' : null;
  if (lb === la + 1) return oneExtra(b, a) ? 'one_wrong' : null;
  return null;
}

function sameLengthTypo(a: string, b: string): Typo {
  let i = 0;
  const n = a.length;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return null; // equal: not a typo
  if (a.slice(i + 1) === b.slice(i + 1)) return 'one_wrong';
  const swapped = i + 1 < n && a.charCodeAt(i) === b.charCodeAt(i + 1) && a.charCodeAt(i + 1) === b.charCodeAt(i);
  return swapped && a.slice(i + 2) === b.slice(i + 2) ? 'transposed' : null;
}

/** `long` is `short` with one character inserted somewhere. */
function oneExtra(long: string, short: string): boolean {
  let i = 0;
  while (i < short.length && long.charCodeAt(i) === short.charCodeAt(i)) i++;
  return long.slice(i + 1) === short.slice(i);
}

/** Lower case, accents off, anything but letters, digits and spaces dropped, spaces collapsed. */
export function normaliseText(s: string | undefined): string {
  if (!s) return '';
  const ascii = /^[\x20-\x7e]*$/.test(s) ? s : s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return ascii
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A name as one token: case, accents, spaces, hyphens and apostrophes removed ("O'Neil-Smith" → "oneilsmith"). */
export const normaliseName = (s: string | undefined) => normaliseText(s).replace(/ /g, '');

/** An identifier: letters and digits only, upper case. */
export const normaliseIdentifier = (s: string | undefined) => (s ?? '').replace(/[^0-9A-Za-z]/g, '').toUpperCase();
