import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { App } from '../http/server.js';
import { requireActor, sendStored } from '../http/server.js';
import { forbidden } from '../errors.js';
import { alertAnswerInput, alertParams, childParams } from './alert-schemas.js';
import { myAlerts } from './alert-reads.js';
import type { AlertService } from './alert-service.js';

const idempotencyHeader = z.object({ 'idempotency-key': z.string().min(8).max(200).optional() });

/** Alerts over the API: a child's and one alert's through the child's door; "mine" across children, audited. */
export function alertRoutes(app: App, alerts: AlertService, db: Kysely<DB>, clock: () => Date = () => new Date()) {
  app.get('/api/alerts', {
    schema: { tags: ['alerts'], summary: 'My open alerts (alerted to me, or to people I manage): most severe first, then overdue, then oldest' },
  }, async (req) => {
    const actor = requireActor(req);
    if (actor.type !== 'practitioner') throw forbidden('Alerts are read by practitioners.');
    const now = clock();
    return (await myAlerts(db, actor, now)).map((r) => ({
      id: r.id, child_id: r.child_id, open_as: r.open_as, child_name: r.child_name, rule_id: r.rule_id, severity: r.severity, reason: r.reason, stage: r.stage,
      raised_at: r.raised_at.toISOString(), due_at: r.due_at?.toISOString() ?? null, overdue: r.overdue, alerted: r.alerted,
    }));
  });

  app.get('/api/children/:childId/alerts', {
    schema: { tags: ['alerts'], params: childParams, summary: 'The child’s alerts, open first, each with its rule, reason, triggering entries from every agency, stage and answer' },
  }, async (req) => alerts.list(requireActor(req), req.params.childId));

  app.get('/api/alerts/:alertId', {
    schema: { tags: ['alerts'], params: alertParams, summary: 'One alert: the rule, the reason, the triggering entries (linked), who is alerted at which stage, the answer and the trail' },
  }, async (req) => alerts.view(requireActor(req), req.params.alertId));

  app.post('/api/alerts/:alertId/answer', {
    schema: {
      tags: ['alerts'], params: alertParams, headers: idempotencyHeader, body: alertAnswerInput,
      summary: 'Answer an alert with a decision, an action (owner and date) or a reason no action is needed; the answer closes it',
      description: 'Only the people alerted so far and their managers may answer (403). 409 when the alert was already answered. A decision follows the decision rules (rationale, you as its named maker, positions).',
    },
  }, async (req, reply) => sendStored(reply, await alerts.answer(requireActor(req), req.params.alertId, req.body, req.headers['idempotency-key'])));
}
