import { DomainError, conflict, forbidden } from '../errors.js';
import type { IsoDate } from '../process/dates.js';
import { stageLabels, stages, type Stage, type StepType } from './schemas.js';

/**
 * A concern about a service as a state machine folded from its append-only events. Pure: no HTTP,
 * no database. Who is accountable at each stage is decided when the stage starts and recorded in
 * the event that starts it, as are its deadlines, so a later change of staff or rule moves neither.
 */

/** WB1: acknowledge; WB2: respond with an action plan (timescale_rules, migration 0018). */
export const deadlineCodes = ['WB1', 'WB2'] as const;
export type DeadlineCode = (typeof deadlineCodes)[number];

export interface Deadline {
  code: DeadlineCode;
  rule_id: string;
  label: string;
  due_on: IsoDate;
  /** The instant it is missed: the start of the UK day after due_on. */
  overdue_at: string;
}

/** How a stage started: the accountable people and the clocks, recorded in its event. */
export interface StageStart {
  stage: Stage;
  accountable: string[];
  deadlines: Deadline[];
  /** Stages passed over because nobody could answer there (none, or only the person it is about). */
  skipped?: Stage[];
}

interface EventBase {
  seq: number;
  at: Date;
  /** null for the raiser's own steps (see byRaiser) and for Sightline's automatic escalation. */
  actorId: string | null;
  byRaiser: boolean;
}

export type ConcernEvent = EventBase &
  (
    | { type: 'raised'; data: StageStart }
    | { type: 'acknowledged'; data: { note?: string } }
    | { type: 'action_plan'; data: { plan: string } }
    | { type: 'update'; data: { text: string } }
    | { type: 'escalated'; data: StageStart & { from: Stage; automatic: boolean; missed?: DeadlineCode; reason?: string } }
    | { type: 'closed'; data: { resolution: string } }
  );

export interface ConcernState {
  open: boolean;
  stage: Stage;
  stageSince: Date;
  /** Who must respond at the current stage. */
  accountable: string[];
  /** Everyone accountable at any stage so far: they stay involved. */
  everAccountable: string[];
  /** At the current stage. */
  acknowledgedAt: Date | null;
  actionPlanAt: Date | null;
  deadlines: Deadline[];
  closed: { at: Date; byRaiser: boolean; actorId: string | null; resolution: string; stage: Stage } | null;
}

export function fold(events: ConcernEvent[]): ConcernState {
  const [first, ...rest] = events;
  if (first?.type !== 'raised') throw new Error('A concern’s first event must be "raised"');
  let s = startStage(first.data, first.at, []);
  for (const e of rest) s = apply(s, e);
  return s;
}

function startStage(d: StageStart, at: Date, before: string[]): ConcernState {
  return {
    open: true,
    stage: d.stage,
    stageSince: at,
    accountable: d.accountable,
    everAccountable: [...new Set([...before, ...d.accountable])],
    acknowledgedAt: null,
    actionPlanAt: null,
    deadlines: d.deadlines,
    closed: null,
  };
}

function apply(s: ConcernState, e: ConcernEvent): ConcernState {
  switch (e.type) {
    case 'raised':
      throw new Error('A concern is raised only once');
    case 'acknowledged':
      return { ...s, acknowledgedAt: e.at };
    case 'action_plan':
      return { ...s, actionPlanAt: e.at };
    case 'update':
      return s;
    case 'escalated':
      return startStage(e.data, e.at, s.everAccountable);
    case 'closed':
      return { ...s, open: false, closed: { at: e.at, byRaiser: e.byRaiser, actorId: e.actorId, resolution: e.data.resolution, stage: s.stage } };
  }
}

/** The caller, as the guards need them. */
export interface Who {
  id: string;
  isRaiser: boolean;
  isSubject: boolean;
}

const isAccountable = (s: ConcernState, who: Who) => s.accountable.includes(who.id);

/** Why `who` may not take `step` now (403: the wrong person; 409: not in this state), or undefined. */
export function refusal(s: ConcernState, step: StepType, who: Who): DomainError | undefined {
  if (step === 'closed' && who.isSubject) return forbidden('A concern cannot be closed by the person it is about.');
  if (!s.open) return conflict('This concern is closed: it stays readable with its trail, but nothing more can be recorded on it.');
  const stage = stageLabels[s.stage].toLowerCase();
  switch (step) {
    case 'acknowledged':
      if (!isAccountable(s, who)) return forbidden(`Only the person accountable at its current stage (${stage}) may acknowledge this concern.`);
      return s.acknowledgedAt ? conflict('This concern is already acknowledged at its current stage.') : undefined;
    case 'action_plan':
      if (!isAccountable(s, who)) return forbidden(`Only the person accountable at its current stage (${stage}) may give the action plan.`);
      if (!s.acknowledgedAt) return conflict('Acknowledge the concern before giving an action plan.');
      return s.actionPlanAt ? conflict('An action plan was already given at this stage: add an update instead.') : undefined;
    case 'update':
      return who.isRaiser || s.everAccountable.includes(who.id) ? undefined : forbidden('Only the raiser and the people accountable for this concern may add an update.');
    case 'escalated':
      if (!who.isRaiser && !isAccountable(s, who)) return forbidden('Only the raiser, or the person accountable at its current stage, may escalate this concern.');
      return s.stage === 'partnership' ? conflict('This concern is already with the safeguarding partnership, the last stage.') : undefined;
    case 'closed':
      return isAccountable(s, who) ? undefined : forbidden(`Only the person accountable at its current stage (${stage}) may close this concern.`);
  }
}

/** The steps `who` may take now, for the pages and the API's `actions`. */
export function allowedSteps(s: ConcernState, who: Who): StepType[] {
  return (['acknowledged', 'action_plan', 'update', 'escalated', 'closed'] as const).filter((t) => !refusal(s, t, who));
}

/** Whether a deadline of the current stage is met: acknowledged (WB1), an action plan given (WB2). */
export const isMet = (s: ConcernState, code: DeadlineCode): boolean => (code === 'WB1' ? !!s.acknowledgedAt : !!s.actionPlanAt);

/** The current stage's first deadline missed by `now`, if the concern is still open. */
export function missedDeadline(s: ConcernState, now: Date): Deadline | undefined {
  if (!s.open) return undefined;
  return s.deadlines.find((d) => !isMet(s, d.code) && new Date(d.overdue_at).getTime() <= now.getTime());
}

/** The stages above `stage`, nearest first. */
export const stagesAbove = (stage: Stage): Stage[] => stages.slice(stages.indexOf(stage) + 1);

/**
 * Where the ladder lands from `from` (the first of them) given who could answer at each stage: the
 * first stage with someone, never the person the concern is about nor its raiser (`excluded`). The
 * partnership is the last stage, so the ladder ends there even with nobody to answer (the oversight
 * board then shows it unanswered).
 */
export function landing(from: Stage[], candidates: Record<Stage, string[]>, excluded: (string | null)[]): { stage: Stage; accountable: string[]; skipped: Stage[] } {
  const skipped: Stage[] = [];
  for (const stage of from) {
    const accountable = candidates[stage].filter((id) => !excluded.includes(id));
    if (accountable.length || stage === 'partnership') return { stage, accountable, skipped };
    skipped.push(stage);
  }
  return { stage: 'partnership', accountable: [], skipped };
}
