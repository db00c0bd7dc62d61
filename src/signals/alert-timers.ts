import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.js';
import { enqueueTimers, quietLog, TimerWorkers, type TimerJobAt, type TimerLog } from '../process/timers-boss.js';
import { LAST_STAGE, type Alert } from './alert.js';
import { openAlertDeadlines } from './alert-store.js';

/** The queues migration 0024 creates: one job per alert and stage at its deadline; the absence rules' sweep. */
export const ALERT_QUEUE = 'alert-deadline';
export const SWEEP_QUEUE = 'signal-sweep';
const job = z.object({ childId: z.uuid(), alertId: z.uuid(), stage: z.number().int().min(1).max(LAST_STAGE) });

const timerOf = (childId: string, id: string, stage: number, at: Date): TimerJobAt => ({
  identity: `alert|${id}|${stage}`, at, data: { childId, alertId: id, stage } satisfies z.infer<typeof job>,
});

/** Schedules the stage's escalation at its deadline, in the change's transaction (enqueueing again adds nothing). */
export async function scheduleAlertTimer(tx: Transaction<DB>, childId: string, a: Alert): Promise<void> {
  if (a.status !== 'open' || !a.deadline || a.stage >= LAST_STAGE) return;
  await enqueueTimers(tx, ALERT_QUEUE, [timerOf(childId, a.id, a.stage, new Date(a.deadline.escalates_at))]);
}

export interface Escalator { escalateOverdue(childId: string, alertId: string, stage: number): Promise<'escalated' | 'moved_on'> }

/** The workers: an alert still unanswered at its stage's deadline escalates, once (the escalating transaction checks the stage). */
export class AlertTimers {
  private readonly workers: TimerWorkers;

  constructor(private readonly db: Kysely<DB>, pollSeconds: number, private readonly alerts: Escalator) {
    this.workers = new TimerWorkers(db, pollSeconds, ALERT_QUEUE, 'alert timer');
  }

  start(log: TimerLog = quietLog): Promise<void> {
    return this.workers.start(log, () => this.catchUp(), async (data) => {
      const j = job.parse(data);
      return { stage: j.stage, outcome: await this.alerts.escalateOverdue(j.childId, j.alertId, j.stage) };
    });
  }

  stop(): Promise<void> {
    return this.workers.stop();
  }

  /** Every open stage's timer, in case one was never enqueued. */
  private async catchUp(): Promise<void> {
    const rows = await openAlertDeadlines(this.db);
    await enqueueTimers(this.db, ALERT_QUEUE, rows.map((r) => timerOf(r.child_id, r.id, r.stage, r.stage_due_at)));
  }
}

/**
 * The absence rules (a child not seen, a timescale breached) find patterns in what has not been
 * recorded, so no entry can raise them: a sweep runs every `everySeconds` on the shared timers. Each
 * run enqueues the next (one job per time slot, so two servers enqueue it once).
 */
export class SignalSweep {
  private readonly workers: TimerWorkers;

  constructor(private readonly db: Kysely<DB>, pollSeconds: number, private readonly everySeconds: number, private readonly sweep: (now: Date) => Promise<number>) {
    this.workers = new TimerWorkers(db, pollSeconds, SWEEP_QUEUE, 'signal sweep');
  }

  start(log: TimerLog = quietLog): Promise<void> {
    return this.workers.start(log, () => this.next(new Date()), async () => {
      const raised = await this.sweep(new Date());
      await this.next(new Date(Date.now() + this.everySeconds * 1000));
      return { outcome: `${raised} alerts raised or added to` };
    });
  }

  stop(): Promise<void> {
    return this.workers.stop();
  }

  private next(at: Date): Promise<void> {
    const slot = Math.floor(at.getTime() / (this.everySeconds * 1000));
    return enqueueTimers(this.db, SWEEP_QUEUE, [{ identity: `sweep|${this.everySeconds}|${slot}`, at, data: { slot } }]);
  }
}
