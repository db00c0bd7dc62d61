import type { Features } from './features.js';
import { JW_NEAR, MISSING, type Comparison, type Level } from './levels.js';
import { jaroWinkler, typo } from './strings.js';

const lv = (key: string, label: string): Level => ({ key, label });

/**
 * How many of `xs` find a partner in `ys`: the same word first, then (if `fuzzy`, words of four letters
 * or more) one spelt nearly the same. Bit masks mark partners taken; an address has under 31 words.
 */
function partners(xs: readonly string[], ys: readonly string[], fuzzy: boolean): number {
  let taken = 0;
  let unmatched = 0;
  let agree = 0;
  for (let i = 0; i < xs.length && i < 31; i++) {
    const j = ys.indexOf(xs[i]);
    if (j >= 0 && j < 31 && !(taken & (1 << j))) {
      taken |= 1 << j;
      agree++;
    } else unmatched |= 1 << i;
  }
  if (!fuzzy) return agree;
  for (let i = 0; unmatched >> i; i++) {
    if (!(unmatched & (1 << i)) || xs[i].length < 4) continue;
    for (let j = 0; j < ys.length && j < 31; j++) {
      if (taken & (1 << j) || ys[j].length < 4 || jaroWinkler(xs[i], ys[j]) < JW_NEAR) continue;
      taken |= 1 << j;
      agree++;
      break;
    }
  }
  return agree;
}

/** The share of address words that agree, over the longer address; numbers must agree exactly. */
export function addressAgreement(a: Features, b: Features): number {
  const agree = partners(a.addressNumbers, b.addressNumbers, false) + partners(a.addressWords, b.addressWords, true);
  return agree / Math.max(a.addressNumbers.length + a.addressWords.length, b.addressNumbers.length + b.addressWords.length);
}

export const address: Comparison = {
  role: 'address',
  levels: [MISSING, lv('exact', 'the same'), lv('most_words', 'three quarters of the words agree'), lv('half_words', 'half the words agree'), lv('some_words', 'some words agree'), lv('different', 'different')],
  present: (f) => f.address !== '',
  level(a, b) {
    if (!a.address || !b.address) return 0;
    if (a.addressJoined === b.addressJoined) return 1;
    const share = addressAgreement(a, b);
    return share >= 0.75 ? 2 : share >= 0.5 ? 3 : share > 0 ? 4 : 5;
  },
};

export const town: Comparison = {
  role: 'town',
  levels: [MISSING, lv('exact', 'the same'), lv('jw_near', `spelt similarly (Jaro-Winkler ≥ ${JW_NEAR})`), lv('different', 'different')],
  present: (f) => f.town !== '',
  level(a, b) {
    if (!a.town || !b.town) return 0;
    if (a.town === b.town) return 1;
    return jaroWinkler(a.town, b.town) >= JW_NEAR ? 2 : 3;
  },
  frequency: { level: 1, value: (f) => f.town },
};

export const postcode: Comparison = {
  role: 'postcode',
  levels: [MISSING, lv('exact', 'the same'), lv('one_typo', 'one character wrong, or two neighbours swapped'), lv('same_district', 'the same outward code (district)'), lv('different', 'different')],
  present: (f) => f.postcode !== '',
  level(a, b) {
    if (!a.postcode || !b.postcode) return 0;
    if (a.postcode === b.postcode) return 1;
    if (typo(a.postcode, b.postcode)) return 2;
    return a.outward && a.outward === b.outward ? 3 : 4;
  },
  frequency: { level: 1, value: (f) => f.postcode },
};

export const email: Comparison = {
  role: 'email',
  levels: [MISSING, lv('exact', 'the same'), lv('one_typo', 'one character wrong, or two neighbours swapped'), lv('similar', `name and domain spelt similarly (Jaro-Winkler ≥ ${JW_NEAR})`), lv('different', 'different')],
  present: (f) => f.email !== '',
  level(a, b) {
    if (!a.email || !b.email) return 0;
    if (a.email === b.email) return 1;
    if (typo(a.email, b.email)) return 2;
    const similar = jaroWinkler(a.emailUser, b.emailUser) >= JW_NEAR && (a.emailDomain === b.emailDomain || jaroWinkler(a.emailDomain, b.emailDomain) >= JW_NEAR);
    return similar ? 3 : 4;
  },
};

export const sex: Comparison = {
  role: 'sex',
  levels: [MISSING, lv('exact', 'the same'), lv('different', 'different')],
  present: (f) => f.sex !== '',
  level: (a, b) => (!a.sex || !b.sex ? 0 : a.sex === b.sex ? 1 : 2),
};
