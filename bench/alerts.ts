/**
 * Alert latency under load (issue 6, proof): the real server (`sightline start`, its own process,
 * listening on a port) takes a steady 200 entries a second from other agencies' systems (several
 * clients, real HTTP), while one client posts an injury that R1 finds (a bruise on a baby recorded as
 * not mobile) and polls GET /api/children/:id/alerts as the allocated worker until the alert is
 * there. Latency: from just before the POST to the answer that shows the alert. Each trigger is a
 * new child (so each raises, rather than adds to, an alert); each run has at least 200 triggers.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Services } from '../src/app.js';
import { createAgency } from '../src/agencies/store.js';
import { createApiToken } from '../src/auth/store.js';
import { allocate, insertPerson } from '../src/people/store.js';
import type { PersonInput } from '../src/people/schemas.js';
import { startChain } from '../src/record/store.js';
import { benchServices, benchshire, log, machine, median, round, settings, startServer } from './support.js';

const TRIGGERS = 200;
const BACKGROUND_RATE = 200;
const CLIENTS = 4;
/** Spread like a local authority's caseload: a child's history grows by a few entries a run, not hundreds. */
const BACKGROUND_CHILDREN = 2000;
/** A client with this many requests still waiting sends no more until one returns (the rate shows it). */
const MAX_IN_FLIGHT = 16;
const PASSWORD = 'bench horse battery staple';
const TARGET_P99_MS = 1000;

async function children(s: Services, n: number, dob: string, worker: string, team: string, manager: string): Promise<string[]> {
  const ids: string[] = [];
  await s.database.db.transaction().execute(async (tx) => {
    for (let i = 0; i < n; i++) {
      const id = await insertPerson(tx, { kind: 'child', given_name: `Bench${i}`, family_name: 'Alerts', sex: 'unknown', date_of_birth: dob, local_ids: [] } as unknown as PersonInput, null);
      await startChain(tx, s.sealer, id);
      ids.push(id);
    }
  });
  for (const id of ids) await allocate(s.database.db, id, worker, team, manager);
  return ids;
}

async function setUp(s: Services, rounds: number) {
  const db = s.database.db;
  const { la, police, health, team, practitioner: person } = await benchshire(s);
  const school = await createAgency(db, { kind: 'school', name: 'Benchshire Primary', code: 'BSS', jurisdiction: 'england' });
  const head = await person('bench-head@example.test', 'head_of_service');
  const manager = await person('bench-manager@example.test', 'team_manager', { manager_id: head });
  const worker = await person('bench-worker@example.test', 'social_worker', { manager_id: manager, password: PASSWORD });
  const token = (agency: string, kinds: string[]) => createApiToken(db, { agencyId: agency, name: `Bench ${kinds[0]}`, entryKinds: kinds, createdBy: manager, id: randomUUID() });
  return {
    background: await children(s, BACKGROUND_CHILDREN, '2016-05-01', worker, team, manager),
    // Babies, one per trigger (and a few for warming up).
    infants: await children(s, TRIGGERS * rounds + 10, '2026-09-01', worker, team, manager),
    tokens: {
      police: await token(police, ['police_incident']),
      health: await token(health, ['health_appointment', 'injury']),
      school: await token(school, ['school_concern']),
    },
  };
}

const at = () => new Date().toISOString();
/** Ordinary entries no rule raises an alert for, as other agencies' systems send them. */
const ordinary = [
  (tokens: Record<string, string>) => ({ token: tokens.health, body: { kind: 'health_appointment', occurred_at: at(), narrative: 'Weight check; all well.', data: { service: 'Health visiting', outcome: 'attended' } } }),
  (tokens: Record<string, string>) => ({ token: tokens.police, body: { kind: 'police_incident', occurred_at: at(), narrative: 'Welfare check; no concerns.', data: { incident_type: 'concern_for_welfare' } } }),
  (tokens: Record<string, string>) => ({ token: tokens.school, body: { kind: 'school_concern', occurred_at: at(), narrative: 'Late twice this week.', data: { concern_type: 'attendance', sessions_missed: 1 } } }),
];

/** CLIENTS clients, each sending BACKGROUND_RATE / CLIENTS entries a second on a fixed schedule, until stopped. */
function background(base: string, kids: string[], tokens: Record<string, string>) {
  let stopped = false;
  let done = 0;
  let failed = 0;
  let skipped = 0;
  const started = performance.now();
  const client = async (c: number) => {
    const interval = (1000 * CLIENTS) / BACKGROUND_RATE;
    let inFlight = 0;
    for (let k = 0; !stopped; k++) {
      const wait = started + c * (interval / CLIENTS) + k * interval - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (inFlight >= MAX_IN_FLIGHT) { skipped++; continue; }
      const { token, body } = ordinary[(k + c) % ordinary.length](tokens);
      const child = kids[(k * CLIENTS + c) % kids.length];
      inFlight++;
      fetch(`${base}/api/children/${child}/entries`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
        .then(async (r) => { await r.arrayBuffer(); if (r.status === 201) done++; else failed++; }, () => failed++)
        .finally(() => inFlight--);
    }
  };
  const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
  return {
    stop: async () => {
      stopped = true;
      await Promise.all(clients);
      const seconds = (performance.now() - started) / 1000;
      return { per_second: done / seconds, failed, skipped };
    },
  };
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

/** Posts the injury and polls the child's alerts until R1's alert is there: the milliseconds between. */
async function trigger(base: string, child: string, healthToken: string, worker: string): Promise<number> {
  const body = { kind: 'injury', occurred_at: at(), narrative: 'Bruise on the thigh seen at the weight check.', data: { body_locations: ['thigh'], injury_type: 'bruise', explanation_consistent: 'unclear', child_mobile: false } };
  const t = performance.now();
  const posted = await fetch(`${base}/api/children/${child}/entries`, { method: 'POST', headers: { authorization: `Bearer ${healthToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (posted.status !== 201) throw new Error(`the injury answered ${posted.status}: ${await posted.text()}`);
  for (let polls = 0; polls < 1000; polls++) {
    const res = await fetch(`${base}/api/children/${child}/alerts`, { headers: { authorization: `Bearer ${worker}` } });
    const alerts = (await res.json()) as { rule_id: string }[];
    if (alerts.some((a) => a.rule_id === 'R1')) return performance.now() - t;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('the alert never appeared');
}

export async function run(url: string, rounds: number) {
  const { s, drop, databaseUrl, sealKey } = await benchServices(url);
  let server: { base: string; stop(): void } | undefined;
  try {
    const { background: kids, infants, tokens } = await setUp(s, rounds);
    server = await startServer(databaseUrl, sealKey, 58000);
    const base = server.base;
    const signIn = await fetch(`${base}/api/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench-worker@example.test', password: PASSWORD }) });
    const worker = ((await signIn.json()) as { token: string }).token;
    let next = 0;
    for (let i = 0; i < 10; i++) await trigger(base, infants[next++], tokens.health, worker);
    const results = [];
    for (let r = 0; r < rounds; r++) {
      const load = background(base, kids, tokens);
      await new Promise((res) => setTimeout(res, 1000));
      const ms: number[] = [];
      for (let i = 0; i < TRIGGERS; i++) ms.push(await trigger(base, infants[next++], tokens.health, worker));
      const achieved = await load.stop();
      const x = { p50: percentile(ms, 50), p99: percentile(ms, 99), max: Math.max(...ms), background_per_second: achieved.per_second, failed: achieved.failed, skipped: achieved.skipped };
      log(`run ${r + 1}: p50 ${round(x.p50, 1)} ms, p99 ${round(x.p99, 1)} ms, max ${round(x.max, 1)} ms; background ${round(x.background_per_second, 1)}/s (${x.failed} failed, ${x.skipped} not sent)`);
      results.push(x);
      await new Promise((res) => setTimeout(res, 500));
    }
    const p99 = median(results.map((x) => x.p99));
    return {
      machine: machine(),
      postgres: await settings(s),
      workload: { triggers_per_run: TRIGGERS, background_target_per_second: BACKGROUND_RATE, background_clients: CLIENTS, background_children: BACKGROUND_CHILDREN },
      p50_median_ms: round(median(results.map((x) => x.p50)), 1),
      p99_median_ms: round(p99, 1),
      background_per_second_median: round(median(results.map((x) => x.background_per_second)), 1),
      target_p99_ms: TARGET_P99_MS,
      met: p99 < TARGET_P99_MS,
      per_run: results.map((x) => ({ p50: round(x.p50, 1), p99: round(x.p99, 1), max: round(x.max, 1), background_per_second: round(x.background_per_second, 1), failed: x.failed, not_sent: x.skipped })),
    };
  } finally {
    server?.stop();
    await drop();
  }
}
