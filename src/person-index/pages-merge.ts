import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { asForm, field, formErrors, type FormErrors } from '../web/forms.js';
import { uuidParam, type Web } from '../web/shell.js';
import type { PersonIndexDeps } from './routes.js';

const formKey = (v: string) => (/^[0-9a-f-]{36}$/.test(v) ? v : randomUUID());

/**
 * From the child's page: merge a duplicate record into this child's, or undo such a merge. Each is a
 * short form with a reason; refusals (role, allocation, a record already merged) show beside it.
 */
export function mergePages(web: Web, d: PersonIndexDeps) {
  const page = (req: FastifyRequest, reply: FastifyReply, view: string, ctx: Record<string, unknown>, status = 200) =>
    web.render(req, reply, `person-index/${view}.njk`, { pageTitle: view === 'merge' ? 'Merge a duplicate record' : 'Undo a merge', ...ctx }, status);

  web.get('/children/:childId/merge', async (req, reply, actor) => {
    const childId = uuidParam(req, 'childId');
    await d.door.read(actor, childId, 'read_merge_form', async () => undefined);
    return page(req, reply, 'merge', { childId, values: {}, idem: randomUUID() });
  });

  web.post('/children/:childId/merge', async (req, reply, actor) => {
    const childId = uuidParam(req, 'childId');
    const form = asForm(req.body);
    const values = { duplicate: field(form, 'duplicate').toLowerCase(), reason: field(form, 'reason') };
    const idem = formKey(field(form, '_idem'));
    const again = (errors: FormErrors) => page(req, reply, 'merge', { childId, values, idem, errors }, 422);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(values.duplicate)) {
      return again({ list: [{ text: 'Enter the Sightline id of the duplicate record', href: '#duplicate' }], byField: { duplicate: 'Enter the Sightline id of the duplicate record' } });
    }
    try {
      await d.merges.merge(actor, values.duplicate, { into: childId, reason: values.reason }, `page-merge-${idem}`);
    } catch (err) {
      const errors = refusal(err, values.reason);
      if (!errors) throw err;
      return again(errors);
    }
    return reply.redirect(`/children/${childId}#person-index`, 303);
  });

  web.get('/children/:childId/unmerge/:mergedId', async (req, reply, actor) => {
    const childId = uuidParam(req, 'childId');
    await d.door.read(actor, childId, 'read_merge_form', async () => undefined);
    return page(req, reply, 'unmerge', { childId, mergedId: uuidParam(req, 'mergedId'), values: {}, idem: randomUUID() });
  });

  web.post('/children/:childId/unmerge/:mergedId', async (req, reply, actor) => {
    const childId = uuidParam(req, 'childId');
    const mergedId = uuidParam(req, 'mergedId');
    const form = asForm(req.body);
    const values = { reason: field(form, 'reason') };
    const idem = formKey(field(form, '_idem'));
    try {
      await d.merges.unmerge(actor, mergedId, values, `page-unmerge-${idem}`);
    } catch (err) {
      const errors = refusal(err, values.reason);
      if (!errors) throw err;
      return page(req, reply, 'unmerge', { childId, mergedId, values, idem, errors }, 422);
    }
    return reply.redirect(`/children/${childId}#person-index`, 303);
  });
}

/** Validation, a conflict, a refusal (403) or a record not found, said beside the form. */
function refusal(err: unknown, reason: string): FormErrors | undefined {
  const status = (err as { status?: number }).status;
  if (status === 403 || status === 404) {
    const text = (err as Error).message;
    return { list: [{ text, href: '#reason' }], byField: { reason: text } };
  }
  return formErrors(err, { fieldFor: (p) => (p === 'into' ? 'duplicate' : 'reason'), message: (p, m) => (p === 'reason' && !reason ? 'Give the reason' : m) });
}
