/**
 * Where a chained batch of `append` spends its time (a tool, not a benchmark of record):
 * `BENCH_DATABASE_URL=... npx tsx bench/append-profile.ts [batches]` times every statement the
 * batch sends (from the moment it is queued to its result) and the Node time between them.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
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

async function main() {
  const n = Number(process.argv[2] ?? 40);
  const { s, drop } = await benchServices(process.env.BENCH_DATABASE_URL!);
  try {
    const { actor, children } = await setUp(s);
    const per: Record<string, number[]> = {};
    const add = (k: string, v: number) => (per[k] ??= []).push(v);
    for (let b = 0; b < n + 5; b++) {
      const items = batch(children, b);
      marks = [];
      const t0 = performance.now();
      await s.record.appendBatch(actor, items);
      const t1 = performance.now();
      const ms = marks;
      marks = undefined;
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
    for (const [k, v] of Object.entries(per)) log(`${median(v).toFixed(1).padStart(7)} ms  ${k}`);
  } finally {
    await drop();
  }
}
void main();
