import { z } from 'zod';
import type { App } from '../http/server.js';
import { requireActor, sendStored } from '../http/server.js';
import { boardView, concernView, raiseInput, stepInput } from './schemas.js';
import type { ConcernService } from './service.js';

const concernParams = z.object({ concernId: z.uuid() });
const idempotencyHeader = z.object({ 'idempotency-key': z.string().min(8).max(200).optional() });
const sealedNote = 'A sealed raiser’s identity is in the answer only for the raiser and the partnership’s independent chair; '
  + 'everyone else reads "Identity sealed at the raiser’s request". Every concern in the answer is an audited read.';

/** Concerns about a service over the API, and the oversight board's share of them. */
export function concernRoutes(app: App, concerns: ConcernService) {
  app.post('/api/concerns', {
    schema: {
      tags: ['concerns'],
      summary: 'Raise a concern about a service (whistleblowing)',
      description: 'About a service rather than a child. The accountable head (named, or the agency’s head of service) must acknowledge it and '
        + 'respond with an action plan within the WB1 and WB2 timescales; a missed deadline escalates it by itself to the director, then to the '
        + `safeguarding partnership. Set \`sealed\` to hide who raised it from everyone but the partnership’s independent chair. ${sealedNote}`,
      headers: idempotencyHeader,
      body: raiseInput,
      response: { 201: concernView },
    },
  }, async (req, reply) => sendStored(reply, await concerns.raise(requireActor(req), req.body, req.headers['idempotency-key'])));

  app.get('/api/concerns', {
    schema: { tags: ['concerns'], summary: 'My concerns: those I raised and those I am, or was, accountable for, newest first', description: sealedNote, response: { 200: z.array(concernView) } },
  }, async (req) => concerns.mine(requireActor(req)));

  app.get('/api/concerns/:concernId', {
    schema: { tags: ['concerns'], summary: 'A concern with its trail and the steps you may take', description: sealedNote, params: concernParams, response: { 200: concernView } },
  }, async (req) => concerns.get(requireActor(req), req.params.concernId));

  app.post('/api/concerns/:concernId/steps', {
    schema: {
      tags: ['concerns'],
      summary: 'Acknowledge, give an action plan, add an update, escalate or close',
      description: 'Only the person accountable at the current stage acknowledges, gives the action plan and closes (with a resolution); never the '
        + 'person the concern is about. The raiser and the accountable person may escalate; the raiser and those accountable may add updates. '
        + 'A step not allowed answers 403 (the wrong person) or 409 (not now), with the reason; nothing is written.',
      params: concernParams,
      headers: idempotencyHeader,
      body: stepInput,
      response: { 201: concernView },
    },
  }, async (req, reply) => sendStored(reply, await concerns.step(requireActor(req), req.params.concernId, req.body, req.headers['idempotency-key'])));

  app.get('/api/oversight/concerns', {
    schema: {
      tags: ['concerns'],
      summary: 'Oversight board: open concerns by stage and age, overdue first, each with its trail; closed ones with their resolution',
      description: `Managers (team manager, head of service, director) and auditors see concerns about their own agency; the partnership’s independent chair sees all; others their own. ${sealedNote}`,
      response: { 200: boardView },
    },
  }, async (req) => concerns.board(requireActor(req)));
}
