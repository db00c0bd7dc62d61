import { z } from 'zod';
import type { App } from '../http/server.js';
import { requireActor } from '../http/server.js';
import type { ChildDoor } from './door.js';
import { accessLog } from './log.js';

const childParams = z.object({ childId: z.uuid() });
const idempotencyHeader = z.object({ 'idempotency-key': z.string().min(8).max(200).optional() });

export function accessRoutes(app: App, door: ChildDoor, emergencyHours: number) {
  app.post('/api/children/:childId/emergency-access', {
    schema: {
      tags: ['access'],
      summary: `Use emergency access to a child you have no relationship with: give the reason; it lasts ${emergencyHours} hours and the allocated worker and their manager are told at once`,
      params: childParams,
      headers: idempotencyHeader,
      body: z.object({ reason: z.string().trim().min(10, 'Give the reason in at least 10 characters').max(2000) }),
    },
  }, async (req, reply) => {
    const g = await door.grantEmergency(requireActor(req), req.params.childId, req.body.reason, emergencyHours, req.headers['idempotency-key']);
    return reply
      .status(201)
      .header('idempotent-replayed', String(g.replayed))
      .send({ id: g.id, child_id: req.params.childId.toLowerCase(), expires_at: g.expiresAt.toISOString(), notified: g.notified });
  });

  app.get('/api/children/:childId/access-log', {
    schema: {
      tags: ['access'],
      summary: 'Who has looked at this record: every read and write, newest first (itself audited)',
      params: childParams,
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }),
    },
  }, async (req) => accessLog(door, requireActor(req), req.params.childId, req.query.limit));
}
