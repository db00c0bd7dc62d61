import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.js';
import { enqueueTimers, quietLog, TimerWorkers, type TimerJobAt, type TimerLog } from '../process/timers-boss.js';
import type { Disagreement } from './disagreement.js';
import type { DisagreementService } from './disagreement-service.js';

/** The queue migration 0019 creates: one job per disagreement and stage, at the stage's deadline. */
export const DISAGREEMENT_QUEUE = 'disagreement-deadline';
const job = z.object({ childId: z.uuid(), disagreementId: z.uuid(), stage: z.number().int().min(1).max(4) });

const timerOf = (childId: string, id: string, stage: number, at: Date): TimerJobAt => ({
  identity: `disagreement|${id}|${stage}`, at, data: { childId, disagreementId: id, stage } satisfies z.infer<typeof job>,
});

/** Schedules the stage's escalation at its deadline, in the change's transaction (again: a no-op). */
export async function scheduleStageTimer(tx: Transaction<DB>, childId: string, d: Disagreement): Promise<void> {
  if (d.status !== 'awaiting_response' || !d.deadline || d.stage >= 4) return;
  await enqueueTimers(tx, DISAGREEMENT_QUEUE, [timerOf(childId, d.id, d.stage, new Date(d.deadline.escalates_at))]);
}

/** The workers: a stage still unanswered at its deadline escalates, once (the escalating transaction checks the stage). */
export class DisagreementTimers {
  private readonly workers: TimerWorkers;

  constructor(private readonly db: Kysely<DB>, pollSeconds: number, private readonly service: DisagreementService) {
    this.workers = new TimerWorkers(db, pollSeconds, DISAGREEMENT_QUEUE, 'disagreement timer');
  }

  start(log: TimerLog = quietLog): Promise<void> {
    return this.workers.start(log, () => this.catchUp(), async (data) => {
      const j = job.parse(data);
      return { stage: j.stage, outcome: await this.service.escalateOverdue(j.childId, j.disagreementId, j.stage) };
    });
  }

  stop(): Promise<void> {
    return this.workers.stop();
  }

  /** Every open stage's timer, in case one was never enqueued (enqueueing again adds nothing). */
  private async catchUp(): Promise<void> {
    const rows = await sql<{ id: string; child_id: string; stage: number; stage_due_at: Date }>`SELECT id, child_id, stage, stage_due_at FROM disagreements
      WHERE status = 'awaiting_response' AND stage < 4 AND stage_due_at IS NOT NULL`.execute(this.db);
    await enqueueTimers(this.db, DISAGREEMENT_QUEUE, rows.rows.map((r) => timerOf(r.child_id, r.id, r.stage, r.stage_due_at)));
  }
}
