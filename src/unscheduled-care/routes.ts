import { z } from 'zod';
import type { App } from '../http/server.js';
import { requireActor, sendStored } from '../http/server.js';
import { checkAnswer, checkInput } from './schemas.js';
import type { UnscheduledCareService } from './service.js';

const idempotencyHeader = z.object({ 'idempotency-key': z.string().min(8).max(200).optional() });

/** The unscheduled-care check over the API, for A&E, minor injury units, walk-in centres and out-of-hours GPs. */
export function unscheduledCareRoutes(app: App, service: UnscheduledCareService) {
  app.post('/api/unscheduled-care/checks', {
    schema: {
      tags: ['unscheduled care'],
      summary: 'Check whether a child is on a child protection plan (CP-IS)',
      description: 'Look up by `nhs_number`, or by `given_name`, `family_name`, `date_of_birth` and `postcode` (exact, then the matcher: only one '
        + 'confident match counts). On a plan or looked after (a care order, an interim care order or s20 accommodation, until it ceased): the plan\'s start date or the '
        + 'date of the order, the responsible local authority and its numbers, and the last 25 checks; the category is never given. Otherwise '
        + 'exactly `{on_plan: false, looked_after: false}`; no single match answers `{match: "none"}` (200). Every check on a found child is recorded in the chronology (201) and the allocated worker '
        + 'and their manager are alerted. Health practitioners only (GP, paediatrician, health visitor); agency tokens are refused.',
      headers: idempotencyHeader,
      body: checkInput,
      response: { 200: checkAnswer, 201: checkAnswer },
    },
  }, async (req, reply) => sendStored(reply, await service.check(requireActor(req), req.body, req.headers['idempotency-key'])));
}
