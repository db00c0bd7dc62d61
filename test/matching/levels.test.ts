import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isValidNhsNumber } from '../../src/people/nhs-number.js';
import { features } from '../../src/matching/features.js';
import { dateOfBirth, givenName, identifier, nhsNumber, surname, type Comparison } from '../../src/matching/levels.js';
import { address, email, postcode, sex, town } from '../../src/matching/levels-place.js';
import { parseNicknames } from '../../src/matching/nicknames.js';
import type { PersonRecord } from '../../src/matching/schemas.js';

// A hand-made nickname table in the shape of the shared names.csv (fictional people, real name forms).
const nicknames = parseNicknames('name1,relationship,name2\nrobert,has_nickname,rob\nrobert,has_nickname,bob\nelizabeth,has_nickname,liz\n');
const person = (r: Omit<PersonRecord, 'id'>) => features({ id: 'x', ...r }, nicknames);

/** The level key a comparison gives two records. */
const levelOf = (c: Comparison, a: Omit<PersonRecord, 'id'>, b: Omit<PersonRecord, 'id'>) => c.levels[c.level(person(a), person(b))].key;

describe('given name', () => {
  it.each([
    [{ given_name: 'Amelia' }, { given_name: 'amelia' }, 'exact'],
    [{ given_name: 'Amelia', surname: 'Brook' }, { given_name: 'Brooke', surname: 'Amelia' }, 'swapped'],
    [{ given_name: 'Rob' }, { given_name: 'Bob' }, 'nickname'],
    [{ given_name: 'Robert' }, { given_name: 'Rob' }, 'nickname'],
    [{ given_name: 'Jonathon' }, { given_name: 'Jonathan' }, 'jw_close'],
    [{ given_name: 'Catherine' }, { given_name: 'Kathryn' }, 'phonetic'],
    [{ given_name: 'J' }, { given_name: 'Jasper' }, 'initial'],
    [{ given_name: 'Maria' }, { given_name: 'Marek' }, 'jw_loose'],
    [{ given_name: 'Amelia' }, { given_name: 'Tobias' }, 'different'],
    [{ given_name: 'Amelia' }, {}, 'missing'],
    [{ given_name: ' ' }, { given_name: 'Amelia' }, 'missing'],
  ])('%o and %o: %s', (a, b, level) => expect(levelOf(givenName, a, b)).toBe(level));

  it('a band in between: Jaro-Winkler of at least 0.88 but under 0.92, names that do not sound alike', () => {
    expect(levelOf(givenName, { given_name: 'Martha' }, { given_name: 'Martina' })).toBe('jw_near');
  });
});

describe('surname', () => {
  it.each([
    [{ surname: "O'Neill" }, { surname: 'ONeill' }, 'exact'],
    [{ given_name: 'Tariq', surname: 'Holt' }, { given_name: 'Holt', surname: 'Tariq' }, 'swapped'],
    [{ surname: 'Fairbairn' }, { surname: 'Fairbarn' }, 'jw_close'],
    [{ surname: 'Phelps' }, { surname: 'Felps' }, 'phonetic'],
    [{ surname: 'Harrington' }, { surname: 'Hartington' }, 'jw_near'],
    [{ surname: 'Holt' }, { surname: 'Pennington' }, 'different'],
    [{}, { surname: 'Holt' }, 'missing'],
  ])('%o and %o: %s', (a, b, level) => expect(levelOf(surname, a, b)).toBe(level));
});

describe('date of birth', () => {
  it.each([
    ['2019-03-07', '2019-03-07', 'exact'],
    ['2019-03-07', '2019-07-03', 'day_month_swapped'],
    ['2019-03-07', '2019-03-01', 'one_digit'],
    ['2019-03-17', '2019-03-71', 'one_digit'], // neighbours swapped; 71 March is no date, still compared as written
    ['2019-03-07', '2019-03-27', 'one_digit'],
    ['2019-03-07', '2019-02-20', 'within_month'],
    ['2019-03-07', '2018-10-30', 'within_year'],
    ['2019-03-07', '2016-11-30', 'different'],
  ])('%s and %s: %s', (a, b, level) => expect(levelOf(dateOfBirth, { date_of_birth: a }, { date_of_birth: b })).toBe(level));

  it('the same day and month is not a swap', () => {
    expect(levelOf(dateOfBirth, { date_of_birth: '2019-03-03' }, { date_of_birth: '2018-03-03' })).toBe('one_digit');
  });
  it('missing on either side is neutral', () => {
    expect(levelOf(dateOfBirth, {}, { date_of_birth: '2019-03-07' })).toBe('missing');
  });
});

describe('identifiers', () => {
  it.each([
    ['LA-000123', 'la000123', 'exact'],
    ['LA000123', 'LA000128', 'one_wrong'],
    ['LA000123', 'LA00123', 'one_wrong'],
    ['LA000123', 'LA0001234', 'one_wrong'],
    ['LA000123', 'LA000213', 'transposed'],
    ['LA000123', 'LA999999', 'different'],
  ])('%s and %s: %s', (a, b, level) => expect(levelOf(identifier, { identifier: a }, { identifier: b })).toBe(level));
});

describe('address, town, postcode, email, sex', () => {
  it.each([
    [['12 Hawthorn Road', 'Kirkstall'], ['12 hawthorn road', 'kirkstall'], 'exact'],
    [['12 Hawthornroad'], ['12 Hawthorn Road'], 'exact'],
    [['12 Hawthorn Road', 'Kirkstall'], ['12 Hawthron Road', 'Kirkstall'], 'most_words'],
    [['12 Hawthorn Road', 'Kirkstall'], ['12 Hawthorn Road'], 'most_words'],
    [['12 Hawthorn Road', 'Kirkstall'], ['14 Hawthorn Road', 'Armley'], 'half_words'],
    [['12 Hawthorn Road'], ['3 Mill Road'], 'some_words'],
    [['12 Hawthorn Road'], ['3 Mill Lane'], 'different'],
  ])('address %o and %o: %s', (a, b, level) => expect(levelOf(address, { address: a }, { address: b })).toBe(level));

  it('a house number must agree exactly', () => {
    expect(levelOf(address, { address: ['12 Mill Lane'] }, { address: ['13 Mill Lane'] })).toBe('half_words');
  });

  it.each([
    ['Leeds', 'leeds', 'exact'],
    ['Sheffield', 'Shefield', 'jw_near'],
    ['Leeds', 'York', 'different'],
  ])('town %s and %s: %s', (a, b, level) => expect(levelOf(town, { town: a }, { town: b })).toBe(level));

  it.each([
    ['LS6 2QT', 'ls62qt', 'exact'],
    ['LS6 2QT', 'LS6 2QY', 'one_typo'],
    ['LS6 2QT', 'LS6 2TQ', 'one_typo'],
    ['LS6 2QT', 'LS6 4AB', 'same_district'],
    ['LS6 2QT', 'BD1 1AA', 'different'],
  ])('postcode %s and %s: %s', (a, b, level) => expect(levelOf(postcode, { postcode: a }, { postcode: b })).toBe(level));

  it.each([
    ['amelia.brook@example.org', 'Amelia.Brook@example.org', 'exact'],
    ['amelia.brook@example.org', 'amelia.brok@example.org', 'one_typo'],
    ['amelia.brook7@example.org', 'amelia.brook77@exanple.org', 'similar'],
    ['amelia.brook@example.org', 'tobias@example.net', 'different'],
  ])('email %s and %s: %s', (a, b, level) => expect(levelOf(email, { email: a }, { email: b })).toBe(level));

  it.each([
    ['F', 'female', 'exact'],
    ['M', 'F', 'different'],
    ['unknown', 'F', 'missing'],
  ])('sex %s and %s: %s', (a, b, level) => expect(levelOf(sex, { sex: a }, { sex: b })).toBe(level));
});

describe('NHS number (check digit from src/people/nhs-number.ts)', () => {
  it.each([
    ['999 000 0131', '9990000131', 'exact'],
    ['9990000131', '9990000132', 'one_wrong'],
    ['9990000131', '9990001031', 'transposed'],
    ['9990000131', '9990009635', 'different'],
    ['9990000131', '9990009636', 'different_one_invalid'],
  ])('%s and %s: %s', (a, b, level) => expect(levelOf(nhsNumber, { nhs_number: a }, { nhs_number: b })).toBe(level));

  it('marks a number that fails the modulus 11 check as mistyped', () => {
    expect(person({ nhs_number: '943 476 5919' }).nhsValid).toBe(true);
    expect(person({ nhs_number: '9434765918' }).nhsValid).toBe(false);
  });

  it('a valid number with one digit wrong or two neighbours swapped always fails the check: that level means a mistyped number', () => {
    const valid = fc.integer({ min: 0, max: 9_999_999 }).map((n) => `999${String(n).padStart(7, '0')}`).filter(isValidNhsNumber);
    fc.assert(
      fc.property(valid, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (nhs, at, add) => {
        const wrong = `${nhs.slice(0, at)}${(Number(nhs[at]) + add) % 10}${nhs.slice(at + 1)}`;
        const swapped = at < 9 && nhs[at] !== nhs[at + 1] ? `${nhs.slice(0, at)}${nhs[at + 1]}${nhs[at]}${nhs.slice(at + 2)}` : null;
        expect(isValidNhsNumber(wrong)).toBe(false);
        expect(levelOf(nhsNumber, { nhs_number: nhs }, { nhs_number: wrong })).toBe('one_wrong');
        if (swapped) {
          expect(isValidNhsNumber(swapped)).toBe(false);
          expect(levelOf(nhsNumber, { nhs_number: nhs }, { nhs_number: swapped })).toBe('transposed');
        }
      }),
    );
  });
});
