import { conflict, invalid } from '../errors.js';
import { addDays, fromLondonLocal, type IsoDate } from './dates.js';
import { openEpisode, type Clock, type PlanAction, type ProcessEvent, type ProcessState } from './state.js';
import { stepLabels, type StepName } from './steps.js';

/**
 * The actions of a child's plan (spec §1.1 core group, §6 R7 (a)): agreed at a conference or core
 * group as rows of the meeting's own step, then said to be done, not done or no longer needed by a
 * `plan_action_update` step. Each action runs a clock (code PA) to its date, so the work lists and
 * timers treat it like any deadline: the allocated worker answers for it, and so does its owner
 * when that is a Sightline practitioner (the clock's `alsoFor: 'author'`, the owner as its author).
 */
type StepEvent = Extract<ProcessEvent, { type: 'step' }>;
type ActionRow = { what: string; practitioner_id?: string; name?: string; due_on: IsoDate };

export const PLAN_ACTION = 'PA';
/** The steps at which actions may be agreed. */
export const agreeingSteps: ReadonlySet<StepName> = new Set(['icpc', 'core_group', 'review_conference']);

const rowsOf = (ev: StepEvent) => (agreeingSteps.has(ev.step) ? ((ev.data.actions as ActionRow[] | undefined) ?? []) : []);
export const actionId = (entryId: string, index: number) => `${entryId}:${index}`;
const clockKey = (id: string) => `${PLAN_ACTION}:${id}`;
const clockOf = (s: ProcessState, id: string) => s.clocks.find((c) => c.key === clockKey(id));

/** The meeting's actions join the plan, each with its clock. */
export function agreeActions(s: ProcessState, ev: StepEvent): void {
  rowsOf(ev).forEach((row, i) => {
    const a: PlanAction = {
      id: actionId(ev.id, i), what: row.what, practitionerId: row.practitioner_id, name: row.name, dueOn: row.due_on,
      agreedAt: ev.date, agreedStep: ev.step, updates: [],
    };
    (s.planActions ??= []).push(a);
    s.clocks.push({
      key: clockKey(a.id), code: PLAN_ACTION, label: `Plan action: ${short(a.what)}`, episodeId: openEpisode(s)?.id ?? null,
      triggerEntryId: ev.id, triggerAt: ev.at,
      due: { ruleId: null, code: PLAN_ACTION, dueOn: a.dueOn, dueAt: null, overdueAt: fromLondonLocal(addDays(a.dueOn, 1), '00:00'), convention: 'set by the plan', amount: 0, unit: 'date' },
      ...(a.practitionerId ? { alsoFor: 'author' as const, authorId: a.practitionerId } : {}),
    });
  });
}

/** Done stops the clock (late if after its date), no longer needed cancels it; not done leaves it running. */
export function updateAction(s: ProcessState, ev: StepEvent): void {
  const a = s.planActions?.find((x) => x.id === ev.data.action_id);
  if (!a) return;
  const outcome = ev.data.outcome as PlanAction['updates'][number]['outcome'];
  a.updates.push({ entryId: ev.id, outcome, reason: typeof ev.data.reason === 'string' ? ev.data.reason : undefined, date: ev.date, authorId: ev.authorId });
  const c = clockOf(s, a.id);
  if (!c || c.completedAt || c.cancelledAt) return;
  if (outcome === 'done') Object.assign(c, { completedEntryId: ev.id, completedAt: ev.at, late: ev.at >= c.due.overdueAt });
  if (outcome === 'no_longer_needed') c.cancelledAt = ev.at;
}

export type ActionStatus = 'open' | 'done' | 'no_longer_needed' | 'closed';

/** Where an action stands: open until done or no longer needed, or until the case it belongs to closed. */
export function actionStatus(s: ProcessState, a: PlanAction): ActionStatus {
  const last = lastOf(a.updates, (u) => u.outcome !== 'not_done');
  if (last) return last.outcome as ActionStatus;
  return clockOf(s, a.id)?.cancelledAt ? 'closed' : 'open';
}

/** An open action past its date at `now`. */
export const isOverdue = (s: ProcessState, a: PlanAction, now: Date) =>
  actionStatus(s, a) === 'open' && now >= fromLondonLocal(addDays(a.dueOn, 1), '00:00');

/** Guards for a meeting's actions: agreed only where a plan is made or runs, and due on or after the meeting. */
export function checkAgreedActions(s: ProcessState, ev: StepEvent, practitioner: (id: string) => unknown): void {
  const rows = rowsOf(ev);
  if (!rows.length) return;
  const makesPlan = ev.step === 'core_group' || ev.data.outcome === 'cp_plan' || ev.data.outcome === 'cin_plan' || ev.data.outcome === 'continue' || ev.data.step_down_to_cin_plan === true;
  if (!makesPlan) throw conflict(`${stepLabels[ev.step]} made no plan, so it cannot agree plan actions`);
  rows.forEach((r, i) => {
    if (r.due_on < ev.date) throw invalid(`Action ${i + 1}: the date must not be before the meeting`, [{ path: `data.actions.${i}.due_on`, message: `Action ${i + 1}: the date must not be before the meeting (${ev.date})` }]);
    if (r.practitioner_id && !practitioner(r.practitioner_id)) throw invalid(`Action ${i + 1}: not a practitioner in Sightline`, [{ path: `data.actions.${i}.practitioner_id`, message: `Action ${i + 1}: choose a practitioner in Sightline, or type a name` }]);
  });
}

/** Guard for an update: the action is this child's, still open, and updated on or after it was agreed. */
export function checkActionUpdate(s: ProcessState, ev: StepEvent): void {
  const a = s.planActions?.find((x) => x.id === ev.data.action_id);
  if (!a) throw conflict('That plan action is not in this child’s record');
  const status = actionStatus(s, a);
  if (status !== 'open') {
    const when = a.updates.at(-1)?.date;
    throw conflict(status === 'closed' ? 'That action’s case is closed' : `That action was already marked ${status === 'done' ? 'done' : 'no longer needed'}${when ? ` on ${when}` : ''}`);
  }
  if (ev.date < a.agreedAt) throw conflict(`The action was agreed on ${a.agreedAt}: it cannot be updated before then`);
}

/** The API's and pages' view of an action at `now`. */
export interface PlanActionView {
  id: string;
  what: string;
  practitioner_id: string | null;
  name: string | null;
  due_on: IsoDate;
  agreed_on: IsoDate;
  agreed_at_step: StepName;
  agreed_in_entry_id: string;
  status: ActionStatus;
  overdue: boolean;
  /** The latest "not done", with its reason, while the action is still open. */
  not_done: { on: IsoDate; reason: string | null; entry_id: string } | null;
  updates: { entry_id: string; outcome: string; reason: string | null; on: IsoDate }[];
}

/** Every action, open ones first (overdue first, then by date), then the rest newest first. */
export function planActionViews(s: ProcessState, now: Date): PlanActionView[] {
  const views = (s.planActions ?? []).map((a): PlanActionView => {
    const status = actionStatus(s, a);
    const notDone = status === 'open' ? lastOf(a.updates, (u) => u.outcome === 'not_done') : undefined;
    return {
      id: a.id, what: a.what, practitioner_id: a.practitionerId ?? null, name: a.name ?? null, due_on: a.dueOn,
      agreed_on: a.agreedAt, agreed_at_step: a.agreedStep, agreed_in_entry_id: a.id.split(':')[0],
      status, overdue: isOverdue(s, a, now),
      not_done: notDone ? { on: notDone.date, reason: notDone.reason ?? null, entry_id: notDone.entryId } : null,
      updates: a.updates.map((u) => ({ entry_id: u.entryId, outcome: u.outcome, reason: u.reason ?? null, on: u.date })),
    };
  });
  const rank = (v: PlanActionView) => (v.status !== 'open' ? 2 : v.overdue ? 0 : 1);
  return views.sort((x, y) => rank(x) - rank(y) || (rank(x) < 2 ? x.due_on.localeCompare(y.due_on) : y.due_on.localeCompare(x.due_on)));
}

/** Whether a clock is a plan action's (its lateness needs no reason: the update's own words say it). */
export const isActionClock = (c: Clock) => c.code === PLAN_ACTION;

const lastOf = <T>(xs: T[], p: (x: T) => boolean): T | undefined => [...xs].reverse().find(p);
const short = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}…` : s);
