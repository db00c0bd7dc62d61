/**
 * `npm run bench -- linkage`: `sightline link`'s own code (runLink) over FEBRL 1-3 and fake_1000 from
 * ../shared/data/linkage, one configuration for all (column mappings aside), the threshold fixed in
 * src/matching/linker.ts. Labels are read only here, after the run, to measure. Each dataset runs in a
 * child process of its own so that its peak memory is its own. No database is needed.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { candidatePairs } from '../src/matching/blocking.js';
import { loadNicknames, runLink, sharedLinkageData } from '../src/matching/cli-link.js';
import { readRecords } from '../src/matching/csv.js';
import { features } from '../src/matching/features.js';
import { datasets, type Dataset } from './linkage-datasets.js';
import { machine, median, round } from './support.js';

export const needsDatabase = false;

/** Who is whom, from the labels: FEBRL's rec-<N>- prefix, fake_1000's cluster column. Read only after the runs. */
type Truth = (row: Record<string, string>) => string;
const febrlPerson: Truth = (row) => /^rec-(\d+)-/.exec(row.rec_id)![1];
const truths: Record<string, Truth> = { febrl1: febrlPerson, febrl2: febrlPerson, febrl3: febrlPerson, fake_1000: (row) => row.cluster };

const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
const readCsv = (file: string) => parse(fs.readFileSync(file, 'utf8'), { columns: true, trim: true, skip_empty_lines: true }) as Record<string, string>[];

function truePairs(d: Dataset): Set<string> {
  const byPerson = new Map<string, string[]>();
  for (const row of readCsv(path.join(sharedLinkageData, d.file))) {
    const p = truths[d.name](row);
    byPerson.set(p, [...(byPerson.get(p) ?? []), row[d.mapping.record_id]]);
  }
  const pairs = new Set<string>();
  for (const ids of byPerson.values()) for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) pairs.add(pairKey(ids[i], ids[j]));
  return pairs;
}

/** The share of true pairs that blocking lets through to be compared. */
function blockingRecall(d: Dataset, truth: Set<string>): { compared: number; survive: number } {
  const { nicknames } = loadNicknames(undefined);
  const records = readRecords(fs.readFileSync(path.join(sharedLinkageData, d.file), 'utf8'), d.mapping).records.map((r) => features(r, nicknames));
  const c = candidatePairs(records);
  let kept = 0;
  for (let i = 0; i < c.left.length; i++) if (truth.has(pairKey(records[c.left[i]].id, records[c.right[i]].id))) kept++;
  return { compared: c.left.length, survive: kept / truth.size };
}

/** One dataset, `rounds` timed runs end to end (read, link, write PAIRS.csv), then measured against the labels. */
function measure(d: Dataset, rounds: number): Record<string, unknown> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-link-')), 'pairs.csv');
  const rssBeforeMb = process.memoryUsage().rss / 2 ** 20; // Node, tsx and the modules, before any data
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    runLink({ files: [path.join(sharedLinkageData, d.file)], mappings: [d.mapping], out, nicknames: loadNicknames(undefined).nicknames });
    times.push(performance.now() - t);
  }
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const truth = truePairs(d);
  const linked = readCsv(out).map((row) => pairKey(row.id_l, row.id_r));
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  const tp = linked.filter((k) => truth.has(k)).length;
  const precision = linked.length ? tp / linked.length : 1;
  const recall = tp / truth.size;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  const blocking = blockingRecall(d, truth);
  const ms = median(times);
  const ref = d.reference;
  return {
    dataset: d.name,
    true_pairs: truth.size,
    linked: linked.length,
    true_links: tp,
    false_links: linked.length - tp,
    missed: truth.size - tp,
    precision: round(precision, 4),
    recall: round(recall, 4),
    f1: round(f1, 4),
    pairs_compared: blocking.compared,
    true_pairs_surviving_blocking: round(blocking.survive, 4),
    median_ms: round(ms, 0),
    runs_ms: times.map((t) => round(t, 0)),
    peak_rss_mb: round(peakRssMb, 1),
    rss_before_run_mb: round(rssBeforeMb, 1),
    ...(ref ? { reference: ref, met: f1 >= ref.target_f1 && (ref.target_ms === undefined || ms < ref.target_ms) } : {}),
  };
}

/** Runs each dataset in a child process (tsx loaded) and collects one result line per dataset. */
export async function run(_url: string, rounds: number): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  for (const d of datasets) {
    const result = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const child = fork(fileURLToPath(import.meta.url), ['--dataset', d.name, String(rounds)], { execArgv: ['--import', 'tsx'] });
      child.once('message', (m) => resolve(m as Record<string, unknown>));
      child.once('exit', (code) => (code ? reject(new Error(`${d.name}: exit ${code}`)) : undefined));
    });
    lines.push({ ...result, ...machine() });
  }
  return lines;
}

const at = process.argv.indexOf('--dataset');
if (at > 0) {
  const d = datasets.find((x) => x.name === process.argv[at + 1])!;
  const result = measure(d, Number(process.argv[at + 2] ?? 5));
  if (process.send) process.send(result, () => process.exit(0));
  else console.log(JSON.stringify(result));
}
