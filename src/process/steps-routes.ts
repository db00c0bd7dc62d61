import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { App } from '../http/server.js';
import { requireActor, sendStored } from '../http/server.js';
import { forbidden } from '../errors.js';
import { deadlineScopes, openDeadlines } from './deadlines-store.js';
import type { ProcessService } from './process-service.js';
import { stepInput, stepLabels, stepNames, stepSchemas, whoMayRecord } from './steps.js';

const childParams = z.object({ childId: z.uuid() });
const idempotencyHeader = z.object({ 'idempotency-key': z.string().min(8).max(200).optional() });

/** The statutory process over the API: record a step, see where a child stands, list what is due. */
export function processStepRoutes(app: App, process: ProcessService, db: Kysely<DB>, clock: () => Date = () => new Date()) {
  app.get('/api/process/steps', {
    schema: { tags: ['process'], summary: 'Every step of the process: its label, who may record it, and the JSON Schema of its data' },
  }, async (req) => {
    requireActor(req);
    return stepNames.map((step) => ({ step, label: stepLabels[step], recorded_by: whoMayRecord[step], data: z.toJSONSchema(stepSchemas[step], { io: 'input' }) }));
  });

  app.post('/api/children/:childId/process/steps', {
    schema: {
      tags: ['process'],
      summary: 'Record a step of the statutory process in the child’s chronology',
      description: 'The step is checked against the child’s process so far: an illegal step answers 409 naming the reason and the CIN census rule; '
        + 'a step completed after its deadline needs `late_reason` (422 without it). The answer carries the entry and the child’s process after it, '
        + 'with every deadline and the rule that set it. Send an Idempotency-Key so that a retry never records a step twice.',
      params: childParams,
      headers: idempotencyHeader,
      body: stepInput,
    },
  }, async (req, reply) => sendStored(reply, await process.record(requireActor(req), req.params.childId, req.body, req.headers['idempotency-key'])));

  app.get('/api/children/:childId/process', {
    schema: {
      tags: ['process'], summary: 'Where the child stands in the process: open episode, plans, orders, safety plans, what is due and what was done', params: childParams,
      description: '`merged_records`: each record merged into this child now, with its own process beside this one (never folded in; new steps act on this child’s own).',
    },
  }, async (req) => process.overview(requireActor(req), req.params.childId));

  app.get('/api/deadlines', {
    schema: {
      tags: ['process'],
      summary: 'Open deadlines for a work list, overdue first',
      description: '`mine`: children allocated to you (and police protection you took); `team`: your team and everyone you manage; '
        + '`conferences`: initial conferences your authority must convene. Names and dates only; the listing is audited.',
      querystring: z.object({ scope: z.enum(deadlineScopes).default('mine'), within_days: z.coerce.number().int().min(0).max(366).default(30) }),
    },
  }, async (req) => {
    const actor = requireActor(req);
    if (actor.type !== 'practitioner') throw forbidden('Work lists are for signed-in practitioners.');
    const rows = await openDeadlines(db, actor, req.query.scope, clock(), req.query.within_days);
    return rows.map((r) => ({ ...r, overdue_at: r.overdue_at.toISOString() }));
  });
}
