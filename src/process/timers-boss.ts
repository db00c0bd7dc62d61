import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';

/**
 * What every set of timers shares (the process clocks here, concerns about a service in
 * src/concerns/timers.ts): jobs enqueued inside the caller's transaction with deterministic ids, and
 * workers over our own connection that stop only once nothing they started is still running.
 */

type Q = Kysely<DB> | Transaction<DB>;

/** Migration 0016 creates pg-boss's schema; each timer's migration creates its queue. */
export const BOSS_SCHEMA = 'pgboss';

/** Where the timers say what they did: ids, codes and outcomes only, never a name. */
export interface TimerLog {
  info(o: object, msg: string): void;
  warn(o: object, msg: string): void;
}
export const quietLog: TimerLog = { info: () => {}, warn: () => {} };

/** pg-boss's way into the caller's transaction, so timers commit or fail with what scheduled them. */
function within(tx: Q): PgBoss.Db {
  return { executeSql: (text, values) => tx.executeQuery(CompiledQuery.raw(text, values ?? [])) };
}

/**
 * pg-boss's way into our own connections (PGlite has only one). Its maintenance sends BEGIN ... COMMIT
 * in one string: when that fails part-way, the transaction is rolled back on the same connection, which
 * would otherwise be handed back still inside the failed transaction and refuse everything after.
 */
export function pgBossDb(db: Kysely<DB>, track: <T>(p: Promise<T>) => Promise<T> = (p) => p): PgBoss.Db {
  return {
    executeSql: (text, values) => track(db.connection().execute(async (c) => {
      try {
        return await c.executeQuery(CompiledQuery.raw(text, values ?? []));
      } catch (e) {
        if (/^\s*BEGIN\b/i.test(text)) await c.executeQuery(CompiledQuery.raw('ROLLBACK')).catch(() => {});
        throw e;
      }
    })),
  };
}

// Enqueueing needs no running pg-boss: an instance that is never started writes the jobs through
// whatever transaction it is handed.
let enqueuer: PgBoss | undefined;
const enqueuerOf = () =>
  (enqueuer ??= new PgBoss({ db: { executeSql: () => Promise.reject(new Error('pg-boss enqueuer runs only in a given transaction')) }, schema: BOSS_SCHEMA, schedule: false, supervise: false, migrate: false }));

/** The same timer always gets the same job id (a UUID from its identity), so enqueueing it again adds nothing while the job is kept. */
export function jobIdFor(identity: string): string {
  const h = createHash('sha256').update(identity).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface TimerJobAt {
  /** What makes this timer this one: its job id is derived from it. */
  identity: string;
  at: Date;
  data: object;
}

/** Enqueues timers in the caller's transaction (or on its own connection), 500 at a time. */
export async function enqueueTimers(q: Q, queue: string, timers: TimerJobAt[]): Promise<void> {
  for (let i = 0; i < timers.length; i += 500) {
    const jobs = timers.slice(i, i + 500).map((t) => ({ id: jobIdFor(t.identity), name: queue, startAfter: new Date(t.at), data: t.data }));
    await enqueuerOf().insert(jobs, { db: within(q) });
  }
}

/** One queue's workers: started with the server, stopped before its database closes. */
export class TimerWorkers {
  private boss?: PgBoss;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly pollSeconds: number,
    private readonly queue: string,
    /** How the log names one of these timers, e.g. "clock timer". */
    private readonly name: string,
  ) {}

  /**
   * Starts pg-boss, runs `before` (enqueueing timers missed while no server ran), then works the queue:
   * `run` handles one job's data and returns its outcome for the log. One failure fails the batch, and
   * pg-boss retries it: each handler must act at most once however often it runs.
   */
  async start(log: TimerLog, before: () => Promise<void>, run: (data: unknown) => Promise<{ outcome: string } & object>): Promise<void> {
    if (this.boss) return;
    const boss = new PgBoss({ db: pgBossDb(this.db, (p) => this.track(p)), schema: BOSS_SCHEMA, schedule: false, supervise: true, migrate: true });
    boss.on('error', (e: Error) => log.warn({ error: e.message }, `${this.name}s: pg-boss error`));
    await boss.start();
    this.boss = boss;
    await before();
    await boss.work<unknown>(this.queue, { pollingIntervalSeconds: this.pollSeconds, batchSize: 20 }, async (jobs) => {
      for (const j of jobs) log.info({ job: j.id, ...(await this.track(run(j.data))) }, `${this.name} ran`);
    });
  }

  async stop(): Promise<void> {
    const boss = this.boss;
    if (!boss) return;
    this.boss = undefined;
    await boss.stop({ graceful: true, timeout: 5000 });
    await this.settle();
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    const done = () => this.inFlight.delete(p);
    p.then(done, done);
    return p;
  }

  /**
   * pg-boss does not await a job's completion write, nor a worker's last poll, before `stop` returns:
   * wait until nothing it started is running, so the database can close under it.
   */
  private async settle(): Promise<void> {
    for (let calm = 0; calm < 3; ) {
      if (this.inFlight.size) {
        calm = 0;
        await Promise.allSettled([...this.inFlight]);
      } else {
        calm++;
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  }
}
