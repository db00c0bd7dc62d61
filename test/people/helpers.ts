/** A valid NHS number from nine digits (the 999 test range in fixtures), or null when none exists (check 10). */
export function testNhsNumber(nine: string): string | null {
  const sum = [...nine].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? null : nine + check;
}

let next = 999_100_000;
/** A fresh valid test-range NHS number each call. */
export function freshNhsNumber(): string {
  for (;;) {
    const n = testNhsNumber(String(next++));
    if (n) return n;
  }
}
