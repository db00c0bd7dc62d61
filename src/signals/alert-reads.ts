import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import type { ChildDoor } from '../access/door.js';
import { writeAudit } from '../access/store.js';
import { forbidden, notFound } from '../errors.js';
import { childNameSql } from '../decisions/worklist-store.js';
import { mergedIntoThis, openedAs } from '../person-index/group.js';
import { mustStillBeHere } from '../person-index/merged-records.js';
import { foldAlert, type Alert } from './alert.js';
import { alertEvents, byAlert, namesOf, ruleNames, triggerEntries } from './alert-store.js';
import { alertView, byPriority, type AlertView } from './alert-views.js';
import type { Severity } from './hit.js';

/**
 * The view of one alert, its triggering entries and names read in the caller's transaction (inside the
 * door). `readThrough`: the child whose door it was read through, when the alert is on a record merged into them.
 */
export async function viewOf(tx: Transaction<DB>, childId: string, a: Alert, now: Date, readThrough = childId): Promise<AlertView> {
  const [triggers, names, rules] = [await triggerEntries(tx, childId, a.entryIds), await namesOf(tx, [...a.recipients.map((r) => r.id), a.answeredBy]), await ruleNames(tx, [a.ruleVersionId])];
  return alertView(a, childId, now, triggers, names, rules.get(a.ruleVersionId) ?? a.ruleId, readThrough);
}

function practitionersOnly(a: { onlyAgencyId?: string }) {
  if (a.onlyAgencyId) throw forbidden('Alerts are read by practitioners.');
}

/**
 * One alert, through its child's door (the survivor's, for an alert on a record merged into another):
 * a child the caller may not see answers 404, as does an unknown alert.
 */
export async function readAlert(door: ChildDoor, actor: Actor, on: { doorId: string; recordId: string } | undefined, alertId: string, now: () => Date): Promise<AlertView> {
  if (!on) throw notFound('The alert');
  const { doorId, recordId } = on;
  return door.read(actor, doorId, 'read_alert', async (a) => {
    practitionersOnly(a);
    await mustStillBeHere(a.tx, doorId, recordId);
    const alert = foldAlert(await alertEvents(a.tx, recordId, alertId));
    if (!alert) throw notFound('The alert');
    a.audit = { alert_id: alertId, ...(recordId === doorId ? {} : { merged_record_id: recordId }) };
    return viewOf(a.tx, recordId, alert, now(), doorId);
  });
}

/** A child's alerts, and those of any record merged into the child, through the door: open first, then most severe, overdue, oldest. */
export async function readChildAlerts(door: ChildDoor, actor: Actor, childId: string, now: () => Date): Promise<AlertView[]> {
  return door.read(actor, childId, 'read_alerts', async (a) => {
    practitionersOnly(a);
    const views: AlertView[] = [];
    const merged = await mergedIntoThis(a.tx, childId);
    for (const record of [childId, ...merged]) {
      const groups = byAlert(await alertEvents(a.tx, record));
      const alerts = [...groups.values()].map((g) => foldAlert(g)).filter((x): x is Alert => !!x);
      for (const alert of alerts) views.push(await viewOf(a.tx, record, alert, now(), childId));
    }
    a.audit = { alerts: views.length, ...(merged.length ? { merged_records: merged } : {}) };
    return views.sort(byPriority);
  });
}

export interface MyAlertRow {
  /** `open_as`: the child whose page shows the alert (the survivor, for a record merged into another). */
  id: string; child_id: string; open_as: string; child_name: string; rule_id: string; severity: Severity; reason: string; stage: number;
  raised_at: Date; due_at: Date | null; overdue: boolean; alerted: boolean;
}

/**
 * Open alerts for the practitioner's work list: those they were alerted to and those of the people they
 * manage, most severe first, then overdue, then oldest. Across children, so outside the door; the
 * listing is audited as one row naming every child it showed (like the deadlines list).
 */
export async function myAlerts(db: Kysely<DB>, me: { id: string }, now: Date): Promise<MyAlertRow[]> {
  return db.transaction().execute(async (tx) => {
    const rows = await sql<MyAlertRow>`
      SELECT al.id, al.child_id, al.open_as, ${childNameSql('al.open_as')} AS child_name, al.rule_id, al.severity, al.reason, al.stage, al.raised_at,
        al.stage_due_at AS due_at, coalesce(al.stage_due_at <= ${now}, false) AS overdue,
        EXISTS (SELECT 1 FROM alert_recipients r WHERE r.alert_id = al.id AND r.practitioner_id = ${me.id}) AS alerted
      FROM (SELECT x.*, ${openedAs('x.child_id')} AS open_as FROM alerts x WHERE x.status = 'open') al
      WHERE al.status = 'open' AND EXISTS (SELECT 1 FROM alert_recipients r JOIN practitioners p ON p.id = r.practitioner_id
        WHERE r.alert_id = al.id AND (r.practitioner_id = ${me.id} OR p.manager_id = ${me.id}))
      ORDER BY CASE al.severity WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 ELSE 2 END, coalesce(al.stage_due_at <= ${now}, false) DESC, al.raised_at, al.id`.execute(tx);
    await writeAudit(tx, {
      actorPractitionerId: me.id, actorTokenId: null, childId: null, action: 'list_alerts_mine', basis: 'alerted',
      detail: { children: [...new Set(rows.rows.flatMap((r) => [r.child_id, r.open_as]))], alerts: rows.rows.map((r) => r.id) },
    });
    return rows.rows;
  });
}
