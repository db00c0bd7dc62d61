import { z } from 'zod';
import type { App } from '../http/server.js';
import { requireActor, sendStored } from '../http/server.js';
import type { ChildDoor } from '../access/door.js';
import type { MergeService } from './merge.js';
import type { ReviewService } from './reviews.js';
import { agencyRecordInput, decisionInput, mergeInput, submitAnswer, unmergeInput } from './schemas.js';
import { personIndexSection } from './section.js';
import type { PersonIndexService } from './service.js';

const idempotencyHeader = z.object({ 'idempotency-key': z.string().min(8).max(200).optional() });
const idParams = z.object({ id: z.uuid() });
const tags = ['person index'];

export interface PersonIndexDeps { index: PersonIndexService; reviews: ReviewService; merges: MergeService; door: ChildDoor }

/** The person index over the API: agencies' records, the review queue, merging and unmerging. */
export function personIndexRoutes(app: App, d: PersonIndexDeps) {
  app.post('/api/person-index/records', {
    schema: {
      tags, summary: "Send an agency's own record of a person: linked, queued for review, or a new person",
      description: 'Matched against the persons Sightline knows (blocked by date of birth or surname, NHS number and the agency\'s local id). '
        + 'At or above the certain threshold with no rival: `linked` (the local id joins the person\'s identifiers). Between the thresholds: '
        + '`queued` for a reviewer, the record held unlinked. Below: `created`, a new child or adult. `explanation` gives each field\'s level, '
        + 'm, u and weight; `match_weight` is their sum with `prior_weight`. A resubmitted local id is a new version.',
      headers: idempotencyHeader, body: agencyRecordInput, response: { 201: submitAnswer },
    },
  }, async (req, reply) => sendStored(reply, await d.index.submit(requireActor(req), req.body, req.headers['idempotency-key'])));

  app.get('/api/person-index/reviews', {
    schema: { tags, summary: 'The review queue, oldest first (team managers, heads of service and administrators of a local authority)' },
  }, async (req) => ({ items: await d.reviews.list(requireActor(req)) }));

  app.get('/api/person-index/reviews/:id', {
    schema: { tags, summary: 'One review item: both records field by field, each field\'s weight and their sum (audited)', params: idParams },
  }, async (req) => d.reviews.view(requireActor(req), req.params.id));

  app.post('/api/person-index/reviews/:id/decision', {
    schema: { tags, summary: '"same" links the record; "different" creates a new person. A reason is required.', params: idParams, headers: idempotencyHeader, body: decisionInput },
  }, async (req, reply) => sendStored(reply, await d.reviews.decide(requireActor(req), req.params.id, req.body, req.headers['idempotency-key'])));

  app.post('/api/people/:id/merge', {
    schema: { tags, summary: 'Merge this child\'s record into another\'s (`into`): an event; nothing moves, and unmerge undoes it', params: idParams, headers: idempotencyHeader, body: mergeInput },
  }, async (req, reply) => sendStored(reply, await d.merges.merge(requireActor(req), req.params.id, req.body, req.headers['idempotency-key'])));

  app.post('/api/people/:id/unmerge', {
    schema: { tags, summary: 'Undo the merge of this child\'s record: both records are exactly as they were, plus what was recorded since', params: idParams, headers: idempotencyHeader, body: unmergeInput },
  }, async (req, reply) => sendStored(reply, await d.merges.unmerge(requireActor(req), req.params.id, req.body, req.headers['idempotency-key'])));

  app.get('/api/children/:id/person-index', {
    schema: { tags, summary: 'Agency records linked to this child, and the merge history', params: idParams },
  }, async (req) => personIndexSection(d.door, requireActor(req), req.params.id));
}
