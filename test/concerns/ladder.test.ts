import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src/app.js';
import { raiseInput, stepInput, type ConcernView } from '../../src/concerns/schemas.js';
import { ConcernService } from '../../src/concerns/service.js';
import { CONCERN_DEADLINE_QUEUE } from '../../src/concerns/timers.js';
import { DomainError } from '../../src/errors.js';
import { londonDate } from '../../src/process/dates.js';
import { ProcessRules } from '../../src/process/service.js';
import { onPostgres, testServices } from '../support/db.js';
import type { World } from '../support/fixtures.js';
import { concernNotices, concernWorld, staffing, trailTypes } from './support.js';

/**
 * The whole ladder, on a clock the test moves: raised with the accountable head, acknowledged, the
 * action plan missed so it escalates by itself to the director, the director silent so it escalates
 * to the partnership, where the independent chair answers and closes it. The timer jobs are driven
 * directly here (timers.test.ts runs real workers).
 */
let s: Services;
let w: World;
let now: Date;
let svc: ConcernService;
beforeAll(async () => {
  s = await testServices();
  w = await concernWorld(s);
  svc = new ConcernService(s.database.db, () => now);
});
afterAll(async () => {
  await s.database.close();
});

const step = (who: string, id: string, body: Record<string, unknown>) => svc.step(w.actors[who], id, stepInput.parse(body)).then((r) => r.body);
const refused = async (p: Promise<unknown>) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(DomainError);
  return { status: (err as DomainError).status, message: (err as DomainError).message };
};
const eventCount = async (id: string) => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM concern_events WHERE concern_id = ${id}`.execute(s.database.db)).rows[0].n);
const jobs = async (id: string) =>
  (await sql<{ stage: string; code: string; start_after: Date }>`SELECT data->>'stage' AS stage, data->>'code' AS code, start_after FROM pgboss.job
    WHERE name = ${CONCERN_DEADLINE_QUEUE} AND data->>'concernId' = ${id} ORDER BY start_after, code`.execute(s.database.db)).rows
    .map((j) => `${j.stage} ${j.code} ${j.start_after.toISOString()}`);

describe(`the escalation ladder (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let c: ConcernView;

  it('starts with the accountable head, with WB1 and WB2 from the rules and a timer at each deadline', async () => {
    now = new Date('2026-03-02T10:00:00Z'); // a Monday
    c = (await svc.raise(w.actors.worker, raiseInput.parse(staffing(w, { subject_id: w.actors.manager.id, sealed: true })))).body;
    expect(c).toMatchObject({ stage: 'head', status: 'open', raised_by: 'Test worker (you)', identity_sealed: true, raised_by_you: true, actions: ['update', 'escalated'] });
    expect(c.accountable.map((p) => p.name)).toEqual(['Test head']);
    // 2 and 10 working days, counted from the day after: Wednesday 4 and Monday 16 March; missed at the next UK midnight.
    expect(c.deadlines.map((d) => `${d.code} ${d.due_on} ${d.overdue_at} ${d.met}`)).toEqual([
      'WB1 2026-03-04 2026-03-05T00:00:00.000Z false',
      'WB2 2026-03-16 2026-03-17T00:00:00.000Z false',
    ]);
    expect(await jobs(c.id)).toEqual(['head WB1 2026-03-05T00:00:00.000Z', 'head WB2 2026-03-17T00:00:00.000Z']);
    expect(await concernNotices(s, w.actors.head)).toEqual([`concern_raised: ${c.reference}: a concern about a service for you to answer`]);
    // Nobody else is told yet: the director and the chair come in only if it escalates.
    expect(await concernNotices(s, w.actors.director)).toEqual([]);
    expect(await concernNotices(s, w.actors.manager)).toEqual([]);
  });

  it('lets only the accountable head acknowledge, and tells the raiser', async () => {
    now = new Date('2026-03-03T09:00:00Z');
    expect(await refused(step('director', c.id, { type: 'acknowledged' }))).toMatchObject({ status: 403, message: expect.stringContaining('Only the person accountable at its current stage') });
    expect(await refused(step('head', c.id, { type: 'action_plan', plan: 'Recruit.' }))).toEqual({ status: 409, message: 'Acknowledge the concern before giving an action plan.' });
    c = await step('head', c.id, { type: 'acknowledged', note: 'Looking at the rota this week.' });
    expect(await refused(step('head', c.id, { type: 'acknowledged' }))).toEqual({ status: 409, message: 'This concern is already acknowledged at its current stage.' });
    expect(c.deadlines.map((d) => d.met)).toEqual([true, false]);
    expect(await concernNotices(s, w.actors.worker)).toEqual([`concern_acknowledged: ${c.reference} acknowledged`]);
    expect(await svc.deadlineReached({ concernId: c.id, stage: 'head', code: 'WB1' })).toBe('met');
  });

  it('escalates by itself to the director when the action plan is missed, once, telling everyone involved', async () => {
    now = new Date('2026-03-17T08:00:00Z');
    expect(await svc.deadlineReached({ concernId: c.id, stage: 'head', code: 'WB2' })).toBe('escalated');
    // A retried or duplicated job finds the stage moved on, and acts no more.
    expect(await svc.deadlineReached({ concernId: c.id, stage: 'head', code: 'WB2' })).toBe('moved_on');
    expect(await svc.deadlineReached({ concernId: c.id, stage: 'head', code: 'WB1' })).toBe('moved_on');
    c = await svc.get(w.actors.worker, c.id);
    expect(c.stage).toBe('director');
    expect(c.accountable.map((p) => p.name)).toEqual(['Test director']);
    // From Tuesday 17 March: WB2's tenth working day is 31 March, after the clocks go forward, so it is missed at 23:00 UTC.
    expect(c.deadlines.map((d) => `${d.code} ${d.due_on} ${d.overdue_at}`)).toEqual(['WB1 2026-03-19 2026-03-20T00:00:00.000Z', 'WB2 2026-03-31 2026-03-31T23:00:00.000Z']);
    const last = c.trail.at(-1)!;
    expect(last).toMatchObject({ type: 'escalated', by: 'Sightline (automatic)' });
    expect(last.text).toContain('the action plan due from the accountable head of service was not given in time');
    expect(last.text).toContain("Now with the director of children's services (Test director)");
    expect(await jobs(c.id)).toContain('director WB1 2026-03-20T00:00:00.000Z');
    for (const who of ['worker', 'head', 'director']) {
      expect((await concernNotices(s, w.actors[who])).filter((n) => n.startsWith('concern_escalated')), who).toEqual([`concern_escalated: ${c.reference} escalated to the director of children's services`]);
    }
    expect(await refused(step('head', c.id, { type: 'closed', resolution: 'Sorted.' }))).toMatchObject({ status: 403 });
  });

  it('escalates again to the partnership when the director does not acknowledge', async () => {
    now = new Date('2026-03-20T09:00:00Z');
    expect(await svc.deadlineReached({ concernId: c.id, stage: 'director', code: 'WB1' })).toBe('escalated');
    c = await svc.get(w.actors.chair, c.id);
    expect(c).toMatchObject({ stage: 'partnership', accountable: [{ name: 'Test chair' }] });
    expect(await concernNotices(s, w.actors.chair)).toEqual([`concern_escalated: ${c.reference} escalated to the safeguarding partnership (independent chair)`]);
    expect(await refused(step('worker', c.id, { type: 'escalated', reason: 'Still nothing.' }))).toEqual({ status: 409, message: 'This concern is already with the safeguarding partnership, the last stage.' });
  });

  it('is closed only by the accountable chair, never by the person it is about, the raiser or an earlier rung', async () => {
    now = new Date('2026-03-23T09:00:00Z');
    c = await step('chair', c.id, { type: 'acknowledged' });
    now = new Date('2026-03-23T09:05:00Z');
    c = await step('chair', c.id, { type: 'action_plan', plan: 'Interim agency staff from April; weekly review with the director.' });
    now = new Date('2026-03-23T09:10:00Z');
    c = await step('worker', c.id, { type: 'update', text: 'Two visits were missed again this week.' });
    const before = await eventCount(c.id);
    expect(await refused(step('manager', c.id, { type: 'closed', resolution: 'Nothing wrong.' }))).toEqual({ status: 403, message: 'A concern cannot be closed by the person it is about.' });
    for (const who of ['worker', 'director', 'head', 'auditor']) {
      expect(await refused(step(who, c.id, { type: 'closed', resolution: 'Done.' })), who).toMatchObject({ status: 403, message: expect.stringContaining('Only the person accountable at its current stage') });
    }
    expect(await eventCount(c.id)).toBe(before);

    now = new Date('2026-04-02T09:00:00Z');
    c = await step('chair', c.id, { type: 'closed', resolution: 'Two permanent posts filled; visits back on schedule, checked by audit.' });
    expect(c).toMatchObject({ status: 'closed', actions: [], resolution: { text: 'Two permanent posts filled; visits back on schedule, checked by audit.', by: 'Test chair', stage: 'partnership' } });
    expect(await refused(step('chair', c.id, { type: 'update', text: 'More.' }))).toMatchObject({ status: 409, message: expect.stringContaining('This concern is closed') });
    expect(await svc.deadlineReached({ concernId: c.id, stage: 'partnership', code: 'WB2' })).toBe('closed');

    // Closed, it stays readable with its whole trail; the raiser was told of each step.
    const read = await svc.get(w.actors.worker, c.id);
    expect(trailTypes(read)).toEqual(['raised', 'acknowledged', 'escalated', 'escalated', 'acknowledged', 'action_plan', 'update', 'closed']);
    expect((await concernNotices(s, w.actors.worker)).map((n) => n.split(':')[0])).toEqual([
      'concern_acknowledged', 'concern_escalated', 'concern_escalated', 'concern_acknowledged', 'concern_action_plan', 'concern_closed',
    ]);
  });

  it('refuses to rewrite a concern or its trail in the database', async () => {
    await expect(sql`UPDATE concern_events SET data = '{}' WHERE concern_id = ${c.id}`.execute(s.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM concern_events WHERE concern_id = ${c.id}`.execute(s.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE concerns SET sealed = false WHERE id = ${c.id}`.execute(s.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM concern_raisers WHERE concern_id = ${c.id}`.execute(s.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE concern_events`.execute(s.database.db)).rejects.toThrow(/append-only/);
  });
});

describe('where the ladder starts', () => {
  it('passes over a head who is the person the concern is about: the director answers, and the head can never close it', async () => {
    now = new Date('2026-05-04T09:00:00Z');
    const c = (await svc.raise(w.actors.teammate, raiseInput.parse(staffing(w, { subject_id: w.actors.head.id, category: 'unsafe_practice' })))).body;
    expect(c).toMatchObject({ stage: 'director', accountable: [{ name: 'Test director' }], about: { name: 'Test head' } });
    expect(c.trail[0].text).toContain('Passed over (nobody else to answer there): accountable head of service');
    expect(await refused(step('head', c.id, { type: 'closed', resolution: 'Unfounded.' }))).toEqual({ status: 403, message: 'A concern cannot be closed by the person it is about.' });
    const closed = await step('director', c.id, { type: 'closed', resolution: 'Referred to HR; practice reviewed.' });
    expect(closed.status).toBe('closed');
  });

  it('needs the accountable person named for an agency with no head of service, and never the raiser', async () => {
    const police = staffing(w, { agency_id: w.police, service: 'Public protection unit' });
    expect(await refused(svc.raise(w.actors.hv, raiseInput.parse(police)))).toMatchObject({ status: 422, message: expect.stringContaining('Northmoor Police has no head of service in Sightline') });
    expect(await refused(svc.raise(w.actors.hv, raiseInput.parse({ ...police, head_id: w.actors.hv.id })))).toMatchObject({ status: 422, message: 'You cannot be accountable for a concern you raise.' });
    const c = (await svc.raise(w.actors.hv, raiseInput.parse({ ...police, head_id: w.actors.police.id }))).body;
    // A police service has no director of children's services above it: a missed deadline goes to the partnership.
    expect(c).toMatchObject({ stage: 'head', accountable: [{ name: 'Test police' }] });
    now = new Date('2026-05-08T09:00:00Z');
    expect(await svc.deadlineReached({ concernId: c.id, stage: 'head', code: 'WB1' })).toBe('escalated');
    const up = await svc.get(w.actors.hv, c.id);
    expect(up.stage).toBe('partnership');
    expect(up.trail.at(-1)!.text).toContain("Passed over (nobody else to answer there): director of children's services");
  });
});

describe('deadlines as rules', () => {
  it('follow the local authority’s own WB1 once its administrator sets one, and the national default elsewhere', async () => {
    const rules = new ProcessRules(s.database.db);
    const today = londonDate(new Date());
    await rules.addLocalOverride(w.actors.admin, {
      locality: w.la, code: 'WB1', amount: 5, unit: 'working_days', convention: 'working-days:t0-is-day-0',
      source: 'Northmoor whistleblowing procedure 2026, 3.2: acknowledge within 5 working days', effective_from: today,
    });
    const live = new ConcernService(s.database.db);
    const ours = (await live.raise(w.actors.worker, raiseInput.parse(staffing(w)))).body;
    const police = (await live.raise(w.actors.worker, raiseInput.parse(staffing(w, { agency_id: w.police, head_id: w.actors.police.id })))).body;
    const expected = async (locality?: string) => (await rules.due({ rule: 'WB1', start: today, locality, jurisdiction: 'england' })).due;
    expect(ours.deadlines[0]).toMatchObject({ code: 'WB1', due_on: await expected(w.la), label: expect.stringContaining('acknowledged') });
    expect(police.deadlines[0].due_on).toBe(await expected());
    expect(await expected(w.la)).not.toBe(await expected());
  });
});
