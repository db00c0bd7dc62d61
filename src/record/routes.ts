import { z } from 'zod';
import type { App } from '../http/server.js';
import { requireActor, sendStored } from '../http/server.js';
import { forbidden } from '../errors.js';
import { entryInput, entryKindNames } from './kinds.js';
import { batchItem, MAX_BATCH, type RecordService } from './service.js';
import type { IntegrityService } from './integrity.js';

const childParams = z.object({ childId: z.uuid() });
const idempotencyHeader = z.object({ 'idempotency-key': z.string().min(8).max(200).optional() });
const kindName = z.enum(entryKindNames as [string, ...string[]]);

/**
 * The chronology's list form (documentation: the route sends bytes built by RecordService.chronologyJson,
 * and test/record/chronology-json.test.ts holds them to the entries the pages show). Each agency that
 * wrote an entry is named once, by its current name; an entry's chain link (`prev_hash`) and seal are
 * proved by the integrity endpoint rather than repeated here.
 */
export const chronologyList = z.object({
  basis: z.string().describe('Why the caller may read this record (their relationship with the child, or own_agency_entries for an agency system)'),
  agencies: z.record(z.uuid(), z.object({ name: z.string(), kind: z.string() })).describe('Every agency that wrote a listed entry, by id, as it is named now'),
  entries: z.array(z.object({
    child_id: z.uuid().optional().describe('Only when other records are merged into this child: the record (chain) the entry is on; `seq` counts within it'),
    seq: z.number().int().describe('The entry\'s place in the child\'s chain, from 1'),
    id: z.uuid(),
    kind: kindName,
    occurred_at: z.iso.datetime().describe('When it happened'),
    recorded_at: z.iso.datetime().describe('When Sightline recorded it'),
    author: z.object({
      id: z.uuid().nullable().describe('The practitioner; null when an agency system wrote it'),
      name: z.string(),
      role: z.string(),
      agency_id: z.uuid().describe('A key of `agencies`'),
      via_token_id: z.uuid().nullable().describe('The API token of the agency system that wrote it'),
    }),
    concerns: z.array(z.uuid()),
    narrative: z.string(),
    data: z.record(z.string(), z.unknown()).describe('The fields of the entry\'s kind'),
    supersedes_id: z.uuid().nullable().describe('The entry this one corrects'),
    correction_reason: z.string().nullable(),
    superseded_by: z.uuid().nullable().describe('The newest entry that corrects this one'),
    hash: z.string().describe('SHA-256 of the entry\'s canonical content, as sealed'),
  })).describe('Every entry the caller may see, newest first (by when it happened, then by place in the chain)'),
});

export function recordRoutes(app: App, record: RecordService, integrity: IntegrityService) {
  app.get('/api/children/:childId/entries', {
    schema: {
      tags: ['record'],
      summary: "A child's whole chronology, newest first (every agency's entries), with the agencies that wrote them",
      params: childParams,
      querystring: z.object({
        agency: z.uuid().optional(),
        kind: z.union([kindName, z.array(kindName)]).optional(),
      }),
      response: { 200: chronologyList },
    },
  }, async (req, reply) => {
    const kinds = req.query.kind === undefined ? undefined : ([] as string[]).concat(req.query.kind);
    // Sent as built from the stored entry JSON (a Buffer skips the schema's serialiser): a long
    // chronology is megabytes (docs/BENCHMARKS.md).
    const json = await record.chronologyJson(requireActor(req), req.params.childId, { agencyId: req.query.agency, kinds });
    return reply.type('application/json; charset=utf-8').send(json as never);
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
