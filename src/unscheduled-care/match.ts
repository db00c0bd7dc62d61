import { buildModel, explain, features, lookupParams, noNicknames, CERTAIN_THRESHOLD, type PersonRecord } from '../matching/index.js';

// No frequency tables: a handful of blocked candidates says nothing about how common a name is.
const model = buildModel(lookupParams, []);

/**
 * The one candidate person the query confidently matches, or null: exactly one person must reach the
 * certain threshold (a person's best record counts, as a child may have several names or addresses).
 */
export function singleConfidentMatch(query: Omit<PersonRecord, 'id'>, candidates: PersonRecord[]): string | null {
  const q = features({ ...query, id: 'query' }, noNicknames);
  const best = new Map<string, number>();
  for (const c of candidates) {
    const p = explain(model, q, features(c, noNicknames)).match_probability;
    best.set(c.id, Math.max(best.get(c.id) ?? 0, p));
  }
  const confident = [...best].filter(([, p]) => p >= CERTAIN_THRESHOLD);
  return confident.length === 1 ? confident[0][0] : null;
}
