/**
 * `npm run bench -- NAME [ROUNDS]`: runs bench/NAME.ts against PostgreSQL 15 (BENCH_DATABASE_URL, or
 * a throwaway server on a spare port from 55450) and prints one JSON line of results on stdout (one per
 * dataset for linkage, which needs no database).
 */
import { server, log, undoAll } from './support.js';

export interface Benchmark {
  /** One JSON line, or one per part (a dataset). */
  run(url: string, rounds: number): Promise<Record<string, unknown> | Record<string, unknown>[]>;
  /** False for a benchmark of pure code (linkage): no PostgreSQL is started. */
  needsDatabase?: boolean;
}

const names = ['alerts', 'append', 'chronology', 'deadlines', 'linkage', 'linkage-blocking', 'linkage-strings', 'lookup'];

async function main() {
  const [name, roundsArg] = process.argv.slice(2);
  if (!name || !names.includes(name)) {
    console.error(`Usage: npm run bench -- <${names.join('|')}> [rounds, at least 5]`);
    return 2;
  }
  const rounds = Math.max(5, Number(roundsArg ?? 7) || 7);
  const bench = (await import(`./${name}.ts`)) as Benchmark;
  const pgServer = bench.needsDatabase === false ? { url: '', stop: async () => {} } : await server();
  log(`bench ${name}: ${rounds} rounds${pgServer.url ? ` on ${new URL(pgServer.url).host}` : ''}`);
  try {
    const result = await bench.run(pgServer.url, rounds);
    for (const line of Array.isArray(result) ? result : [result]) console.log(JSON.stringify({ benchmark: name, date: new Date().toISOString(), rounds, ...line }));
    return 0;
  } finally {
    await pgServer.stop();
  }
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`${signal}: dropping the benchmark database${process.env.BENCH_DATABASE_URL ? '' : ' and stopping PostgreSQL'}`);
    // Dropping the database ends the pool's connections under it; we are leaving anyway.
    process.on('uncaughtException', () => undefined);
    void undoAll().finally(() => process.exit(130));
  });
}

main().then((code) => process.exit(code), (e) => {
  if (interrupted) return; // the signal handler cleans up and exits
  console.error(e);
  process.exit(1);
});
