import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import { actorKey } from '../access/actor.js';
import type { ChildDoor } from '../access/door.js';
import { once, type Stored } from '../db/idempotency.js';
import { forbidden, invalid, notFound } from '../errors.js';
import type { DecisionService } from '../decisions/decision-service.js';
import { londonDate } from '../process/dates.js';
import { lockChild } from '../process/store.js';
import { guardAnswer, type Answer } from './alert.js';
import { alertAnswerInput, type AlertAnswerInput } from './alert-schemas.js';
import { alertChild, mayAnswer, namesOf } from './alert-store.js';
import type { AlertService } from './alert-service.js';
import type { AlertView } from './alert-views.js';
import { viewOf } from './alert-reads.js';
import { mustStillBeHere } from '../person-index/merged-records.js';

type Practitioner = Extract<Actor, { type: 'practitioner' }>;

export interface AnswerDeps { door: ChildDoor; alerts: AlertService; decisions: DecisionService; clock: () => Date }

/**
 * Answers an alert through the child's door, in one transaction: the decision (through the decision
 * rules), action or reason, then the `answered` alert entry that closes it. Only the people alerted so
 * far and their managers may answer (403); an alert already answered takes nothing more (409).
 */
export async function answerAlert(d: AnswerDeps, actor: Actor, alertId: string, raw: unknown, key?: string): Promise<Stored<AlertView>> {
  if (actor.type !== 'practitioner') throw forbidden('An alert is answered by a named, signed-in practitioner.');
  const input = alertAnswerInput.parse(raw);
  const on = await d.alerts.doorOf(alertId);
  if (!on) throw notFound('The alert');
  // An alert on a record merged into another is answered through the survivor's door, on its own record.
  const { doorId, recordId: childId } = on;
  return d.door.write(actor, doorId, 'answer_alert', async (a) => {
    await mustStillBeHere(a.tx, doorId, childId);
    const res = await once(a.tx, actorKey(actor), key, { alertId, input }, async () => {
      await lockChild(a.tx, childId);
      const alert = await d.alerts.current(a.tx, childId, alertId);
      if (!alert) throw notFound('The alert');
      const names = await namesOf(a.tx, [alert.answeredBy]);
      guardAnswer(alert, await mayAnswer(a.tx, alertId, actor.id), alert.answeredBy ? names.get(alert.answeredBy) : undefined);
      const answer = await answerOf(a.tx, d, childId, actor, input, a.now);
      const w = await d.alerts.where(a.tx, childId, alert.entryIds, a.now);
      const done = await d.alerts.changed(a.tx, w, { action: 'answered', alert_id: alertId, stage: alert.stage, answer },
        { type: 'practitioner', id: actor.id, name: actor.name, role: actor.role, agencyId: actor.agencyId },
        [...alert.recipients.map((r) => r.id), ...(answer.type === 'action' ? [answer.owner_id] : [])], 'alert_answered', true);
      return { status: 201, body: await viewOf(a.tx, childId, done, d.clock(), doorId) };
    });
    a.audit = { alert_id: alertId, answer: input.type, replayed: res.replayed, ...(childId === doorId ? {} : { merged_record_id: childId }) };
    return res;
  }, 'alert');
}

/** The answer as the alert entry records it; a decision is recorded first, as a decision of the answerer's. */
async function answerOf(tx: Transaction<DB>, d: AnswerDeps, childId: string, by: Practitioner, input: AlertAnswerInput, now: Date): Promise<Answer> {
  if (input.type === 'no_action') return { type: 'no_action', reason: input.reason };
  if (input.type === 'decision') {
    const { decision } = await d.decisions.recordWithin(tx, childId, by, input.decision);
    return { type: 'decision', decision_id: decision.id, outcome: decision.outcome };
  }
  const owner = await tx.selectFrom('practitioners').select(['id', 'display_name', 'active']).where('id', '=', input.owner_id).executeTakeFirst();
  if (!owner?.active) throw invalid('The owner of the action is not an active Sightline practitioner', [{ path: 'owner_id', message: 'Choose an active practitioner' }]);
  if (input.due_on < londonDate(now)) throw invalid('An action cannot be due in the past', [{ path: 'due_on', message: 'Give today or a later date' }]);
  return { type: 'action', what: input.what, owner_id: owner.id, owner_name: owner.display_name, due_on: input.due_on };
}
