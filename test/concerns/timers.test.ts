import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Services } from '../../src/app.js';
import type { TimerLog } from '../../src/process/timers-boss.js';
import { raiseInput } from '../../src/concerns/schemas.js';
import { ConcernService } from '../../src/concerns/service.js';
import { CONCERN_DEADLINE_QUEUE, ConcernTimers } from '../../src/concerns/timers.js';
import { onPostgres, testServices } from '../support/db.js';
import type { World } from '../support/fixtures.js';
import { concernNotices, concernWorld, staffing, trailTypes } from './support.js';

/**
 * Real pg-boss workers. The concern is raised on a clock weeks in the past, so every deadline the
 * rules give has already passed on the database's clock and each timer fires at once: a concern
 * nobody answers climbs the whole ladder by itself, and each step happens once.
 */
const POLL_SECONDS = 0.5;
const warnings: object[] = [];
const log: TimerLog = { info: () => {}, warn: (o) => warnings.push(o) };

let s: Services;
let w: World;
let svc: ConcernService;
beforeAll(async () => {
  s = await testServices();
  w = await concernWorld(s);
  svc = new ConcernService(s.database.db, () => new Date('2026-10-01T09:00:00Z'));
});
afterAll(async () => {
  await s.database.close();
});

/** Waits, polling, until `check` passes (its last failure is the error when it never does). */
const until = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 20_000, interval: 100 });

const actions = async (id: string) =>
  (await sql<{ a: string }>`SELECT stage || ' ' || code || ' ' || outcome AS a FROM concern_deadline_actions WHERE concern_id = ${id} ORDER BY acted_at, stage, code`.execute(s.database.db)).rows.map((r) => r.a).sort();
const jobStates = async (id: string) =>
  (await sql<{ state: string }>`SELECT state::text AS state FROM pgboss.job WHERE name = ${CONCERN_DEADLINE_QUEUE} AND data->>'concernId' = ${id}`.execute(s.database.db)).rows.map((r) => r.state);
const allDone = async (id: string) => {
  const states = await jobStates(id);
  return states.length > 0 && states.every((x) => x === 'completed');
};
const everyAction = ['director WB1 escalated', 'head WB1 escalated', 'partnership WB1 notified', 'partnership WB2 notified'];

describe(`concern timers with real workers (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('escalate an unanswered concern from the head to the director to the partnership, then tell the chair it is overdue, each once', async () => {
    const c = (await svc.raise(w.actors.worker, raiseInput.parse(staffing(w, { sealed: true })))).body;
    const timers = new ConcernTimers(s.database.db, POLL_SECONDS, svc);
    await timers.start(log);
    try {
      await until(async () => expect(await actions(c.id)).toHaveLength(4));
      await until(async () => expect(await allDone(c.id)).toBe(true));
    } finally {
      await timers.stop();
    }
    // The head's WB2 and the director's WB2 found their stage moved on, and did nothing.
    expect(await actions(c.id)).toEqual(everyAction);
    const read = await svc.get(w.actors.chair, c.id);
    expect(read.stage).toBe('partnership');
    expect(trailTypes(read)).toEqual(['raised', 'escalated', 'escalated']);
    expect(read.trail.slice(1).map((t) => t.by)).toEqual(['Sightline (automatic)', 'Sightline (automatic)']);

    const kinds = async (who: string) => (await concernNotices(s, w.actors[who])).map((n) => n.split(':')[0]).sort();
    expect(await kinds('chair')).toEqual(['concern_escalated', 'concern_overdue', 'concern_overdue']);
    expect(await kinds('worker')).toEqual(['concern_escalated', 'concern_escalated', 'concern_overdue', 'concern_overdue']);
    expect(await kinds('director')).toEqual(['concern_escalated', 'concern_escalated']);
    expect(await kinds('head')).toEqual(['concern_escalated', 'concern_escalated', 'concern_raised']);
    expect(await kinds('manager')).toEqual([]);
    expect(warnings).toEqual([]);

    // After a restart nothing is left to do: the timers schedule nothing new and a repeated job acts no more.
    const again = new ConcernTimers(s.database.db, POLL_SECONDS, svc);
    expect(await svc.pendingTimers()).toEqual([]);
    await again.start(log);
    await new Promise((r) => setTimeout(r, 1500));
    await again.stop();
    expect(await svc.deadlineReached({ concernId: c.id, stage: 'partnership', code: 'WB1' })).toBe('already_done');
    expect(await actions(c.id)).toEqual(everyAction);
    expect(await kinds('chair')).toHaveLength(3);
  });

  it('re-enqueue at start-up a timer whose job was lost while no server ran', async () => {
    const c = (await svc.raise(w.actors.teammate, raiseInput.parse(staffing(w, { category: 'unfit_unit', service: 'Family centre' })))).body;
    await sql`DELETE FROM pgboss.job WHERE name = ${CONCERN_DEADLINE_QUEUE} AND data->>'concernId' = ${c.id}`.execute(s.database.db);
    expect((await svc.pendingTimers()).filter((t) => t.concernId === c.id).map((t) => `${t.stage} ${t.deadline.code}`)).toEqual(['head WB1', 'head WB2']);
    const timers = new ConcernTimers(s.database.db, POLL_SECONDS, svc);
    await timers.start(log);
    try {
      await until(async () => expect(await actions(c.id)).toContain('partnership WB2 notified'));
      await until(async () => expect(await allDone(c.id)).toBe(true));
    } finally {
      await timers.stop();
    }
    expect(await actions(c.id)).toEqual(everyAction);
    expect(warnings).toEqual([]);
  });
});
