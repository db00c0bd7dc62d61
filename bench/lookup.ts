/**
 * The unscheduled-care lookup over a million children (issue 5, proof: "a single demographic lookup
 * answers in under 20 ms at the 99th percentile") on PostgreSQL 15.
 *
 * A fresh database gets BENCH_PERSONS (default 1,000,000) generated children (bench/lookup-data.ts).
 * Each round then times, one at a time, `findChild` (src/unscheduled-care/find.ts: exactly what the
 * check runs, in a transaction of its own as the check has) for 1,000 exact and 1,000 typo'd queries by
 * name, date of birth and postcode, and 500 by NHS number; and, as the reference, a plain indexed
 * SELECT by NHS number for the same 500. Percentiles per round; the median of the rounds is reported.
 */
import { sql } from 'kysely';
import { performance } from 'node:perf_hooks';
import type { Services } from '../src/app.js';
import { findChild } from '../src/unscheduled-care/find.js';
import { isValidNhsNumber } from '../src/people/nhs-number.js';
import { generate, personId } from './lookup-data.js';
import { benchServices, log, machine, median, round, settings } from './support.js';

const PERSONS = Number(process.env.BENCH_PERSONS ?? 1_000_000);
const PER_ROUND = { exact: 1000, typo: 1000, nhs: 500 };
const TARGET_P99_MS = 20;

interface Child { id: string; given_name: string; family_name: string; date_of_birth: string; postcode: string; nhs: string | null }
type Query = { nhs_number: string } | { given_name: string; family_name: string; date_of_birth: string; postcode: string };
interface Case { kind: 'exact' | 'typo' | 'nhs'; typo?: string; query: Query; expected: string }

/** A seeded generator (mulberry32), so every run asks the same questions. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(2026);
const pick = (n: number) => Math.floor(rand() * n);

/** The keystroke errors a clerk makes: the matcher should still find one confident child. */
const typos: Record<string, (c: Child) => Child> = {
  surname_letter_dropped: (c) => ({ ...c, family_name: dropOne(c.family_name) }),
  given_name_letters_swapped: (c) => ({ ...c, given_name: swapTwo(c.given_name) }),
  // Swapped where the swap is another date; otherwise the day one digit wrong (a different mistake, counted apart).
  day_and_month_swapped: (c) => {
    const [y, m, d] = c.date_of_birth.split('-');
    return { ...c, date_of_birth: `${y}-${d}-${m}` };
  },
  day_one_digit_wrong: (c) => {
    const [y, m, d] = c.date_of_birth.split('-');
    const day = Number(d) >= 28 ? Number(d) - 10 : Number(d[0] + (d[1] === '1' ? '2' : '1'));
    return { ...c, date_of_birth: `${y}-${m}-${String(day).padStart(2, '0')}` };
  },
  postcode_character_wrong: (c) => ({ ...c, postcode: c.postcode.slice(0, -1) + (c.postcode.endsWith('A') ? 'B' : 'A') }),
  lower_case_no_space: (c) => ({ ...c, given_name: c.given_name.toLowerCase(), family_name: c.family_name.toUpperCase(), postcode: c.postcode.replace(' ', '').toLowerCase() }),
};
function dropOne(s: string) {
  const i = 1 + pick(s.length - 1);
  return s.slice(0, i) + s.slice(i + 1);
}
function swapTwo(s: string) {
  const i = 1 + pick(s.length - 2);
  return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
}

async function sample(s: Services, n: number): Promise<Child[]> {
  const ids = Array.from({ length: n }, () => personId(1 + pick(PERSONS)));
  const rows = await sql<Child>`SELECT p.id, n.given_name, n.family_name, to_char(p.date_of_birth, 'YYYY-MM-DD') AS date_of_birth, a.postcode, i.value AS nhs
    FROM persons p JOIN person_names n ON n.person_id = p.id AND n.valid_to IS NULL
    JOIN person_addresses a ON a.person_id = p.id AND a.valid_to IS NULL
    LEFT JOIN person_identifiers i ON i.person_id = p.id AND i.scheme = 'nhs_number'
    WHERE p.id = ANY(${ids}::uuid[])`.execute(s.database.db);
  const byId = new Map(rows.rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)!).filter(Boolean);
}

function cases(children: Child[]): Case[] {
  const out: Case[] = [];
  const typoNames = Object.keys(typos).filter((t) => t !== 'day_one_digit_wrong');
  const demo = (c: Child) => ({ given_name: c.given_name, family_name: c.family_name, date_of_birth: c.date_of_birth, postcode: c.postcode });
  children.slice(0, PER_ROUND.exact).forEach((c) => out.push({ kind: 'exact', query: demo(c), expected: c.id }));
  children.slice(PER_ROUND.exact, PER_ROUND.exact + PER_ROUND.typo).forEach((c, i) => {
    const [, m, d] = c.date_of_birth.split('-');
    const swappable = Number(d) <= 12 && d !== m;
    const planned = typoNames[i % typoNames.length];
    const typo = planned === 'day_and_month_swapped' && !swappable ? 'day_one_digit_wrong' : planned;
    out.push({ kind: 'typo', typo, query: demo(typos[typo](c)), expected: c.id });
  });
  children.filter((c) => c.nhs).slice(0, PER_ROUND.nhs).forEach((c) => out.push({ kind: 'nhs', query: { nhs_number: c.nhs! }, expected: c.id }));
  return out;
}

const pct = (xs: number[], p: number) => {
  const a = [...xs].sort((x, y) => x - y);
  return a[Math.min(a.length - 1, Math.ceil((p / 100) * a.length) - 1)];
};
const summary = (xs: number[]) => ({ p50: pct(xs, 50), p95: pct(xs, 95), p99: pct(xs, 99), max: Math.max(...xs) });

interface RoundResult { times: Record<'demographic' | 'exact' | 'typo' | 'nhs' | 'reference', number[]>; found: Record<string, { right: number; wrong: number; none: number }> }

async function oneRound(s: Services, all: Case[]): Promise<RoundResult> {
  const db = s.database.db;
  const r: RoundResult = { times: { demographic: [], exact: [], typo: [], nhs: [], reference: [] }, found: {} };
  for (const c of all) {
    const t = performance.now();
    const got = await db.transaction().execute((tx) => findChild(tx, c.query));
    const ms = performance.now() - t;
    r.times[c.kind].push(ms);
    if (c.kind !== 'nhs') r.times.demographic.push(ms);
    const key = c.typo ?? c.kind;
    const f = (r.found[key] ??= { right: 0, wrong: 0, none: 0 });
    if (got === c.expected) f.right++;
    else if (got) f.wrong++;
    else f.none++;
    if (c.kind === 'nhs') {
      const t2 = performance.now();
      await db.selectFrom('person_identifiers').select('person_id').where('scheme', '=', 'nhs_number').where('value', '=', (c.query as { nhs_number: string }).nhs_number).execute();
      r.times.reference.push(performance.now() - t2);
    }
  }
  return r;
}

export async function run(url: string, rounds: number) {
  const { s, drop } = await benchServices(url);
  try {
    const t0 = performance.now();
    log(`generating ${PERSONS.toLocaleString('en-GB')} children`);
    const made = await generate(s.database.db, PERSONS);
    const generateSeconds = (performance.now() - t0) / 1000;
    const all = cases(await sample(s, PER_ROUND.exact + PER_ROUND.typo + PER_ROUND.nhs * 2));
    if (!all.filter((c) => c.kind === 'nhs').every((c) => isValidNhsNumber((c.query as { nhs_number: string }).nhs_number))) throw new Error('generated an invalid NHS number');
    log(`generated in ${round(generateSeconds, 0)} s; warming up`);
    await oneRound(s, all.filter((_, i) => i % 10 === 0));
    const results: RoundResult[] = [];
    for (let i = 0; i < rounds; i++) {
      const r = await oneRound(s, all);
      const d = summary(r.times.demographic);
      log(`round ${i + 1}: demographic p50 ${round(d.p50)} p95 ${round(d.p95)} p99 ${round(d.p99)} ms; NHS-number reference p99 ${round(summary(r.times.reference).p99)} ms`);
      results.push(r);
    }
    const med = (k: keyof RoundResult['times']) => {
      const per = results.map((r) => summary(r.times[k]));
      return { p50: round(median(per.map((x) => x.p50))), p95: round(median(per.map((x) => x.p95))), p99: round(median(per.map((x) => x.p99))), max: round(median(per.map((x) => x.max))), n: results[0].times[k].length };
    };
    const demographic = med('demographic');
    return {
      machine: machine(),
      postgres: await settings(s),
      workload: { children: PERSONS, nhs_numbers: made.nhsNumbers, previous_names: made.previousNames, generate_seconds: round(generateSeconds, 0), lookups_per_round: all.length },
      demographic_ms: demographic,
      exact_ms: med('exact'),
      typo_ms: med('typo'),
      nhs_number_ms: med('nhs'),
      reference_plain_nhs_select_ms: med('reference'),
      found_last_round: results[results.length - 1].found,
      target_p99_ms: TARGET_P99_MS,
      met: demographic.p99 < TARGET_P99_MS,
      per_round_demographic_p99: results.map((r) => round(summary(r.times.demographic).p99)),
    };
  } finally {
    await drop();
  }
}
