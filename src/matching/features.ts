import { isValidNhsNumber } from '../people/nhs-number.js';
import { parseBirthDate } from './dates.js';
import type { Nicknames } from './nicknames.js';
import type { PersonRecord } from './schemas.js';
import { normaliseIdentifier, normaliseName, normaliseText, phoneticCodes } from './strings.js';

/**
 * A record prepared once for comparison: normalised values and what every pair would otherwise
 * recompute (phonetic codes, nickname groups, day numbers, address words). '' means missing.
 */
export interface Features {
  id: string;
  /** Which file the record came from when linking two (0 = left, 1 = right); 0 when deduplicating. */
  side: 0 | 1;
  given: string;
  givenCodes: [string, string];
  givenGroups: readonly number[] | undefined;
  surname: string;
  surnameCodes: [string, string];
  /** YYYYMMDD as written, even when it is no real date. */
  dob: string;
  dobDay: number;
  nhs: string;
  /** The NHS number passes the modulus 11 check (spec §8.1): a failing one was mistyped. */
  nhsValid: boolean;
  identifier: string;
  email: string;
  emailUser: string;
  emailDomain: string;
  address: string;
  /** The address without spaces ("pridham street" and "pridhamstreet" are the same address). */
  addressJoined: string;
  /** The address's words: numbers (which must agree exactly) and the rest. */
  addressNumbers: string[];
  addressWords: string[];
  town: string;
  postcode: string;
  /** The outward code of a UK postcode ("LS1" of "LS1 4AP"); '' for other postcodes. */
  outward: string;
  sex: string;
}

const ukPostcode = /^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$/;

export function features(r: PersonRecord, nicknames: Nicknames, side: 0 | 1 = 0): Features {
  const given = normaliseName(r.given_name);
  const surname = normaliseName(r.surname);
  const dob = r.date_of_birth ? parseBirthDate(r.date_of_birth, 'YYYY-MM-DD') : null;
  const nhs = normaliseIdentifier(r.nhs_number);
  const email = (r.email ?? '').trim().toLowerCase();
  const at = email.lastIndexOf('@');
  const address = normaliseText((r.address ?? []).join(' '));
  const postcode = normaliseIdentifier(r.postcode);
  const words = address ? address.split(' ') : [];
  return {
    id: r.id,
    side,
    given,
    givenCodes: phoneticCodes(given),
    givenGroups: nicknames.get(given),
    surname,
    surnameCodes: phoneticCodes(surname),
    dob: dob?.digits ?? '',
    dobDay: dob?.day ?? NaN,
    nhs,
    nhsValid: isValidNhsNumber(nhs),
    identifier: normaliseIdentifier(r.identifier),
    email,
    emailUser: at > 0 ? email.slice(0, at) : email,
    emailDomain: at > 0 ? email.slice(at + 1) : '',
    address,
    addressJoined: address.replace(/ /g, ''),
    addressNumbers: words.filter((w) => /\d/.test(w)),
    addressWords: words.filter((w) => !/\d/.test(w)),
    town: normaliseText(r.town),
    postcode,
    outward: ukPostcode.exec(postcode)?.[1] ?? '',
    sex: normaliseSex(r.sex),
  };
}

/** 'f' or 'm'; anything else (unknown, indeterminate, blank) is missing rather than a disagreement. */
function normaliseSex(s: string | undefined): string {
  const v = (s ?? '').trim().toLowerCase();
  if (v === 'f' || v === 'female' || v === '2') return 'f';
  if (v === 'm' || v === 'male' || v === '1') return 'm';
  return '';
}
