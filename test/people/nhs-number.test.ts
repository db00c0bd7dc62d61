import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatNhsNumber, isValidNhsNumber } from '../../src/people/nhs-number.js';
import { nhsNumber } from '../../src/people/schemas.js';
import { testNhsNumber } from './helpers.js';

describe('NHS number check digit (spec §8.1)', () => {
  it.each([
    ['9434765919', true, 'the spec’s worked example'],
    ['9434765918', false, 'the worked example with a wrong check digit'],
    ['9990000000', false, 'check digit 10 is never valid'],
    ['9990000001', false, 'check digit 10 is never valid, whatever the last digit'],
    ['9990000050', true, 'check digit 11 becomes 0'],
    ['9990000051', false, 'check digit 11 becomes 0, not 1'],
    ['943476591', false, 'nine digits'],
    ['94347659190', false, 'eleven digits'],
    ['', false, 'empty'],
    ['943476591X', false, 'a letter'],
    ['943 476 5919', true, 'spaces, as printed 3-3-4'],
    ['943-476-5919', true, 'hyphens'],
    [' 9434765919 ', true, 'surrounding spaces'],
  ])('%s → %s (%s)', (input, valid) => {
    expect(isValidNhsNumber(input)).toBe(valid);
  });

  it('changing any single digit of a valid number makes it invalid', () => {
    const valid = fc.integer({ min: 0, max: 999_999_999 }).map((n) => String(n).padStart(9, '0')).filter((s) => testNhsNumber(s) !== null).map((s) => testNhsNumber(s)!);
    fc.assert(
      fc.property(valid, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (n, position, delta) => {
        expect(isValidNhsNumber(n)).toBe(true);
        const changed = n.slice(0, position) + String((Number(n[position]) + delta) % 10) + n.slice(position + 1);
        expect(isValidNhsNumber(changed)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('the schema normalises what people type and refuses a bad check digit', () => {
    expect(nhsNumber.parse('943 476 5919')).toBe('9434765919');
    expect(nhsNumber.safeParse('9434765918').success).toBe(false);
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
  });
});
