import { buildModel, explain, features, indexParams, noNicknames, CERTAIN_THRESHOLD, MATCH_THRESHOLD, type Explanation, type PersonRecord } from '../matching/index.js';

// Configured parameters (src/matching/configured.ts); no frequency tables from a handful of candidates.
const model = buildModel(indexParams, []);

export interface Candidate {
  personId: string;
  /** The person's record (one name and address) that matched best: what the review page shows. */
  record: PersonRecord;
  explanation: Explanation;
}

export type Placement =
  | { outcome: 'linked'; best: Candidate }
  | { outcome: 'queued'; best: Candidate; rivals: number }
  | { outcome: 'created'; best: Candidate | null };

/** Compares two records: each field's level, m, u and weight, and their sum. */
export const compare = (a: PersonRecord, b: PersonRecord): Explanation => explain(model, features(a, noNicknames), features(b, noNicknames));

/**
 * Where an agency's record belongs. Each person counts by their best record. At or above the certain
 * threshold with no other person above the lower one: linked. Otherwise anyone above the lower
 * threshold: a person must look (at the best). Nobody: a new person.
 */
export function place(record: PersonRecord, candidates: readonly PersonRecord[]): Placement {
  const q = features(record, noNicknames);
  const best = new Map<string, Candidate>();
  for (const c of candidates) {
    const explanation = explain(model, q, features(c, noNicknames));
    const seen = best.get(c.id);
    if (!seen || explanation.match_weight > seen.explanation.match_weight) best.set(c.id, { personId: c.id, record: c, explanation });
  }
  const ranked = [...best.values()].sort((a, b) => b.explanation.match_weight - a.explanation.match_weight);
  const top = ranked[0] ?? null;
  const plausible = ranked.filter((c) => c.explanation.match_probability >= MATCH_THRESHOLD);
  if (!top || !plausible.length) return { outcome: 'created', best: top };
  if (top.explanation.match_probability >= CERTAIN_THRESHOLD && plausible.length === 1) return { outcome: 'linked', best: top };
  return { outcome: 'queued', best: top, rivals: plausible.length - 1 };
}
