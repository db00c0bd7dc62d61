/**
 * Where a chained batch of `append` spends its time (a tool, not a benchmark of record):
 * `BENCH_DATABASE_URL=... npx tsx bench/append-profile.ts [batches]` times every statement a chained
 * batch sends (from the moment the driver is given it to its answer) and the Node time between them,
 * and measures the CPU each side used per batch (this process, and the server processes of the
 * benchmark's database from /proc) for the chained batch and for the plain INSERT of the same rows.
 * On a shared machine the CPU is the steadier figure: under load the two sides no longer overlap.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { Kysely } from 'kysely';
import type { EntriesTable } from '../src/db/schema.js';
import { benchServices, log, median } from './support.js';
import { batch, setUp } from './append.js';

type Mark = { what: string; t0: number; t1: number };
let marks: Mark[] | undefined;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text ?? '?';
  const m: Mark = { what: text.replace(/\s+/g, ' ').trim().slice(0, 40), t0: performance.now(), t1: 0 };
  const r = (query as (...a: unknown[]) => unknown).apply(this, args);
  if (marks && r && typeof (r as Promise<unknown>).then === 'function') {
    marks.push(m);
    (r as Promise<unknown>).then(() => (m.t1 = performance.now()), () => (m.t1 = performance.now()));
  }
  return r;
} as typeof query;

/** CPU ms used so far by the server processes of database `name` (Linux /proc; clock ticks of 10 ms). */
function serverCpu(name: string): number {
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(name)) continue;
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks * 10;
}
const nodeCpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

async function main() {
  const n = Number(process.argv[2] ?? 40);
  const { s, drop, databaseUrl } = await benchServices(process.env.BENCH_DATABASE_URL!);
  const name = new URL(databaseUrl).pathname.slice(1);
  try {
    const { actor, children } = await setUp(s);
    const db = s.database.db;
    const copies = db as unknown as Kysely<{ entries_plain: EntriesTable }>;
    const per: Record<string, number[]> = {};
    const add = (k: string, v: number) => (per[k] ??= []).push(v);
    const cpu = { chained: { node: 0, server: 0 }, plain: { node: 0, server: 0 } };
    const measure = async (side: 'chained' | 'plain', f: () => Promise<unknown>, counted: boolean) => {
      const n0 = nodeCpu(), s0 = serverCpu(name);
      const value = await f();
      if (counted) {
        cpu[side].node += nodeCpu() - n0;
        cpu[side].server += serverCpu(name) - s0;
      }
      return value;
    };
    for (let b = 0; b < n + 5; b++) {
      const items = batch(children, b);
      marks = [];
      const t0 = performance.now();
      const res = await measure('chained', () => s.record.appendBatch(actor, items), b >= 5) as Awaited<ReturnType<typeof s.record.appendBatch>>;
      const t1 = performance.now();
      const ms = marks;
      marks = undefined;
      const rows = (await db.selectFrom('entries').selectAll().where('id', 'in', res.body.entries.map((e) => e.id)).execute()).map((r) => ({ ...r, data: JSON.stringify(r.data) }));
      await measure('plain', () => copies.insertInto('entries_plain').values(rows).execute(), b >= 5);
      if (b < 5) continue;
      add('total', t1 - t0);
      let last = t0;
      ms.forEach((m, i) => {
        add(`${i} node before`, m.t0 - last);
        add(`${i} ${m.what}`, m.t1 - m.t0);
        last = Math.max(last, m.t1);
      });
      add('node after', t1 - last);
    }
    log('median wall ms per chained batch, statement by statement:');
    for (const [k, v] of Object.entries(per)) log(`${median(v).toFixed(1).padStart(7)} ms  ${k}`);
    for (const side of ['chained', 'plain'] as const) {
      log(`CPU per ${side} batch: Node ${(cpu[side].node / n).toFixed(1)} ms, PostgreSQL ${(cpu[side].server / n).toFixed(1)} ms`);
    }
  } finally {
    await drop();
  }
}
void main();
