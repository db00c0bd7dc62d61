import { describe, expect, it } from 'vitest';
import { singleConfidentMatch } from '../../src/unscheduled-care/match.js';

const riley = { id: 'riley', given_name: 'Riley', surname: 'Brennan', date_of_birth: '2019-05-12', postcode: 'NM1 2AB' };
const query = { given_name: 'Riley', surname: 'Brennan', date_of_birth: '2019-05-12', postcode: 'NM12AB' };

describe('singleConfidentMatch', () => {
  it('finds the one child despite a typo in the surname or a swapped day and month', () => {
    expect(singleConfidentMatch({ ...query, surname: 'Brenan' }, [riley])).toBe('riley');
    expect(singleConfidentMatch({ ...query, date_of_birth: '2019-12-05' }, [riley])).toBe('riley');
  });

  it('tells twins apart by forename, but not twins who share every detail', () => {
    const sibling = { ...riley, id: 'sibling', given_name: 'Morgan' };
    expect(singleConfidentMatch(query, [riley, sibling])).toBe('riley');
    expect(singleConfidentMatch(query, [riley, { ...riley, id: 'same' }])).toBeNull();
  });

  it('counts a child with several names once, by the best of them', () => {
    expect(singleConfidentMatch(query, [riley, { ...riley, surname: 'Smith' }])).toBe('riley');
  });

  it('does not match on a name and date of birth alone when the postcode is elsewhere and the surname only sounds alike', () => {
    expect(singleConfidentMatch({ ...query, surname: 'Brenner', postcode: 'ZZ9 9ZZ' }, [riley])).toBeNull();
    expect(singleConfidentMatch(query, [])).toBeNull();
  });
});
