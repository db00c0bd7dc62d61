import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.js';
import { notify } from '../notifications/store.js';
import { formatDate, formatDateTime } from '../web/dates.js';
import { enqueueTimers, quietLog, TimerWorkers, type TimerLog } from './timers-boss.js';
import { lockClock, noticeRecipients, recordNotice, timersDue, type ClockAtTimer, type NoticeKind, type TimerDue } from './timers-store.js';

export { pgBossDb, type TimerLog } from './timers-boss.js';

/**
 * Timers for the statutory deadlines: each open clock gets a pg-boss job at its due-soon time and one
 * at its overdue time. The jobs live in the database (migration 0016), so they outlast a restart;
 * each sends its notice at most once, because process_clock_notices records it in the same transaction.
 */

type Q = Kysely<DB> | Transaction<DB>;

/** The queue, created by migration 0016 with its retry and retention settings. */
export const CLOCK_NOTICE_QUEUE = 'process-clock-notice';

const timerJob = z.object({ childId: z.uuid(), clockKey: z.string().min(1), kind: z.enum(['due_soon', 'overdue']) });
export type TimerJob = z.infer<typeof timerJob>;

/** The same timer always gets the same job id, so scheduling it again adds nothing while the job is kept. */
function enqueue(q: Q, due: TimerDue[]): Promise<void> {
  return enqueueTimers(q, CLOCK_NOTICE_QUEUE, due.map((t) => ({
    identity: `${t.child_id}|${t.key}|${t.kind}|${t.at.toISOString()}`, at: t.at, data: { childId: t.child_id, clockKey: t.key, kind: t.kind } satisfies TimerJob,
  })));
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

/** The workers: started with the server, stopped before its database closes. */
export class ClockTimers {
  private readonly workers: TimerWorkers;

  constructor(
    private readonly db: Kysely<DB>,
    pollSeconds: number,
  ) {
    this.workers = new TimerWorkers(db, pollSeconds, CLOCK_NOTICE_QUEUE, 'clock timer');
  }

  /** Starts the workers, first enqueueing any open clock's missing timers (clocks projected before timers ran). */
  start(log: TimerLog = quietLog): Promise<void> {
    return this.workers.start(
      log,
      async () => enqueue(this.db, await timersDue(this.db, null)),
      async (job) => {
        const data = timerJob.parse(job);
        return { kind: data.kind, outcome: await sendClockNotice(this.db, data) };
      },
    );
  }

  stop(): Promise<void> {
    return this.workers.stop();
  }
}
