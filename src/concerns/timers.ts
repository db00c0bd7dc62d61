import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.js';
import { enqueueTimers, quietLog, TimerWorkers, type TimerLog } from '../process/timers-boss.js';
import { deadlineCodes, type Deadline } from './machine.js';
import { stages, type Stage } from './schemas.js';

/**
 * A pg-boss job at each deadline of a concern's current stage (WB1 acknowledge, WB2 action plan).
 * The jobs live in the database (queue created by migration 0018), so they outlast a restart; what a
 * job does when it runs (escalate, or at the last stage tell the chair) is ConcernService's, which
 * records it in the same transaction so that it happens once however often the job runs.
 */

type Q = Kysely<DB> | Transaction<DB>;

export const CONCERN_DEADLINE_QUEUE = 'concern-deadline';

export const deadlineJob = z.object({ concernId: z.uuid(), stage: z.enum(stages), code: z.enum(deadlineCodes) });
export type DeadlineJob = z.infer<typeof deadlineJob>;

/** What a job did: acted ('escalated', 'notified') or found nothing to do. */
export type DeadlineOutcome = 'escalated' | 'notified' | 'already_done' | 'met' | 'moved_on' | 'closed' | 'gone';

/** A timer the current stage of an open concern still needs. */
export interface PendingTimer {
  concernId: string;
  stage: Stage;
  deadline: Deadline;
}

/** Enqueues a stage's timers in the caller's transaction: they commit or fail with the step that started the stage. */
export function scheduleConcernTimers(q: Q, timers: PendingTimer[]): Promise<void> {
  return enqueueTimers(q, CONCERN_DEADLINE_QUEUE, timers.map((t) => ({
    identity: `concern|${t.concernId}|${t.stage}|${t.deadline.code}|${t.deadline.overdue_at}`,
    at: new Date(t.deadline.overdue_at),
    data: { concernId: t.concernId, stage: t.stage, code: t.deadline.code } satisfies DeadlineJob,
  })));
}

/** What the workers call: ConcernService, handed in by the composition root. */
export interface DeadlineHandler {
  pendingTimers(): Promise<PendingTimer[]>;
  deadlineReached(job: DeadlineJob): Promise<DeadlineOutcome>;
}

/** The workers: started with the server next to the process clocks' timers, stopped before the database closes. */
export class ConcernTimers {
  private readonly workers: TimerWorkers;

  constructor(
    private readonly db: Kysely<DB>,
    pollSeconds: number,
    private readonly handler: DeadlineHandler,
  ) {
    this.workers = new TimerWorkers(db, pollSeconds, CONCERN_DEADLINE_QUEUE, 'concern timer');
  }

  /** Starts the workers, first enqueueing any timer an open concern is missing (enqueueing one twice adds nothing). */
  start(log: TimerLog = quietLog): Promise<void> {
    return this.workers.start(
      log,
      async () => scheduleConcernTimers(this.db, await this.handler.pendingTimers()),
      async (data) => {
        const job = deadlineJob.parse(data);
        return { stage: job.stage, code: job.code, outcome: await this.handler.deadlineReached(job) };
      },
    );
  }

  stop(): Promise<void> {
    return this.workers.stop();
  }
}
