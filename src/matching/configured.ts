import type { ModelParams } from './model.js';

/**
 * Configured parameters for matching one record against the few persons blocked from Sightline's
 * index (the unscheduled-care check, the person index). One record cannot be trained on, so m and u
 * are set here. The prior is one in a million: only name, date of birth and postcode agreeing together
 * (or all but a small typo) reach the certain threshold, while a twin with another forename (about
 * 0.95) does not.
 */
export const lookupParams: ModelParams = {
  prior: 1e-6,
  comparisons: [
    { role: 'given_name', levels: lv([[0.88, 0.01], [0.005, 0.0001], [0.02, 0.001], [0.04, 0.002], [0.01, 0.003], [0.005, 0.03], [0.01, 0.01], [0.005, 0.03], [0.02, 0.9]]) },
    { role: 'surname', levels: lv([[0.88, 0.005], [0.005, 0.0001], [0.05, 0.0005], [0.02, 0.002], [0.02, 0.005], [0.005, 0.02], [0.02, 0.97]]) },
    { role: 'date_of_birth', levels: lv([[0.9, 0.0003], [0.02, 0.0001], [0.04, 0.003], [0.01, 0.02], [0.01, 0.3], [0.02, 0.6765]]) },
    { role: 'postcode', levels: lv([[0.8, 0.001], [0.03, 0.0005], [0.07, 0.02], [0.1, 0.9785]]) },
  ],
};

/**
 * The person index also weighs an NHS number (nearly unique: agreeing adds about 23 bits, two valid
 * numbers disagreeing take away about 8) and sex (weak evidence either way; unknown is missing).
 */
export const indexParams: ModelParams = {
  prior: lookupParams.prior,
  comparisons: [
    ...lookupParams.comparisons,
    { role: 'nhs_number', levels: lv([[0.97, 1e-7], [0.01, 1e-6], [0.005, 1e-7], [0.01, 0.001], [0.005, 0.9989989]]) },
    { role: 'sex', levels: lv([[0.98, 0.5], [0.02, 0.5]]) },
  ],
};

/** Level keys in the order levels.ts and levels-place.ts define them, by how many a comparison has. */
function lv(pairs: [number, number][]) {
  const keys: Record<number, string[]> = {
    9: ['exact', 'swapped', 'nickname', 'jw_close', 'phonetic', 'initial', 'jw_near', 'jw_loose', 'different'],
    7: ['exact', 'swapped', 'jw_close', 'phonetic', 'jw_near', 'jw_loose', 'different'],
    6: ['exact', 'day_month_swapped', 'one_digit', 'within_month', 'within_year', 'different'],
    5: ['exact', 'one_wrong', 'transposed', 'different_one_invalid', 'different'],
    4: ['exact', 'one_typo', 'same_district', 'different'],
    2: ['exact', 'different'],
  };
  return pairs.map(([m, u], i) => ({ key: keys[pairs.length][i], m, u }));
}
