import type { Features } from './features.js';
import { sameNameGroup } from './nicknames.js';
import type { ComparedRole } from './schemas.js';
import { jaroWinkler, soundAlike, typo } from './strings.js';

/** One level of a comparison: a key for the API and a sentence for a practitioner. */
export interface Level {
  key: string;
  label: string;
}

/**
 * One field's comparison: its levels, best first, and which level a pair falls in. Level 0 is always
 * "missing" (either value absent): neutral, it counts for nothing either way.
 */
export interface Comparison {
  role: ComparedRole;
  levels: readonly Level[];
  present(f: Features): boolean;
  level(a: Features, b: Features): number;
  /** The level whose weight is adjusted by how common the shared value is (a rare surname counts more). */
  frequency?: { level: number; value(f: Features): string };
}

export const MISSING: Level = { key: 'missing', label: 'missing on one side' };
const lv = (key: string, label: string): Level => ({ key, label });

// Jaro-Winkler bands, fixed before any benchmark was run (Splink's customary 0.92 / 0.88 / 0.7).
export const JW_CLOSE = 0.92;
export const JW_NEAR = 0.88;
export const JW_LOOSE = 0.7;

const near = (x: string, y: string) => x === y || jaroWinkler(x, y) >= JW_NEAR;

// Both name comparisons ask whether the names are swapped: the answer for the last pair is kept.
let lastPair: [Features | null, Features | null, boolean] = [null, null, false];

/** Forename and surname written the wrong way round (both crosses agree, allowing a typo). */
export function namesSwapped(a: Features, b: Features): boolean {
  if (!a.given || !a.surname || !b.given || !b.surname) return false;
  if (lastPair[0] === a && lastPair[1] === b) return lastPair[2];
  const swapped = near(a.given, b.surname) && near(a.surname, b.given);
  lastPair = [a, b, swapped];
  return swapped;
}

export const givenName: Comparison = {
  role: 'given_name',
  levels: [MISSING, lv('exact', 'the same'), lv('swapped', 'forename and surname swapped'), lv('nickname', 'one is a form of the other (Rob, Robert)'), lv('jw_close', `spelt almost the same (Jaro-Winkler ≥ ${JW_CLOSE})`), lv('phonetic', 'sound alike (Double Metaphone)'), lv('initial', 'an initial that agrees'), lv('jw_near', `spelt similarly (Jaro-Winkler ≥ ${JW_NEAR})`), lv('jw_loose', `loosely similar (Jaro-Winkler ≥ ${JW_LOOSE})`), lv('different', 'different')],
  present: (f) => f.given !== '',
  level(a, b) {
    if (!a.given || !b.given) return 0;
    if (a.given === b.given) return 1;
    if (namesSwapped(a, b)) return 2;
    if (sameNameGroup(a.givenGroups, b.givenGroups)) return 3;
    const jw = jaroWinkler(a.given, b.given);
    if (jw >= JW_CLOSE) return 4;
    if (soundAlike(a.givenCodes, b.givenCodes)) return 5;
    if ((a.given.length === 1 || b.given.length === 1) && a.given[0] === b.given[0]) return 6;
    return jw >= JW_NEAR ? 7 : jw >= JW_LOOSE ? 8 : 9;
  },
  frequency: { level: 1, value: (f) => f.given },
};

export const surname: Comparison = {
  role: 'surname',
  levels: [MISSING, lv('exact', 'the same'), lv('swapped', 'forename and surname swapped'), lv('jw_close', `spelt almost the same (Jaro-Winkler ≥ ${JW_CLOSE})`), lv('phonetic', 'sound alike (Double Metaphone)'), lv('jw_near', `spelt similarly (Jaro-Winkler ≥ ${JW_NEAR})`), lv('jw_loose', `loosely similar (Jaro-Winkler ≥ ${JW_LOOSE})`), lv('different', 'different')],
  present: (f) => f.surname !== '',
  level(a, b) {
    if (!a.surname || !b.surname) return 0;
    if (a.surname === b.surname) return 1;
    if (namesSwapped(a, b)) return 2;
    const jw = jaroWinkler(a.surname, b.surname);
    if (jw >= JW_CLOSE) return 3;
    if (soundAlike(a.surnameCodes, b.surnameCodes)) return 4;
    return jw >= JW_NEAR ? 5 : jw >= JW_LOOSE ? 6 : 7;
  },
  frequency: { level: 1, value: (f) => f.surname },
};

/** Day and month written the wrong way round (YYYYMMDD vs YYYYDDMM). */
const dayMonthSwapped = (x: string, y: string) => x.slice(4, 6) !== x.slice(6) && x.slice(0, 4) === y.slice(0, 4) && x.slice(4, 6) === y.slice(6) && x.slice(6) === y.slice(4, 6);

export const dateOfBirth: Comparison = {
  role: 'date_of_birth',
  levels: [MISSING, lv('exact', 'the same'), lv('day_month_swapped', 'day and month swapped'), lv('one_digit', 'one digit wrong, or two neighbouring digits swapped'), lv('within_month', 'within a month'), lv('within_year', 'within a year'), lv('different', 'different')],
  present: (f) => f.dob !== '',
  level(a, b) {
    if (!a.dob || !b.dob) return 0;
    if (a.dob === b.dob) return 1;
    if (dayMonthSwapped(a.dob, b.dob)) return 2;
    if (typo(a.dob, b.dob)) return 3;
    const days = Math.abs(a.dobDay - b.dobDay); // NaN (an impossible date) fails both tests below
    return days <= 31 ? 4 : days <= 366 ? 5 : 6;
  },
};

const typoLevels = [lv('exact', 'the same'), lv('one_wrong', 'one character wrong, missing or extra'), lv('transposed', 'two neighbouring characters swapped')];
/** 1 exact, 2 one character wrong, 3 neighbours swapped, 0 none of these. */
function typoLevel(x: string, y: string): number {
  if (x === y) return 1;
  const t = typo(x, y);
  return t === 'one_wrong' ? 2 : t === 'transposed' ? 3 : 0;
}

export const nhsNumber: Comparison = {
  role: 'nhs_number',
  levels: [MISSING, ...typoLevels, lv('different_one_invalid', 'different, and one fails the check digit (mistyped)'), lv('different', 'different, both valid')],
  present: (f) => f.nhs !== '',
  level(a, b) {
    if (!a.nhs || !b.nhs) return 0;
    return typoLevel(a.nhs, b.nhs) || (a.nhsValid && b.nhsValid ? 5 : 4);
  },
};

export const identifier: Comparison = {
  role: 'identifier',
  levels: [MISSING, ...typoLevels, lv('different', 'different')],
  present: (f) => f.identifier !== '',
  level(a, b) {
    if (!a.identifier || !b.identifier) return 0;
    return typoLevel(a.identifier, b.identifier) || 4;
  },
};
