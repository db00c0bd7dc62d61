import { conflict, forbidden } from '../errors.js';
import type { Severity } from './hit.js';

/**
 * Alerts (issue 6, spec §6): what a red-flag rule found, put to people who must answer it. An alert is
 * the fold of its `alert` entries in the child's chronology; nothing here touches HTTP or a database.
 */
export const LAST_STAGE = 3;
export const alertStageNames: Record<number, string> = {
  1: 'Alerted',
  2: 'Escalated to the manager',
  3: 'Escalated to the head of service',
};

export interface AlertDeadline { code: string; rule_id: string | null; due_on: string | null; escalates_at: string }

export type Answer =
  | { type: 'decision'; decision_id: string; outcome: string }
  | { type: 'action'; what: string; owner_id: string; owner_name: string; due_on: string }
  | { type: 'no_action'; reason: string };

export type AlertData =
  | { action: 'raised'; alert_id: string; rule_id: string; rule_version_id: string; pattern_key: string; severity: Severity; reason: string;
      entry_ids: string[]; recipients: string[]; front_door: boolean; deadline: AlertDeadline | null }
  | { action: 'added'; alert_id: string; entry_ids: string[]; reason: string }
  | { action: 'escalated'; alert_id: string; from_stage: number; to_stage: number; recipients: string[]; deadline: AlertDeadline | null }
  | { action: 'answered'; alert_id: string; stage: number; answer: Answer };

/** `at`: when it happened (a raise is dated at the entry that raised it); `recordedAt`: when Sightline acted, which the clocks count from. */
export interface AlertEvent { entryId: string; at: Date; recordedAt: Date; authorId: string | null; authorName: string; data: AlertData }

export interface Alert {
  id: string;
  ruleId: string;
  ruleVersionId: string;
  patternKey: string;
  severity: Severity;
  reason: string;
  status: 'open' | 'answered';
  stage: number;
  raisedAt: Date;
  raisedEntryId: string;
  stageSince: Date;
  deadline: AlertDeadline | null;
  /** Every triggering entry, oldest first, without repeats. */
  entryIds: string[];
  /** Everyone alerted so far and the stage they were alerted at. */
  recipients: { id: string; stage: number }[];
  frontDoor: boolean;
  answer: Answer | null;
  answeredAt: Date | null;
  answeredBy: string | null;
  trail: { entryId: string; at: Date; by: string; byId: string | null; action: AlertData['action']; stage: number; text: string }[];
}

export function foldAlert(events: AlertEvent[]): Alert | undefined {
  let a: Alert | undefined;
  for (const ev of events) {
    const x = ev.data;
    if (x.action === 'raised') {
      a = {
        id: x.alert_id, ruleId: x.rule_id, ruleVersionId: x.rule_version_id, patternKey: x.pattern_key, severity: x.severity, reason: x.reason,
        status: 'open', stage: 1, raisedAt: ev.recordedAt, raisedEntryId: ev.entryId, stageSince: ev.recordedAt, deadline: x.deadline, entryIds: [...new Set(x.entry_ids)],
        recipients: x.recipients.map((id) => ({ id, stage: 1 })), frontDoor: x.front_door, answer: null, answeredAt: null, answeredBy: null, trail: [],
      };
    }
    if (!a) continue;
    if (x.action === 'added') a.entryIds = [...new Set([...a.entryIds, ...x.entry_ids])];
    if (x.action === 'escalated') {
      Object.assign(a, { stage: x.to_stage, stageSince: ev.recordedAt, deadline: x.deadline });
      for (const id of x.recipients) if (!a.recipients.some((r) => r.id === id)) a.recipients.push({ id, stage: x.to_stage });
    }
    if (x.action === 'answered') Object.assign(a, { status: 'answered', answer: x.answer, answeredAt: ev.recordedAt, answeredBy: ev.authorId, deadline: null });
    a.trail.push({ entryId: ev.entryId, at: ev.at, by: ev.authorName, byId: ev.authorId, action: x.action, stage: a.stage, text: describe(x) });
  }
  return a;
}

/** One line for the trail and the entry's narrative. */
export function describe(x: AlertData): string {
  switch (x.action) {
    case 'raised': return `Alert (${x.rule_id}, ${x.severity}): ${x.reason}`;
    case 'added': return `Added to the open alert: ${x.reason}`;
    case 'escalated': return `Not answered in time: ${alertStageNames[x.to_stage].toLowerCase()}.`;
    case 'answered': return `Answered: ${answerText(x.answer)}`;
  }
}

export function answerText(a: Answer): string {
  if (a.type === 'decision') return `decision recorded: ${a.outcome}`;
  if (a.type === 'action') return `action agreed: ${a.what} (owner ${a.owner_name}, by ${a.due_on})`;
  return `no action needed: ${a.reason}`;
}

/** Whether the alert may be answered now by this practitioner; throws 409/403 with the reason. */
export function guardAnswer(a: Alert, may: boolean, answeredByName?: string): void {
  if (a.status === 'answered') {
    throw conflict(`This alert was already answered${answeredByName ? ` by ${answeredByName}` : ''} on ${a.answeredAt!.toISOString().slice(0, 10)}; a new pattern raises a new alert.`);
  }
  if (!may) throw forbidden('Only the people alerted so far, and their managers, can answer this alert.');
}

/** Whether the timer may move the alert up from `stage` now; the reason when not. */
export function escalationRefusal(a: Alert, stage: number, now: Date): string | null {
  if (a.status !== 'open') return 'The alert was answered.';
  if (a.stage !== stage) return 'The alert has already moved on from that stage.';
  if (a.stage >= LAST_STAGE) return 'The head of service is the last stage.';
  if (!a.deadline || new Date(a.deadline.escalates_at) > now) return 'The stage is not yet past its deadline.';
  return null;
}

export const isOverdue = (a: Pick<Alert, 'status' | 'deadline'>, now: Date) =>
  a.status === 'open' && !!a.deadline && new Date(a.deadline.escalates_at) <= now;
