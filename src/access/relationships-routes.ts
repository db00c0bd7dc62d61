import { z } from 'zod';
import type { App } from '../http/server.js';
import { requireActor, sendStored } from '../http/server.js';
import type { RelationshipService } from './relationships-service.js';
import { allocationInput, groupMemberInput } from './relationships-schemas.js';

const childParams = z.object({ childId: z.uuid() });
const idempotencyHeader = z.object({ 'idempotency-key': z.string().min(8).max(200).optional() });
const who = 'Local authority team managers and heads of service who can reach the child; a child you cannot reach answers 404.';

export function relationshipRoutes(app: App, r: RelationshipService) {
  const tags = ['access'];
  app.get('/api/children/:childId/allocation', {
    schema: { tags, summary: "The child's allocated worker and team now, and every allocation before", params: childParams },
  }, async (req) => r.allocations(requireActor(req), req.params.childId));

  app.post('/api/children/:childId/allocation', {
    schema: { tags, summary: 'Allocate the child to a worker and team; ends the allocation before it', description: who, params: childParams, headers: idempotencyHeader, body: allocationInput },
  }, async (req, reply) => {
    const res = await r.allocate(requireActor(req), req.params.childId, req.body, req.headers['idempotency-key']);
    return sendStored(reply, res);
  });

  app.delete('/api/children/:childId/allocation', {
    schema: { tags, summary: 'End the current allocation, leaving the child unallocated', description: who, params: childParams },
  }, async (req) => r.endAllocation(requireActor(req), req.params.childId));

  app.delete('/api/children/:childId/allocations/:allocationId', {
    schema: {
      tags, summary: 'End one current allocation: the child’s own, or one of a record merged into the child (listed in `merged` of GET …/allocation)',
      description: who, params: childParams.extend({ allocationId: z.uuid() }),
    },
  }, async (req) => r.endAllocationById(requireActor(req), req.params.childId, req.params.allocationId));

  app.get('/api/children/:childId/group-members', {
    schema: { tags, summary: "The child's core group and strategy discussion members, now and before", params: childParams },
  }, async (req) => r.groupMembers(requireActor(req), req.params.childId));

  app.post('/api/children/:childId/group-members', {
    schema: { tags, summary: "Add a practitioner to the child's core group or strategy discussion", description: who, params: childParams, headers: idempotencyHeader, body: groupMemberInput },
  }, async (req, reply) => {
    const res = await r.addGroupMember(requireActor(req), req.params.childId, req.body, req.headers['idempotency-key']);
    return sendStored(reply, res);
  });

  app.delete('/api/children/:childId/group-members/:memberId', {
    schema: { tags, summary: 'End a group membership', description: who, params: childParams.extend({ memberId: z.uuid() }) },
  }, async (req) => r.removeGroupMember(requireActor(req), req.params.childId, req.params.memberId));
}
