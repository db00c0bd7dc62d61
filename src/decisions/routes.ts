import { z } from 'zod';
import type { App } from '../http/server.js';
import { requireActor, sendStored } from '../http/server.js';
import type { DecisionService } from './decision-service.js';
import type { DisagreementService } from './disagreement-service.js';
import { decisionInput, disagreementInput, positionInput, raiserAnswerInput, responseInput } from './schemas.js';

const childParams = z.object({ childId: z.uuid() });
const decisionParams = childParams.extend({ decisionId: z.uuid() });
const disagreementParams = childParams.extend({ disagreementId: z.uuid() });
const idempotencyHeader = z.object({ 'idempotency-key': z.string().min(8).max(200).optional() });
const key = (h: { 'idempotency-key'?: string }) => h['idempotency-key'];

/** Decisions and disagreements over the API; every call goes through the child's door. */
export function decisionRoutes(app: App, decisions: DecisionService, disagreements: DisagreementService) {
  app.get('/api/children/:childId/decisions', {
    schema: { tags: ['decisions'], summary: 'The child’s decisions, newest first: maker, rationale, options, positions, superseded and disputed', params: childParams },
  }, async (req) => decisions.list(requireActor(req), req.params.childId));

  app.post('/api/children/:childId/decisions', {
    schema: {
      tags: ['decisions'], params: childParams, headers: idempotencyHeader, body: decisionInput,
      summary: 'Record a decision: you are its named maker. Each dissenting participant opens a disagreement with you at once.',
      description: 'A rationale is required. To replace a decision, name it in supersedes_id and say why; decisions are never edited. 409 when the decision to supersede is not in the record or was already superseded. A replacement of a decision from a record merged into this child goes on that record (`child_id` in the answer names the record written to).',
    },
  }, async (req, reply) => sendStored(reply, await decisions.record(requireActor(req), req.params.childId, req.body, key(req.headers))));

  app.post('/api/children/:childId/decisions/:decisionId/positions', {
    schema: {
      tags: ['decisions'], params: decisionParams, headers: idempotencyHeader, body: positionInput, summary: 'State your own position on a decision you took part in; a dissent opens a disagreement with its maker',
      description: 'A decision from a record merged into this child takes the position (and any disagreement) on that record; `child_id` in the answer names the record written to.',
    },
  }, async (req, reply) => sendStored(reply, await decisions.position(requireActor(req), req.params.childId, req.params.decisionId, req.body, key(req.headers))));

  app.get('/api/children/:childId/disagreements', {
    schema: { tags: ['decisions'], summary: 'The child’s professional disagreements, open and closed, each with its trail', params: childParams },
  }, async (req) => disagreements.list(requireActor(req), req.params.childId));

  app.post('/api/children/:childId/disagreements', {
    schema: { tags: ['decisions'], params: childParams, headers: idempotencyHeader, body: disagreementInput, summary: 'Raise a disagreement with a practitioner, about a decision or a lack of action; urgent ones run in hours',
      description: 'About a decision from a record merged into this child: the disagreement goes on that record (`child_id` in the answer).' },
  }, async (req, reply) => sendStored(reply, await disagreements.open(requireActor(req), req.params.childId, req.body, key(req.headers))));

  app.get('/api/children/:childId/disagreements/:disagreementId', {
    schema: { tags: ['decisions'], params: disagreementParams, summary: 'One disagreement: its stage, deadline, who answers now, and its trail' },
  }, async (req) => disagreements.view(requireActor(req), req.params.childId, req.params.disagreementId));

  app.post('/api/children/:childId/disagreements/:disagreementId/responses', {
    schema: { tags: ['decisions'], params: disagreementParams, headers: idempotencyHeader, body: responseInput, summary: 'Respond at the current stage (only those answering at this stage may)' },
  }, async (req, reply) => sendStored(reply, await disagreements.respond(requireActor(req), req.params.childId, req.params.disagreementId, req.body, key(req.headers))));

  app.post('/api/children/:childId/disagreements/:disagreementId/answer', {
    schema: { tags: ['decisions'], params: disagreementParams, headers: idempotencyHeader, body: raiserAnswerInput, summary: 'The raiser accepts the response (it closes) or does not (it goes up a stage)' },
  }, async (req, reply) => sendStored(reply, await disagreements.answer(requireActor(req), req.params.childId, req.params.disagreementId, req.body, key(req.headers))));
}
