import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Kysely } from 'kysely';
import type { Actor } from '../access/actor.js';
import type { ChildDoor } from '../access/door.js';
import type { Stored } from '../db/idempotency.js';
import type { DecisionService } from '../decisions/decision-service.js';
import { notify } from '../notifications/store.js';
import type { Sealer } from '../record/chain.js';
import { appendEntries } from '../record/store.js';
import { deadlineFor } from '../process/deadlines.js';
import { rulesAndCalendar } from '../process/rules-store.js';
import type { Jurisdiction } from '../process/rules.js';
import { lockChild, responsibleAuthority } from '../process/store.js';
import { alertStageNames, describe, escalationRefusal, foldAlert, LAST_STAGE, type Alert, type AlertData, type AlertDeadline } from './alert.js';
import { alertChild, alertEvents, answeredAlertFor, openAlertFor, projectAlert } from './alert-store.js';
import { answerAlert } from './alert-answer.js';
import { readAlert, readChildAlerts } from './alert-reads.js';
import type { AlertView } from './alert-views.js';
import { doorFor } from '../person-index/merged-records.js';
import { firstRecipients, stageRecipients, type Where } from './alert-recipients.js';
import { scheduleAlertTimer } from './alert-timers.js';
import type { Hit, Severity } from './hit.js';

/** Who wrote an alert entry: Sightline itself, or the practitioner who answered. */
export type AlertAuthor = { type: 'system'; agencyId: string } | { type: 'practitioner'; id: string; name: string; role: string; agencyId: string };

export interface Raised { alert: Alert; added: boolean }

/**
 * Raising and escalating alerts: each change is an `alert` entry appended in the caller's transaction
 * (the one that appended the entry that raised it), the projection rewritten and the people alerted
 * told, all at once: an alert exists exactly when the entry that raised it does.
 */
export class AlertService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly door: ChildDoor,
    private readonly sealer: Sealer,
    /** Answers that are decisions go through the decision rules. */
    private readonly decisions: DecisionService,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  answer(actor: Actor, alertId: string, raw: unknown, key?: string): Promise<Stored<AlertView>> {
    return answerAlert({ door: this.door, alerts: this, decisions: this.decisions, clock: this.clock }, actor, alertId, raw, key);
  }

  async view(actor: Actor, alertId: string): Promise<AlertView> {
    return readAlert(this.door, actor, await this.doorOf(alertId), alertId, this.clock);
  }

  list(actor: Actor, childId: string): Promise<AlertView[]> {
    return readChildAlerts(this.door, actor, childId, this.clock);
  }

  /** Which child an alert is about (only to find the door). */
  childOf(alertId: string): Promise<string | undefined> {
    return alertChild(this.db, alertId);
  }

  /** The record an alert is on, and the door to it: the survivor's, when that record is merged into another now. */
  async doorOf(alertId: string): Promise<{ doorId: string; recordId: string } | undefined> {
    const recordId = await this.childOf(alertId);
    return recordId ? { doorId: await doorFor(this.db, recordId), recordId } : undefined;
  }

  /**
   * Each hit raises an alert, or adds its new entries to the open alert of the same rule and pattern.
   * `seenAt`: when the pattern was there to see (the newest entry that completed it), which dates the
   * alert entry beside it in the chronology; the clocks run from now. Without it (a sweep), now.
   */
  async raise(tx: Transaction<DB>, childId: string, hits: Hit[], seenAt?: Date): Promise<Raised[]> {
    if (!hits.length) return [];
    const now = this.clock();
    const w = { ...(await this.where(tx, childId, hits.flatMap((h) => h.entry_ids), now)), seenAt: seenAt && seenAt < now ? seenAt : now };
    const out: Raised[] = [];
    for (const hit of hits) {
      const openId = await openAlertFor(tx, childId, hit.rule_id, hit.pattern_key);
      if (openId) {
        const open = await this.current(tx, childId, openId);
        const fresh = hit.entry_ids.filter((e) => !open!.entryIds.includes(e));
        if (!fresh.length) continue;
        const a = await this.changed(tx, w, { action: 'added', alert_id: openId, entry_ids: fresh, reason: hit.reason }, { type: 'system', agencyId: w.agencyId },
          open!.recipients.map((r) => r.id), 'alert_added');
        out.push({ alert: a, added: true });
        continue;
      }
      // An absence found again on every sweep (one overdue deadline) is answered once, not again each run.
      if (hit.once && (await answeredAlertFor(tx, childId, hit.rule_id, hit.pattern_key))) continue;
      const alerted = await firstRecipients(tx, w, hit.recipients);
      const data: AlertData = {
        action: 'raised', alert_id: randomUUID(), rule_id: hit.rule_id, rule_version_id: hit.rule_version_id, pattern_key: hit.pattern_key, severity: hit.severity,
        reason: hit.reason, entry_ids: hit.entry_ids, recipients: alerted.ids, front_door: alerted.frontDoor, deadline: await this.deadline(tx, w, hit.severity, 1),
      };
      out.push({ alert: await this.changed(tx, w, data, { type: 'system', agencyId: w.agencyId }, alerted.ids, 'alert_raised'), added: false });
    }
    return out;
  }

  /** The escalation timer's work: an alert still unanswered at its stage's deadline goes up a stage, once. */
  async escalateOverdue(childId: string, alertId: string, stage: number): Promise<'escalated' | 'moved_on'> {
    return this.door.system(childId, 'escalate_alert', async (tx, now) => {
      await lockChild(tx, childId);
      const a = await this.current(tx, childId, alertId);
      if (!a || escalationRefusal(a, stage, now)) return 'moved_on';
      const w = await this.where(tx, childId, a.entryIds, now);
      let to = stage + 1;
      let people = await stageRecipients(tx, w, to, a.recipients.map((r) => r.id));
      // With no one at a level (no manager recorded), the level above is told rather than no one.
      if (!people.length && to < LAST_STAGE) people = await stageRecipients(tx, w, ++to, a.recipients.map((r) => r.id));
      await this.changed(tx, w, { action: 'escalated', alert_id: alertId, from_stage: stage, to_stage: to, recipients: people, deadline: await this.deadline(tx, w, a.severity, to) },
        { type: 'system', agencyId: w.agencyId }, people, 'alert_escalated');
      return 'escalated';
    });
  }

  async current(tx: Transaction<DB>, childId: string, alertId: string): Promise<Alert | undefined> {
    return foldAlert(await alertEvents(tx, childId, alertId));
  }

  /** Appends the change, re-folds, rewrites the projection, tells `tell`, schedules the stage's timer. */
  async changed(tx: Transaction<DB>, w: Where & { agencyId: string; seenAt?: Date }, data: AlertData, by: AlertAuthor, tell: string[], notice: string, answerEntry = false): Promise<Alert> {
    const narrative = describe(data);
    const [row] = await appendEntries(tx, this.sealer, [{
      child_id: w.childId, kind: 'alert', occurred_at: w.seenAt ?? w.now, author_id: by.type === 'practitioner' ? by.id : null,
      author_name: by.type === 'practitioner' ? by.name : 'Sightline (red-flag rules)', author_role: by.type === 'practitioner' ? by.role : 'system',
      author_agency_id: by.agencyId, via_token_id: null, concerns: [], narrative, data: data as unknown as Record<string, unknown>, supersedes_id: null, correction_reason: null,
    }], w.now);
    const a = (await this.current(tx, w.childId, data.alert_id))!;
    await projectAlert(tx, w.childId, a, answerEntry ? row.id : null);
    const title = `${alertStageNames[a.stage]}: ${a.ruleId} (${a.severity})`;
    await notify(tx, [...new Set(tell)].filter((p) => by.type !== 'practitioner' || p !== by.id), { kind: notice, childId: w.childId, title, body: narrative.slice(0, 500), at: w.now });
    await scheduleAlertTimer(tx, w.childId, a);
    return a;
  }

  /** Whose rules and calendar apply, and which agency Sightline's own entries are filed under. */
  async where(tx: Transaction<DB>, childId: string, entryIds: string[], now: Date): Promise<Where & { agencyId: string }> {
    const first = entryIds.length
      ? await tx.selectFrom('entries').select('author_agency_id').where('child_id', '=', childId).where('id', 'in', entryIds).orderBy('seq').limit(1).executeTakeFirst()
      : undefined;
    const fallback = first?.author_agency_id ?? (await tx.selectFrom('agencies').select('id').where('kind', '=', 'local_authority').orderBy('created_at').limit(1).executeTakeFirstOrThrow()).id;
    const { laId, jurisdiction } = await responsibleAuthority(tx, childId, fallback, now);
    return { childId, laId, jurisdiction, now, agencyId: laId ?? fallback };
  }

  private async deadline(tx: Transaction<DB>, w: Where, severity: Severity, stage: number): Promise<AlertDeadline | null> {
    if (stage >= LAST_STAGE) return null;
    const { rules, calendar } = await rulesAndCalendar(tx, w.jurisdiction as Jurisdiction);
    const due = deadlineFor(rules, calendar, w.jurisdiction as Jurisdiction, w.laId, `alert_${severity}_stage_${stage}`, w.now);
    return due ? { code: due.code, rule_id: due.ruleId, due_on: due.dueAt ?? due.dueOn, escalates_at: due.overdueAt.toISOString() } : null;
  }
}
