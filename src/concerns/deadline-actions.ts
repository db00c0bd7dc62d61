import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { startStage } from './ladder.js';
import { fold, isMet, missedDeadline, stagesAbove, type ConcernEvent, type ConcernState } from './machine.js';
import { tellOverdue } from './notices.js';
import { databaseNow, deadlineActions, eventsOf, lockConcern, openConcernIds, recordDeadlineAction, type ConcernRow } from './store.js';
import { scheduleConcernTimers, type DeadlineJob, type DeadlineOutcome, type PendingTimer } from './timers.js';

type RecordEvent = (tx: Transaction<DB>, row: ConcernRow, before: ConcernEvent[], e: Omit<ConcernEvent, 'seq'>) => Promise<ConcernState>;

/**
 * A deadline of a concern's stage has come (a timer job), in one transaction holding the concern:
 * nothing happens if it was closed, moved on or the deadline met; otherwise the missed deadline is
 * recorded once (concern_deadline_actions) and the concern escalates by itself to the next stage
 * that has someone to answer, everyone involved told. At the partnership, the last stage, the chair
 * and the raiser are told instead.
 */
export async function deadlineReached(db: Kysely<DB>, job: DeadlineJob, clock: () => Date, record: RecordEvent): Promise<DeadlineOutcome> {
  return db.transaction().execute(async (tx) => {
    const row = await lockConcern(tx, job.concernId);
    if (!row) return 'gone';
    const events = (await eventsOf(tx, [row.id])).get(row.id)!;
    const state = fold(events);
    if (!state.open) return 'closed';
    const deadline = state.deadlines.find((d) => d.code === job.code);
    if (state.stage !== job.stage || !deadline) return 'moved_on';
    if (isMet(state, job.code)) return 'met';
    // pg-boss starts a job once its time has passed on the database's clock, which this reads too.
    const dbNow = await databaseNow(tx);
    if (Date.parse(deadline.overdue_at) > dbNow.getTime()) throw new Error('A concern timer ran before its deadline; it will be retried');
    // When both deadlines have passed, whichever job runs first acts on the earlier one: the same record either way.
    const missed = missedDeadline(state, dbNow) ?? deadline;
    const last = state.stage === 'partnership';
    // At the last stage each missed deadline is told once; below it, the first escalates and the stage moves on.
    const acted = last ? deadline : missed;
    if (!(await recordDeadlineAction(tx, row.id, state.stage, acted.code, last ? 'notified' : 'escalated'))) return 'already_done';
    const now = clock();
    if (last) {
      await tellOverdue(tx, row, state, deadline, now);
      return 'notified';
    }
    const start = await startStage(tx, row, stagesAbove(state.stage), now);
    await record(tx, row, events, { type: 'escalated', at: now, actorId: null, byRaiser: false, data: { ...start, from: state.stage, automatic: true, missed: missed.code } });
    await scheduleConcernTimers(tx, start.deadlines.map((d) => ({ concernId: row.id, stage: start.stage, deadline: d })));
    return 'escalated';
  });
}

/** The timers open concerns still need: each unmet deadline of the current stage not yet acted on. */
export async function pendingTimers(db: Kysely<DB>): Promise<PendingTimer[]> {
  const ids = await openConcernIds(db);
  const [events, acted] = [await eventsOf(db, ids), await deadlineActions(db, ids)];
  return ids.flatMap((id) => {
    const s = fold(events.get(id)!);
    return s.deadlines.filter((d) => !isMet(s, d.code) && !acted.has(`${id}|${s.stage}|${d.code}`)).map((deadline) => ({ concernId: id, stage: s.stage, deadline }));
  });
}
