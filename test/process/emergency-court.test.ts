import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../support/db.js';
import { doneOf, dueOf, processWorld, recordAll, type ProcessWorld } from './steps-support.js';
import { at, stepsFor, type Steps } from './step-builders.js';

/**
 * Emergency powers and the courts (Children Act 1989 ss32, 44–46; PD12A), with every expected date
 * counted by hand on the calendar. UK clocks went forward at 01:00 UTC on Sunday 29 March 2026.
 * The process's "now" is set by each test, so hours left and due-soon can be checked exactly.
 */
let now = new Date('2026-11-20T12:00:00Z');
let pw: ProcessWorld;
let b: Steps;
beforeAll(async () => {
  pw = await processWorld(() => now);
  b = stepsFor(pw.w);
});
afterAll(() => pw.close());

const PP_START = '2026-03-28T20:00:00Z'; // Saturday 8 pm GMT

describe(`police protection: 72 real hours, an exact instant (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('ends 72 hours later at 9 pm BST, the wall clock an hour on; hours left are shown; ending at that instant is in time', async () => {
    const child = await pw.child();
    now = new Date('2026-03-29T12:00:00Z');
    const started = await pw.step(child, b.pp(PP_START), 'police');
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    // 28 March 20:00 UTC + 72 h = 31 March 20:00 UTC = 21:00 BST; from 29 March 12:00 UTC that is 56 hours.
    expect(dueOf(started.body.process, 'EP1')).toMatchObject({ due_on: '2026-03-31', due_at: '2026-03-31T21:00:00+01:00', hours_left: 56, status: 'upcoming' });
    expect(started.body.process.stage).toBe('In police protection');

    now = new Date('2026-03-31T10:30:00Z');
    expect(dueOf((await pw.process(child)).body, 'EP1')).toMatchObject({ hours_left: 9, status: 'due_soon' });

    now = new Date('2026-04-01T09:00:00Z');
    const ended = await pw.step(child, b.ppEnded('2026-03-31T20:00:00Z'));
    expect(ended.status, JSON.stringify(ended.body)).toBe(201);
    expect(doneOf(ended.body.process, 'EP1')).toMatchObject([{ status: 'done', hours_left: null }]);
  });

  it('ending a minute after the 72 hours needs the reason, which is then kept', async () => {
    const child = await pw.child();
    await recordAll(pw, child, [b.pp(PP_START)]);
    const late = await pw.step(child, b.ppEnded('2026-03-31T20:01:00Z'));
    expect(late.status).toBe(422);
    expect(late.body.errors).toEqual([{ path: 'late_reason', message: expect.stringContaining('2026-03-31T21:00:00+01:00') }]);
    const explained = await pw.step(child, { ...b.ppEnded('2026-03-31T20:01:00Z'), late_reason: 'Foster placement delayed by the snow.' });
    expect(explained.status).toBe(201);
    expect(doneOf(explained.body.process, 'EP1')).toMatchObject([{ status: 'done_late', late_reason: 'Foster placement delayed by the snow.' }]);
  });
});

describe('emergency protection orders (s44, s45)', () => {
  it('made during police protection: 8 days beginning with its first day; one extension of at most 7 days', async () => {
    now = new Date('2026-11-20T12:00:00Z');
    const child = await pw.child();
    await recordAll(pw, child, [b.pp(PP_START)]);
    const made = await pw.step(child, b.epo('2026-03-30'));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    // Police protection began Saturday 28 March: 28, 29, 30, 31 March, 1, 2, 3, 4 April.
    expect(dueOf(made.body.process, 'EP2')?.due_on).toBe('2026-04-04');
    expect(made.body.process.police_protection).toMatchObject({ outcome: 'emergency_protection_order' });
    expect(doneOf(made.body.process, 'EP1')).toMatchObject([{ status: 'done' }]);

    // 4 April + 7 days = 11 April at the latest.
    expect((await pw.step(child, b.epoExtended('2026-04-03', '2026-04-12'))).body.detail).toContain('until 2026-04-11 at the latest');
    const extended = await pw.step(child, b.epoExtended('2026-04-03', '2026-04-11'));
    expect(extended.status, JSON.stringify(extended.body)).toBe(201);
    expect(dueOf(extended.body.process, 'EP3')?.due_on).toBe('2026-04-11');
    const again = await pw.step(child, b.epoExtended('2026-04-05', '2026-04-11'));
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('s45(6)');
  });

  it('made without police protection: 8 days beginning with the day it was made; a shorter extension ends on the court’s date', async () => {
    const child = await pw.child();
    const made = await pw.step(child, b.epo('2026-05-06'));
    // Wednesday 6 May: 6, 7, 8, 9, 10, 11, 12, 13 May.
    expect(dueOf(made.body.process, 'EP2')?.due_on).toBe('2026-05-13');
    const extended = await pw.step(child, b.epoExtended('2026-05-12', '2026-05-16'));
    expect(dueOf(extended.body.process, 'EP3')?.due_on).toBe('2026-05-16');
  });

  it('a police protection that ended with the child home, or that already led to an order, does not start a later order’s 8 days', async () => {
    const home = await pw.child();
    await recordAll(pw, home, [b.pp('2026-04-20T08:00:00Z'), b.ppEnded('2026-04-21T08:00:00Z')]);
    // Friday 24 April: 24 … 30 April, 1 May.
    expect(dueOf((await pw.step(home, b.epo('2026-04-24'))).body.process, 'EP2')?.due_on).toBe('2026-05-01');

    const twice = await pw.child();
    await recordAll(pw, twice, [b.pp(PP_START), b.epo('2026-03-30'), b.epoEnded('2026-04-02')]);
    expect(dueOf((await pw.step(twice, b.epo('2026-05-06'))).body.process, 'EP2')?.due_on).toBe('2026-05-13');
  });
});

describe('pre-proceedings and care proceedings (PD12A, s32)', () => {
  it('a letter before proceedings only after the decision to start pre-proceedings, and not dated before it', async () => {
    const child = await pw.child();
    expect((await pw.step(child, b.letter('2026-04-13'))).status).toBe(409);
    await recordAll(pw, child, [b.lpm('no_legal_action', '2026-04-10')]);
    expect((await pw.step(child, b.letter('2026-04-13'))).status).toBe(409);
    await recordAll(pw, child, [b.lpm('pre_proceedings', '2026-04-14')]);
    const early = await pw.step(child, b.letter('2026-04-13'));
    expect(early.status).toBe(409);
    expect(early.body.detail).toContain('9005');
    const sent = await pw.step(child, b.letter('2026-04-15'));
    expect(sent.status).toBe(201);
    expect(sent.body.process.pre_proceedings).toMatchObject({ start: '2026-04-14', letterSent: '2026-04-15' });
  });

  it('26 weeks beginning with a Monday issue end on a Sunday; each extension adds 8 weeks to the current end', async () => {
    const child = await pw.child();
    const issued = await pw.step(child, b.careIssued('2026-01-05'));
    // Monday 5 January + 182 days = Monday 6 July; the period begins with the 5th, so its last day is Sunday 5 July.
    expect(dueOf(issued.body.process, 'CP1')?.due_on).toBe('2026-07-05');
    const first = await pw.step(child, b.careExtended('2026-06-29'));
    // 5 July + 56 days = 30 August; then + 56 days = 25 October.
    expect(dueOf(first.body.process, 'CP2')?.due_on).toBe('2026-08-30');
    expect(doneOf(first.body.process, 'CP1')).toMatchObject([{ status: 'done' }]);
    const second = await pw.step(child, b.careExtended('2026-08-24'));
    expect(dueOf(second.body.process, 'CP2')?.due_on).toBe('2026-10-25');
    expect(second.body.process.care_proceedings).toMatchObject({ issued: '2026-01-05', extensions: 2 });
  });

  it('an extension of fewer weeks ends that many weeks on; one granted after the period ended runs from the day granted (s32(8))', async () => {
    const short = await pw.child();
    await recordAll(pw, short, [b.careIssued('2026-02-02')]);
    // Monday 2 February + 182 days = 3 August, so the 26 weeks end Sunday 2 August; + 28 days = 30 August.
    const fourWeeks = await pw.step(short, b.careExtended('2026-07-27', 4));
    expect(dueOf(fourWeeks.body.process, 'CP2')?.due_on).toBe('2026-08-30');

    const late = await pw.child();
    await recordAll(pw, late, [b.careIssued('2026-01-05')]);
    const granted = await pw.step(late, { ...b.careExtended('2026-07-08'), late_reason: 'Final hearing adjourned; expert report outstanding.' });
    expect(granted.status, JSON.stringify(granted.body)).toBe(201);
    // Granted Wednesday 8 July, after the period ended on 5 July: 8 July + 56 days = 2 September.
    expect(dueOf(granted.body.process, 'CP2')?.due_on).toBe('2026-09-02');
    expect(doneOf(granted.body.process, 'CP1')).toMatchObject([{ status: 'done_late' }]);
  });
});

describe('order of the emergency steps', () => {
  it('an order made during police protection ends it at the time the order was made', async () => {
    const child = await pw.child();
    await recordAll(pw, child, [b.pp(PP_START)]);
    const made = await pw.step(child, b.epo('2026-03-30', '15:30'));
    expect(made.body.process.police_protection).toMatchObject({ end: at('2026-03-30', '15:30').replace('Z', '.000Z') });
    expect(made.body.process.stage).toBe('Emergency protection order');
  });
});
