/**
 * The matcher, pure (no HTTP, no database), for `sightline link` and for what comes next in issue 5
 * (the review queue, merge and unmerge, the unscheduled-care check):
 * - `features(record, nicknames)` prepares a PersonRecord once for any number of comparisons;
 * - `buildModel(params, records)` makes a scoring model from parameters, estimated or configured
 *   (`modelParams` validates them; the records give how common each name is);
 * - `explain(model, a, b)` compares two records: each field's level, m, u and weight, the match
 *   weight and probability; `levelsOf` gives the levels alone;
 * - `candidatePairs(records)` blocks; `train(...)` estimates parameters without labels;
 * - `linkRecords(files)` deduplicates one list or links two, end to end, with the thresholds.
 */
export { candidatePairs, blockingRules } from './blocking.js';
export { indexParams, lookupParams } from './configured.js';
export { explain, levelsOf, type Explanation, type FieldContribution } from './compare.js';
export { features, type Features } from './features.js';
export { CERTAIN_THRESHOLD, MATCH_THRESHOLD, linkRecords, type LinkedPair, type LinkResult } from './linker.js';
export { buildModel, modelParams, probability, type Model, type ModelParams } from './model.js';
export { noNicknames, parseNicknames, type Nicknames } from './nicknames.js';
export { personRecord, type PersonRecord } from './schemas.js';
export { train } from './train.js';
