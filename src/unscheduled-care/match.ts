import { buildModel, explain, features, noNicknames, CERTAIN_THRESHOLD, type ModelParams, type PersonRecord } from '../matching/index.js';

/**
 * Configured parameters for one demographic lookup against the children blocked by date of birth or
 * surname. A lookup cannot be trained on, so m and u are set here. The prior is one in a million:
 * only name, date of birth and postcode agreeing together (or all but a small typo) reach the
 * confident threshold, while a twin with another forename (about 0.95) does not.
 */
const params: ModelParams = {
  prior: 1e-6,
  comparisons: [
    { role: 'given_name', levels: lv([[0.88, 0.01], [0.005, 0.0001], [0.02, 0.001], [0.04, 0.002], [0.01, 0.003], [0.005, 0.03], [0.01, 0.01], [0.005, 0.03], [0.02, 0.9]]) },
    { role: 'surname', levels: lv([[0.88, 0.005], [0.005, 0.0001], [0.05, 0.0005], [0.02, 0.002], [0.02, 0.005], [0.005, 0.02], [0.02, 0.97]]) },
    { role: 'date_of_birth', levels: lv([[0.9, 0.0003], [0.02, 0.0001], [0.04, 0.003], [0.01, 0.02], [0.01, 0.3], [0.02, 0.6765]]) },
    { role: 'postcode', levels: lv([[0.8, 0.001], [0.03, 0.0005], [0.07, 0.02], [0.1, 0.9785]]) },
  ],
};

function lv(pairs: [number, number][]) {
  const keys: Record<number, string[]> = {
    9: ['exact', 'swapped', 'nickname', 'jw_close', 'phonetic', 'initial', 'jw_near', 'jw_loose', 'different'],
    7: ['exact', 'swapped', 'jw_close', 'phonetic', 'jw_near', 'jw_loose', 'different'],
    6: ['exact', 'day_month_swapped', 'one_digit', 'within_month', 'within_year', 'different'],
    4: ['exact', 'one_typo', 'same_district', 'different'],
  };
  return pairs.map(([m, u], i) => ({ key: keys[pairs.length][i], m, u }));
}

// No frequency tables: a handful of blocked candidates says nothing about how common a name is.
const model = buildModel(params, []);

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
