import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { App } from '../http/server.js';
import { requireActor, sendStored } from '../http/server.js';
import { acknowledge, practitionerOnly } from './service.js';
import { acknowledgeInput, acknowledgement, noticeView, viewOf } from './schemas.js';
import { awaitingAcknowledgement, notificationsFor } from './store.js';

const idempotencyHeader = z.object({ 'idempotency-key': z.string().min(8).max(200).optional() });

/** My notices, and acknowledging those that ask for it. */
export function notificationRoutes(app: App, db: Kysely<DB>) {
  app.get('/api/notifications', {
    schema: {
      tags: ['notifications'],
      summary: 'My notices: those awaiting my acknowledgement first, then newest first (up to 100)',
      response: { 200: z.object({ awaiting_acknowledgement: z.number().int(), notifications: z.array(noticeView) }) },
    },
  }, async (req) => {
    const me = practitionerOnly(requireActor(req));
    return { awaiting_acknowledgement: await awaitingAcknowledgement(db, me.id), notifications: (await notificationsFor(db, me.id, 100)).map(viewOf) };
  });

  app.post('/api/notifications/:id/acknowledge', {
    schema: {
      tags: ['notifications'],
      summary: 'Acknowledge a notice that asks for it (an unscheduled-care check, emergency access)',
      description: 'Only its recipient may (404 for anyone else); once (409 after that, and for a notice that asks for no acknowledgement). '
        + 'Acknowledgements are kept for good, with who, when and the optional note.',
      params: z.object({ id: z.uuid() }),
      headers: idempotencyHeader,
      body: acknowledgeInput.optional(),
      response: { 201: acknowledgement },
    },
  }, async (req, reply) => sendStored(reply, await acknowledge(db, requireActor(req), req.params.id, req.body?.note, req.headers['idempotency-key'])));
}
