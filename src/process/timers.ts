import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.js';
import { notify } from '../notifications/store.js';
import { formatDate, formatDateTime } from '../web/dates.js';
import { lockClock, noticeRecipients, recordNotice, timersDue, type ClockAtTimer, type NoticeKind, type TimerDue } from './timers-store.js';

/**
 * Timers for the statutory deadlines: each open clock gets a pg-boss job at its due-soon time and one
 * at its overdue time. The jobs live in the database (migration 0016), so they outlast a restart;
 * each sends its notice at most once, because process_clock_notices records it in the same transaction.
 */

type Q = Kysely<DB> | Transaction<DB>;

/** The queue, created by migration 0016 with its retry and retention settings. */
export const CLOCK_NOTICE_QUEUE = 'process-clock-notice';
const SCHEMA = 'pgboss';

const timerJob = z.object({ childId: z.uuid(), clockKey: z.string().min(1), kind: z.enum(['due_soon', 'overdue']) });
export type TimerJob = z.infer<typeof timerJob>;

/** pg-boss's way into the caller's transaction, so a step's timers commit or fail with the step. */
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
  (enqueuer ??= new PgBoss({ db: { executeSql: () => Promise.reject(new Error('pg-boss enqueuer runs only in a given transaction')) }, schema: SCHEMA, schedule: false, supervise: false, migrate: false }));

/** The same timer always gets the same job id, so scheduling it again adds nothing while the job is kept. */
function jobId(t: TimerDue): string {
  const h = createHash('sha256').update(`${t.child_id}|${t.key}|${t.kind}|${t.at.toISOString()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

async function enqueue(q: Q, due: TimerDue[]): Promise<void> {
  for (let i = 0; i < due.length; i += 500) {
    const jobs = due.slice(i, i + 500).map((t) => ({
      id: jobId(t), name: CLOCK_NOTICE_QUEUE, startAfter: new Date(t.at), data: { childId: t.child_id, clockKey: t.key, kind: t.kind } satisfies TimerJob,
    }));
    await enqueuerOf().insert(jobs, { db: within(q) });
  }
}

/**
 * Enqueues the due-soon and overdue timers of each open clock of the child that still needs them, in
 * the caller's transaction (a step's, after its projection is written). Clocks already past fire at
 * once; calling it again for the same clocks adds nothing.
 */
export async function scheduleClockTimers(tx: Transaction<DB>, childId: string): Promise<void> {
  await enqueue(tx, await timersDue(tx, childId));
}

export type NoticeOutcome = 'sent' | 'already_sent' | 'closed' | 'superseded';

/**
 * One timer's work, in one transaction: the clock is read again (met or no longer needed: nothing is
 * sent; overdue already: the due-soon notice gives way to the overdue one), the notice is recorded,
 * and only if this job recorded it are its recipients notified.
 */
export async function sendClockNotice(db: Kysely<DB>, job: TimerJob): Promise<NoticeOutcome> {
  return db.transaction().execute(async (tx) => {
    const c = await lockClock(tx, job.childId, job.clockKey, job.kind);
    if (!c || !c.open) return 'closed';
    // pg-boss starts a job only once its time has passed on the database's clock, which this reads too.
    if (!c.reached) throw new Error('A clock timer ran before its time; it will be retried');
    if (job.kind === 'due_soon' && c.overdue) return 'superseded';
    const to = await noticeRecipients(tx, c, job.kind);
    if (!(await recordNotice(tx, c, job.kind, to.length))) return 'already_sent';
    await notify(tx, to, { kind: `deadline_${job.kind}`, childId: c.child_id, ...noticeText(c, job.kind) });
    return 'sent';
  });
}

function noticeText(c: ClockAtTimer, kind: NoticeKind): { title: string; body: string } {
  const by = c.due_at ? `${formatDateTime(c.due_at)} (UK time)` : formatDate(c.due_on);
  return kind === 'due_soon'
    ? { title: `Due soon: ${c.label}`, body: `${c.label} (${c.code}) is due by ${by}.` }
    : { title: `Overdue: ${c.label}`, body: `${c.label} (${c.code}) was due by ${by} and has not been recorded.` };
}

/** Where the timers say what they did: ids, codes and outcomes only, never a name. */
export interface TimerLog {
  info(o: object, msg: string): void;
  warn(o: object, msg: string): void;
}
const quiet: TimerLog = { info: () => {}, warn: () => {} };

/** The workers: started with the server, stopped before its database closes. */
export class ClockTimers {
  private boss?: PgBoss;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly pollSeconds: number,
  ) {}

  /** Starts the workers, first enqueueing any open clock's missing timers (clocks projected before timers ran). */
  async start(log: TimerLog = quiet): Promise<void> {
    if (this.boss) return;
    const boss = new PgBoss({ db: pgBossDb(this.db, (p) => this.track(p)), schema: SCHEMA, schedule: false, supervise: true, migrate: true });
    boss.on('error', (e: Error) => log.warn({ error: e.message }, 'clock timers: pg-boss error'));
    await boss.start();
    this.boss = boss;
    await enqueue(this.db, await timersDue(this.db, null));
    await boss.work<unknown>(CLOCK_NOTICE_QUEUE, { pollingIntervalSeconds: this.pollSeconds, batchSize: 20 }, async (jobs) => {
      // One failure fails the batch, and pg-boss retries it: the notices already recorded are not sent again.
      for (const j of jobs) {
        const data = timerJob.parse(j.data);
        const outcome = await this.track(sendClockNotice(this.db, data));
        log.info({ job: j.id, kind: data.kind, outcome }, 'clock timer ran');
      }
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
