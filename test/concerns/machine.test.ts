import { describe, expect, it } from 'vitest';
import { allowedSteps, fold, landing, missedDeadline, refusal, type ConcernEvent, type Deadline } from '../../src/concerns/machine.js';
import type { StepType } from '../../src/concerns/schemas.js';

/** The pure state machine: the ladder's landing, the fold, and who may take which step when. */
const deadlines = (ack: string, plan: string): Deadline[] => [
  { code: 'WB1', rule_id: 'r1', label: 'Acknowledge', due_on: ack.slice(0, 10), overdue_at: ack },
  { code: 'WB2', rule_id: 'r2', label: 'Action plan', due_on: plan.slice(0, 10), overdue_at: plan },
];
const at = (d: string) => new Date(d);
const raised: ConcernEvent = { seq: 1, type: 'raised', at: at('2026-03-02T10:00Z'), actorId: null, byRaiser: true, data: { stage: 'head', accountable: ['head'], deadlines: deadlines('2026-03-05T00:00:00Z', '2026-03-17T00:00:00Z') } };
const ev = (seq: number, e: Omit<ConcernEvent, 'seq' | 'at' | 'actorId' | 'byRaiser'> & Partial<ConcernEvent>): ConcernEvent =>
  ({ seq, at: at(`2026-03-${String(2 + seq).padStart(2, '0')}T10:00Z`), actorId: 'head', byRaiser: false, ...e }) as ConcernEvent;

const raiser = { id: 'raiser', isRaiser: true, isSubject: false };
const head = { id: 'head', isRaiser: false, isSubject: false };
const subject = { id: 'subject', isRaiser: false, isSubject: true };

describe('where the ladder lands', () => {
  const everyone = { head: ['head'], director: ['director'], partnership: ['chair'] };
  it('starts with the head, passing over anyone who is the person the concern is about or its raiser', () => {
    expect(landing(['head', 'director', 'partnership'], everyone, [null, 'raiser'])).toEqual({ stage: 'head', accountable: ['head'], skipped: [] });
    expect(landing(['head', 'director', 'partnership'], everyone, ['head', 'raiser'])).toEqual({ stage: 'director', accountable: ['director'], skipped: ['head'] });
    expect(landing(['director', 'partnership'], everyone, ['subject', 'director'])).toEqual({ stage: 'partnership', accountable: ['chair'], skipped: ['director'] });
  });
  it('ends at the partnership even with nobody there to answer', () => {
    expect(landing(['director', 'partnership'], { head: [], director: [], partnership: [] }, [])).toEqual({ stage: 'partnership', accountable: [], skipped: ['director'] });
  });
});

describe('the fold and the guards', () => {
  it('tracks the current stage: acknowledged and planned reset when it escalates', () => {
    const s = fold([
      raised,
      ev(2, { type: 'acknowledged', data: {} }),
      ev(3, { type: 'escalated', actorId: null, data: { stage: 'director', accountable: ['director'], deadlines: deadlines('2026-03-10T00:00:00Z', '2026-03-20T00:00:00Z'), from: 'head', automatic: true, missed: 'WB2' } }),
    ]);
    expect(s).toMatchObject({ open: true, stage: 'director', accountable: ['director'], everAccountable: ['head', 'director'], acknowledgedAt: null, actionPlanAt: null });
    expect(missedDeadline(s, at('2026-03-09T12:00Z'))).toBeUndefined();
    expect(missedDeadline(s, at('2026-03-10T00:00Z'))?.code).toBe('WB1');
  });

  it('lets each person take only their steps, in order', () => {
    const fresh = fold([raised]);
    expect(allowedSteps(fresh, raiser)).toEqual(['update', 'escalated']);
    expect(allowedSteps(fresh, head)).toEqual(['acknowledged', 'update', 'escalated', 'closed']);
    expect(allowedSteps(fresh, subject)).toEqual([]);
    const acked = fold([raised, ev(2, { type: 'acknowledged', data: {} })]);
    expect(allowedSteps(acked, head)).toEqual(['action_plan', 'update', 'escalated', 'closed']);
    const closed = fold([raised, ev(2, { type: 'closed', data: { resolution: 'Done.' } })]);
    for (const step of ['acknowledged', 'action_plan', 'update', 'escalated', 'closed'] as StepType[]) expect(refusal(closed, step, head)?.status, step).toBe(409);
    expect(closed.closed).toMatchObject({ resolution: 'Done.', stage: 'head', actorId: 'head' });
  });

  it('never lets the person a concern is about close it, even were they accountable', () => {
    const aboutTheHead = fold([raised]);
    expect(refusal(aboutTheHead, 'closed', { id: 'head', isRaiser: false, isSubject: true })).toMatchObject({ status: 403, message: 'A concern cannot be closed by the person it is about.' });
  });
});
