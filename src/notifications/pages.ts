import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { asForm, field, formErrors, type FormErrors } from '../web/forms.js';
import { uuidParam, type Practitioner, type Web } from '../web/shell.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { acknowledgeInput } from './schemas.js';
import { acknowledge } from './service.js';
import { awaitingAcknowledgement, notificationsFor } from './store.js';

const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

/** `/notices`: my notices, those awaiting my acknowledgement first, each with an "Acknowledge" form. */
export function notificationPages(web: Web, db: Kysely<DB>) {
  async function page(req: FastifyRequest, reply: FastifyReply, actor: Practitioner, ctx: { errors?: FormErrors; values?: Record<string, string>; done?: string } = {}, status = 200) {
    const notices = await notificationsFor(db, actor.id, 100);
    return web.render(req, reply, 'notifications/notices.njk', {
      pageTitle: 'Notices',
      awaiting: await awaitingAcknowledgement(db, actor.id),
      notices: notices.map((n) => ({ ...n, pending: n.must_acknowledge && !n.acknowledged_at, idem: randomUUID() })),
      values: ctx.values ?? {},
      errors: ctx.errors,
      done: ctx.done,
    }, status);
  }

  web.get('/notices', async (req, reply, actor) => {
    const done = String((req.query as Record<string, unknown>).acknowledged ?? '');
    return page(req, reply, actor, { done: isUuid(done) ? done : undefined });
  });

  web.post('/notices/:id/acknowledge', async (req, reply, actor) => {
    const id = uuidParam(req, 'id');
    const form = asForm(req.body);
    const note = field(form, 'note');
    const idem = isUuid(field(form, '_idem')) ? field(form, '_idem') : randomUUID();
    try {
      await acknowledge(db, actor, id, acknowledgeInput.parse({ note }).note, `page-acknowledge-${idem}`);
    } catch (err) {
      const errors = formErrors(err, { fieldFor: () => `note-${id}`, message: (p, m) => (p === 'note' ? 'The note must be 1,000 characters or fewer' : m) });
      if (!errors) throw err;
      return page(req, reply, actor, { errors, values: { [id]: note } }, 422);
    }
    return reply.redirect(`/notices?acknowledged=${id}`, 303);
  });
}
