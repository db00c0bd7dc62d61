/**
 * Computing the due and overdue steps of 600,000 open episodes (issue 3) on PostgreSQL 15.
 *
 * The episodes are made by the real process code: each child gets one of seven histories (a referral
 * awaiting its decision, an assessment, a section 47 enquiry, a new plan, a plan after its first
 * review, a child in need plan, police protection) from a random referral date in the last 300
 * days, folded by `fold` with England's rules and calendar, so every deadline is the one the service
 * would have given. They are loaded in bulk (not through the door: that would take hours), then
 * `dueAndOverdue` is timed against a reference in the same round: the same rows read with no
 * classification (every open deadline, bare columns).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Services } from '../src/app.js';
import { createAgency } from '../src/agencies/store.js';
import { WorkingCalendar } from '../src/process/calendar.js';
import { londonDate } from '../src/process/dates.js';
import { rulesSource } from '../src/process/deadlines.js';
import { dueAndOverdue } from '../src/process/deadlines-store.js';
import { fold } from '../src/process/machine.js';
import { loadCalendar, loadRules } from '../src/process/rules-store.js';
import type { ProcessEvent } from '../src/process/state.js';
import { DUE_SOON, clockRows } from '../src/process/store.js';
import type { StepName } from '../src/process/steps.js';
import { benchServices, log, machine, median, round, settings, timed } from './support.js';

const EPISODES = Number(process.env.BENCH_EPISODES ?? 600_000);
const BATCH = 5_000;
const DAY = 86_400_000;
const NOW = new Date('2026-11-20T12:00:00Z');

type Plan = [StepName, number, Record<string, unknown>?][];
const referral: Plan = [['referral', 0, { referral_source: '6', primary_need: 'N1' }]];
const assessing: Plan = [...referral, ['referral_decision', 0.2, { outcome: 'assessment' }], ['assessment_started', 1]];
const s47: Plan = [...assessing, ['strategy_discussion', 2, { outcome: 's47' }]];
const newPlan: Plan = [...s47, ['s47_concluded', 10, { outcome: 'conference' }], ['icpc', 14, { outcome: 'cp_plan', category: 'NEG', lead_id: randomUUID() }]];
/** The seven histories, as [step, days after the referral, data]. */
const histories: Plan[] = [
  referral,
  assessing,
  s47,
  newPlan,
  [...newPlan, ['core_group', 22, {}], ['review_conference', 100, { outcome: 'continue' }]],
  [...assessing, ['assessment_completed', 30, { factors: ['21'], outcome: 'cin_plan' }]],
  [...referral, ['police_protection_started', 0.1, { place_of_safety: 'Foster carer' }]],
];

function eventsOf(plan: Plan, referredAt: number, la: string): ProcessEvent[] {
  return plan.map(([step, days, data]) => {
    const at = new Date(referredAt + days * DAY);
    return { type: 'step', id: randomUUID(), step, at, date: londonDate(at), data: { step, ...data }, authorId: null, agencyId: la };
  });
}

async function load(s: Services): Promise<{ la: string; clocks: number }> {
  const db = s.database.db;
  const la = await createAgency(db, { kind: 'local_authority', name: 'Benchshire Council', code: 'BSC', jurisdiction: 'england' });
  const source = rulesSource(await loadRules(db, 'england'), new WorkingCalendar(await loadCalendar(db, 'england')), 'england', la);
  let clocks = 0;
  for (let start = 0; start < EPISODES; start += BATCH) {
    const n = Math.min(BATCH, EPISODES - start);
    const children = (await sql<{ id: string }>`INSERT INTO persons (id, kind, date_of_birth)
      SELECT gen_random_uuid(), 'child', date '2020-01-01' + (g % 2000) FROM generate_series(1, ${n}) g RETURNING id`.execute(db)).rows.map((r) => r.id);
    const rows: ReturnType<typeof clockRows> = [];
    const episodes: { id: string; child: string; date: string }[] = [];
    children.forEach((child, i) => {
      const referredAt = NOW.getTime() - Math.floor(((start + i) * 7919) % 300) * DAY - 3 * 3_600_000;
      const state = fold(eventsOf(histories[(start + i) % histories.length], referredAt, la), source);
      const ep = state.episodes[0];
      episodes.push({ id: ep.id, child, date: ep.referralDate });
      rows.push(...clockRows(child, la, state.clocks));
    });
    await sql`INSERT INTO process_episodes (id, child_id, la_id, referral_date, referral_source, primary_need)
      SELECT id, child, ${la}::uuid, d::date, '6', 'N1' FROM unnest(${episodes.map((e) => e.id)}::uuid[], ${episodes.map((e) => e.child)}::uuid[], ${episodes.map((e) => e.date)}::text[]) AS u(id, child, d)`.execute(db);
    const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
    await sql`INSERT INTO process_clocks (child_id, key, episode_id, la_id, code, label, rule_id, trigger_entry_id, trigger_at, due_on, due_at, overdue_at, due_soon_at, convention, also_for, completed_entry_id, completed_at, late, cancelled_at)
      SELECT * FROM unnest(${col('child_id')}::uuid[], ${col('key')}::text[], ${col('episode_id')}::uuid[], ${col('la_id')}::uuid[], ${col('code')}::text[], ${col('label')}::text[],
        ${col('rule_id')}::uuid[], ${col('trigger_entry_id')}::uuid[], ${col('trigger_at')}::timestamptz[], ${col('due_on')}::date[], ${col('due_at')}::text[],
        ${col('overdue_at')}::timestamptz[], ${col('due_soon_at')}::timestamptz[], ${col('convention')}::text[], ${col('also_for')}::text[],
        ${col('completed_entry_id')}::uuid[], ${col('completed_at')}::timestamptz[], ${col('late')}::boolean[], ${col('cancelled_at')}::timestamptz[])`.execute(db);
    clocks += rows.length;
    if ((start / BATCH) % 20 === 0) log(`loaded ${start + n} episodes, ${clocks} deadlines`);
  }
  await sql`ANALYZE`.execute(db);
  return { la, clocks };
}

export async function run(url: string, rounds: number) {
  const { s, drop } = await benchServices(url);
  try {
    const { clocks } = await load(s);
    const db = s.database.db;
    const reference = () => sql`SELECT child_id, episode_id, code, due_on, overdue_at FROM process_clocks WHERE completed_at IS NULL AND cancelled_at IS NULL`.execute(db);
    const compute = () => dueAndOverdue(db, NOW, DUE_SOON.days);
    const sample = await compute();
    const open = (await reference()).rows.length;
    const results: { compute: number; reference: number }[] = [];
    for (let r = 0; r < rounds; r++) {
      const x = { compute: (await timed(compute)).ms, reference: (await timed(reference)).ms };
      log(`round ${r + 1}: due and overdue ${round(x.compute, 0)} ms; reference (every open deadline, bare) ${round(x.reference, 0)} ms`);
      results.push(x);
    }
    const ms = median(results.map((x) => x.compute));
    return {
      machine: machine(),
      postgres: await settings(s),
      workload: { open_episodes: EPISODES, deadlines: clocks, open_deadlines: open, episodes_due_or_overdue: sample.length, episodes_with_overdue: sample.filter((d) => d.overdue.length).length, overdue_steps: sample.reduce((n, d) => n + d.overdue.length, 0), now: NOW.toISOString() },
      due_and_overdue_median_ms: round(ms, 0),
      reference_all_open_deadlines_median_ms: round(median(results.map((x) => x.reference)), 0),
      target_ms: 5000,
      met: ms < 5000,
      per_round: results.map((x) => ({ compute: round(x.compute, 0), reference: round(x.reference, 0) })),
    };
  } finally {
    await drop();
  }
}
