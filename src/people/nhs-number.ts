/** NHS number modulus-11 check (spec §8.1): weights 10..2, check = 11 - (sum mod 11); 11 → 0, 10 → invalid. */
export function normaliseNhsNumber(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export function isValidNhsNumber(input: string): boolean {
  const s = normaliseNhsNumber(input);
  if (!/^\d{10}$/.test(s)) return false;
  const sum = [...s.slice(0, 9)].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  if (check === 10) return false;
  return check === Number(s[9]);
}

/** Displayed 3-3-4, as on NHS documents. */
export const formatNhsNumber = (s: string) => `${s.slice(0, 3)} ${s.slice(3, 6)} ${s.slice(6)}`;
