import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { MappingError, pairsCsv, readRecords } from './csv.js';
import { CERTAIN_THRESHOLD, MATCH_THRESHOLD, linkRecords, type LinkResult, type Phase } from './linker.js';
import { modelParams, type ModelParams } from './model.js';
import { noNicknames, parseNicknames, type Nicknames } from './nicknames.js';
import { columnMapping, type ColumnMapping, type PersonRecord } from './schemas.js';

export const linkUsage = `Usage: sightline link FILE.csv [OTHER.csv] --columns MAPPING.json [--columns OTHER_MAPPING.json] --out PAIRS.csv
         [--nicknames names.csv] [--params PARAMS.json] [--save-params PARAMS.json] [--review-queue --agency AGENCY_ID]

Deduplicates one file, or links two (pairs across them only). MAPPING.json names the CSV column of each
role: {"record_id": "id", "given_name": "forename", "surname": "surname", "date_of_birth": {"column": "dob",
"format": "DD/MM/YYYY"}, "nhs_number": "nhs_no", "address": ["line1", "line2"], "postcode": "postcode", ...};
also full_name, identifier, email, town, sex. Give --columns twice when the two files differ.
PAIRS.csv gets one row per pair with match probability >= ${MATCH_THRESHOLD}: id_l,id_r,match_probability.
Parameters are estimated from the files (no labels) unless --params gives them.
Nicknames (Rob for Robert) come from --nicknames, SIGHTLINE_NICKNAMES, or the shared linkage data.
--review-queue --agency AGENCY_ID stores every row as that agency's record in the database (DATABASE_URL or
DATA_DIR, as sightline migrate) and puts the uncertain pairs (${MATCH_THRESHOLD} <= probability < ${CERTAIN_THRESHOLD}) in the review queue.`;

/** The project's shared data, beside the repository (../shared/data/linkage). */
export const sharedLinkageData = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/data/linkage');

export interface LinkRun {
  files: string[];
  mappings: ColumnMapping[];
  out: string;
  nicknames: Nicknames;
  params?: ModelParams;
  onProgress?: (phase: Phase, done: number, total: number) => void;
}

export interface LinkRunResult extends LinkResult {
  unreadableDates: number;
  /** Each file's records, as read. */
  files: PersonRecord[][];
}

/** What `--review-queue` is given: the run, and the agency whose records the rows are. Returns how many pairs it queued. */
export type ReviewQueue = (run: { result: LinkRunResult; nicknames: Nicknames }, agencyId: string) => Promise<number>;

/** Reads the files, links them and writes PAIRS.csv: everything `sightline link` does, minus the terminal. */
export function runLink(run: LinkRun): LinkRunResult {
  let unreadableDates = 0;
  const files = run.files.map((file, i) => {
    const read = readRecords(fs.readFileSync(file, 'utf8'), run.mappings[Math.min(i, run.mappings.length - 1)], path.basename(file));
    unreadableDates += read.unreadableDates;
    return read.records;
  });
  const result = linkRecords(files, { nicknames: run.nicknames, params: run.params, onProgress: run.onProgress });
  fs.writeFileSync(run.out, pairsCsv(result.pairs));
  return { ...result, unreadableDates, files };
}

export function loadNicknames(file: string | undefined): { nicknames: Nicknames; source: string | null } {
  const candidate = file ?? process.env.SIGHTLINE_NICKNAMES ?? path.join(sharedLinkageData, 'nicknames/names.csv');
  if (!fs.existsSync(candidate)) {
    if (file) throw new MappingError(`No nicknames file at ${file}`);
    return { nicknames: noNicknames, source: null };
  }
  return { nicknames: parseNicknames(fs.readFileSync(candidate, 'utf8')), source: candidate };
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;

/**
 * `sightline link …`: exit 0 when PAIRS.csv was written, 2 on a usage error, 1 on bad input. The review
 * queue is handed in (src/cli/main.ts), so that this module stays free of the database.
 */
export async function linkCommand(argv: string[], reviewQueue?: ReviewQueue): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      columns: { type: 'string', multiple: true }, out: { type: 'string' }, nicknames: { type: 'string' }, params: { type: 'string' }, 'save-params': { type: 'string' },
      'review-queue': { type: 'boolean' }, agency: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return (console.log(linkUsage), 0);
  const columns = values.columns ?? [];
  const queueing = values['review-queue'] && reviewQueue;
  if (positionals.length < 1 || positionals.length > 2 || !values.out || columns.length < 1 || columns.length > positionals.length || (values['review-queue'] && !values.agency) || (values['review-queue'] && !reviewQueue)) {
    console.error(linkUsage);
    return 2;
  }
  try {
    const started = performance.now();
    const { nicknames, source } = loadNicknames(values.nicknames);
    const params = values.params ? modelParams.parse(readJson(values.params)) : undefined;
    const result = runLink({ files: positionals, mappings: columns.map((c) => columnMapping.parse(readJson(c))), out: values.out, nicknames, params, onProgress: progressBar() });
    if (values['save-params']) fs.writeFileSync(values['save-params'], `${JSON.stringify(result.model.params, null, 2)}\n`);
    const queued = queueing ? await queueing({ result, nicknames }, values.agency!) : null;
    console.log(summary(positionals, values.out, result, source, performance.now() - started, queued));
    return 0;
  } catch (e) {
    if (e instanceof ZodError) console.error(e.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('\n'));
    else if (e instanceof MappingError || e instanceof QueueError || e instanceof SyntaxError || (e as NodeJS.ErrnoException).code === 'ENOENT') console.error((e as Error).message);
    else throw e;
    return 1;
  }
}

const phaseWords: Record<Phase, string> = { preparing: 'Reading records', blocking: 'Blocking', comparing: 'Comparing pairs', estimating: 'Estimating parameters', scoring: 'Scoring pairs' };

/** A one-line progress bar on stderr, only on a terminal (a pipe or a log gets the summary alone). */
function progressBar(): LinkRun['onProgress'] {
  if (!process.stderr.isTTY) return undefined;
  return (phase, done, total) => {
    const share = total ? done / total : 1;
    const bar = '#'.repeat(Math.round(share * 30)).padEnd(30, '.');
    process.stderr.write(`\r[${bar}] ${(share * 100).toFixed(0).padStart(3)}% ${phaseWords[phase].padEnd(22)}`);
    if (phase === 'scoring' && done === total) process.stderr.write('\n');
  };
}

const n = (x: number) => Math.round(x).toLocaleString('en-GB');

/** A refusal from the review queue (an unknown agency) that the command reports and exits 1 on. */
export class QueueError extends Error {}

export function summary(files: string[], out: string, r: LinkRunResult, nicknameSource: string | null, ms: number, queued: number | null = null): string {
  const s = r.stats;
  const names = files.map((f) => path.basename(f)).join(' and ');
  const uncertain = s.linked - s.certain;
  return [
    `${files.length === 2 ? 'Linked' : 'Deduplicated'} ${names}: ${n(s.records)} records.`,
    `Compared ${n(s.comparedPairs)} of ${n(s.possiblePairs)} possible pairs (blocking${s.oversizedBlocks ? `; ${s.oversizedBlocks} over-common keys skipped` : ''}).`,
    s.expectedMatches === null
      ? 'Parameters: as configured.'
      : `Parameters estimated without labels: about ${n(s.expectedMatches)} true pairs among those compared (EM, ${s.emIterations} iterations); prior 1 in ${n(1 / r.model.params.prior)}.`,
    `Nicknames: ${nicknameSource ? nicknameSource : 'none loaded (give --nicknames names.csv)'}.`,
    ...(r.unreadableDates ? [`${n(r.unreadableDates)} dates of birth were not in the mapping's format and were read as missing.`] : []),
    `${n(s.linked)} pairs linked (match probability >= ${MATCH_THRESHOLD}): ${n(s.certain)} certain (>= ${CERTAIN_THRESHOLD}), ${n(uncertain)} uncertain.`,
    ...(queued !== null ? [`Stored ${n(s.records)} agency records; queued ${n(queued)} uncertain pairs for review (/person-index/reviews).`]
      : uncertain ? ['Uncertain pairs need a person to look: run with --review-queue --agency AGENCY_ID to put them in the review queue.'] : []),
    `Wrote ${out} in ${(ms / 1000).toFixed(1)} s.`,
  ].join('\n');
}
