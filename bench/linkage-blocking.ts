/**
 * `npm run bench -- linkage-blocking`: how the blocking rules were chosen, without labels. For each file
 * of `linkage-datasets.ts`, the linker's own model (blocking with the base rules, parameters estimated)
 * scores every pair; the likely matches (probability >= the fixed threshold) that the base rules lose
 * are what candidate rules are judged by (src/matching/blocking-audit.ts `chooseRules`). Then, with the
 * rules in the code, how far closing links through others goes, and whether the model, comparing two
 * records so joined directly, calls them different people. Labels are never read. Slow on purpose:
 * every pair of FEBRL2 and FEBRL3 (12.5 million each) is compared.
 */
import fs from 'node:fs';
import path from 'node:path';
import { baseRules, blockingRules, candidateRules, chosenRules } from '../src/matching/blocking.js';
import { chooseRules, likelyMatches, type AuditedFile } from '../src/matching/blocking-audit.js';
import { loadNicknames, sharedLinkageData } from '../src/matching/cli-link.js';
import { levelsOf } from '../src/matching/compare.js';
import { readRecords } from '../src/matching/csv.js';
import { features } from '../src/matching/features.js';
import { linkRecords, MATCH_THRESHOLD } from '../src/matching/linker.js';
import { pairWeight } from '../src/matching/model.js';
import type { PersonRecord } from '../src/matching/schemas.js';
import { datasets } from './linkage-datasets.js';
import { log, machine, round } from './support.js';

export const needsDatabase = false;

/** A candidate rule is kept while it recovers at least this share of some file's likely matches that the rules before it lose. */
export const MIN_SHARE = 0.005;
/** log2 of 1/1000: fields that disagree this strongly say two different people. */
const STRONGLY_AGAINST = -Math.log2(1000);

const { nicknames } = loadNicknames(undefined);
const read = (file: string, mapping: (typeof datasets)[number]['mapping']) => readRecords(fs.readFileSync(path.join(sharedLinkageData, file), 'utf8'), mapping).records;

function audited(name: string, rows: PersonRecord[]): AuditedFile & { ms: number } {
  const t = performance.now();
  const { model } = linkRecords([rows], { nicknames, rules: baseRules });
  const records = rows.map((r) => features(r, nicknames));
  const likely = likelyMatches(records, model, MATCH_THRESHOLD);
  return { name, records, likely, ms: performance.now() - t };
}

/**
 * With the rules in the code: direct links, the pairs that closing links through others adds, and what
 * the model says of those pairs compared alone: the Bayes factor of their fields (2^(weight - prior
 * weight)): above 1 the fields agree more than two strangers' would; below 1/1000, strongly disagree.
 */
function closing(rows: PersonRecord[]): Record<string, unknown> {
  const result = linkRecords([rows], { nicknames });
  const { model } = result;
  const records = rows.map((r) => features(r, nicknames));
  const index = new Map(records.map((f, i) => [f.id, i]));
  const added = result.pairs.filter((p) => !p.direct);
  const log2Bf = added
    .map((p) => [records[index.get(p.left)!], records[index.get(p.right)!]] as const)
    .map(([a, b]) => pairWeight(model, levelsOf(model, a, b), a) - model.priorWeight)
    .sort((x, y) => x - y);
  const groups = new Map<string, number>();
  for (const p of result.pairs) groups.set(p.left, (groups.get(p.left) ?? 0) + 1);
  return {
    compared: result.stats.comparedPairs,
    direct_links: result.stats.direct,
    pairs_added_by_closing: added.length,
    added_fields_against: log2Bf.filter((w) => w < 0).length,
    added_fields_strongly_against: log2Bf.filter((w) => w < STRONGLY_AGAINST).length,
    added_median_log2_bayes_factor: round(log2Bf[Math.floor(log2Bf.length / 2)] ?? 0, 1),
    prior_log2_odds: round(model.priorWeight, 1),
    largest_person_records: Math.max(1, ...[...groups.values()].map((n) => n + 1)),
  };
}

export async function run(): Promise<Record<string, unknown>[]> {
  const files = datasets.map((d) => ({ d, rows: read(d.file, d.mapping) }));
  const audits = files.map(({ d, rows }) => {
    log(`linkage-blocking: scoring every pair of ${d.name}`);
    return audited(d.name, rows);
  });
  const choice = chooseRules(audits, baseRules, candidateRules, MIN_SHARE);
  const lines: Record<string, unknown>[] = files.map(({ d, rows }, i) => {
    const f = choice.files[i];
    return { dataset: d.name, all_pairs: (rows.length * (rows.length - 1)) / 2, likely_matches: f.likely, kept_by_chosen_rules: f.kept, kept_share: round(f.kept / Math.max(1, f.likely), 4), only_by_rule: f.onlyBy, scoring_ms: round(audits[i].ms, 0), ...closing(rows), ...machine() };
  });
  lines.push({
    chosen: choice.chosen,
    in_code: chosenRules,
    code_matches_choice: choice.chosen.join() === chosenRules.join(),
    rules_in_code: blockingRules.map((r) => r.name),
    min_share: MIN_SHARE,
    steps: choice.steps.map((s) => ({ rule: s.rule, recovered: Object.fromEntries(s.recovered.map((r) => [r.file, `${r.pairs} (${round(r.share * 100, 2)}%)`])) })),
  });
  return lines;
}
