import { z } from 'zod';
import type { App } from '../http/server.js';
import { requireActor, sendStored } from '../http/server.js';
import { forbidden } from '../errors.js';
import { entryInput, entryKindNames } from './kinds.js';
import { batchItem, MAX_BATCH, type RecordService } from './service.js';
import type { IntegrityService } from './integrity.js';

const childParams = z.object({ childId: z.uuid() });
const idempotencyHeader = z.object({ 'idempotency-key': z.string().min(8).max(200).optional() });

export function recordRoutes(app: App, record: RecordService, integrity: IntegrityService) {
  app.get('/api/children/:childId/entries', {
    schema: {
      tags: ['record'],
      summary: "A child's chronology, newest first (every agency's entries)",
      params: childParams,
      querystring: z.object({
        agency: z.uuid().optional(),
        kind: z.union([z.enum(entryKindNames as [string, ...string[]]), z.array(z.enum(entryKindNames as [string, ...string[]]))]).optional(),
      }),
    },
  }, async (req, reply) => {
    const kinds = req.query.kind === undefined ? undefined : ([] as string[]).concat(req.query.kind);
    // Sent as the database built it: a long chronology is megabytes of JSON (docs/BENCHMARKS.md).
    const json = await record.chronologyJson(requireActor(req), req.params.childId, { agencyId: req.query.agency, kinds });
    return reply.type('application/json; charset=utf-8').send(json);
  });

  app.post('/api/children/:childId/entries', {
    schema: {
      tags: ['record'],
      summary: "Add an entry to a child's chronology. Send an Idempotency-Key so that a retry never duplicates it.",
      params: childParams,
      headers: idempotencyHeader,
      body: entryInput,
    },
  }, async (req, reply) => {
    const res = await record.append(requireActor(req), req.params.childId, req.body, req.headers['idempotency-key']);
    return sendStored(reply, res);
  });

  app.post('/api/entries/batch', {
    // Refuse anonymous callers before reading a large body.
    onRequest: async (req) => void requireActor(req),
    bodyLimit: 8 * 1024 * 1024,
    // The schema documents the body; RecordService.appendBatch validates it so that a bad item
    // answers 422 naming its index and field rather than a bare schema error.
    attachValidation: true,
    schema: {
      tags: ['record'],
      summary: `Add up to ${MAX_BATCH} entries, for any children, in one transaction (agency systems). All are recorded or none. Send an Idempotency-Key so that a retry never duplicates them.`,
      headers: idempotencyHeader,
      body: z.object({ items: z.array(batchItem).min(1).max(MAX_BATCH) }),
    },
  }, async (req, reply) => {
    const key = idempotencyHeader.parse(req.headers)['idempotency-key'];
    const body = req.body as unknown;
    const items = body && typeof body === 'object' ? (body as { items?: unknown }).items : undefined;
    const res = await record.appendBatch(requireActor(req), items, key);
    return sendStored(reply, res);
  });

  app.get('/api/children/:childId/integrity', {
    schema: { tags: ['integrity'], summary: "Prove that a child's chronology is intact (auditors)", params: childParams },
  }, async (req) => {
    const actor = requireActor(req);
    if (actor.type !== 'practitioner' || actor.role !== 'auditor') throw forbidden('Only an auditor can verify records.');
    return integrity.verifyOne(actor, req.params.childId);
  });

  app.get('/api/integrity', {
    schema: { tags: ['integrity'], summary: 'Prove that every chronology is intact (auditors)' },
  }, async (req) => {
    const actor = requireActor(req);
    if (actor.type !== 'practitioner' || actor.role !== 'auditor') throw forbidden('Only an auditor can verify records.');
    return integrity.verifyAll(actor);
  });
}
