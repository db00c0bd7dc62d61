import type { FastifyReply, FastifyRequest } from 'fastify';
import { asForm, field, fields, type FormErrors } from '../web/forms.js';
import { uuidParam, type Web } from '../web/shell.js';
import { requireAdministrator } from './admin.js';
import { choices, doneMessage, given, idemFrom, newIdem, pageErrors } from './page-helpers.js';
import type { AgencyCapability } from './routes.js';
import { apiTokenInput } from './schemas.js';

const messages: Record<string, string> = {
  agency_id: 'Choose the agency whose system will use the token',
  name: 'Enter what the token is for, 2 to 200 characters',
  entry_kinds: 'Choose at least one kind of entry the system may record',
};
const kindLabel = (k: string) => choices.entryKinds.find((e) => e.value === k)?.text ?? k;

/** API tokens for agency systems: listed without secrets, created (secret shown once), revoked. */
export function tokenPages(web: Web, c: AgencyCapability) {
  web.get('/admin/api-tokens', async (req, reply, actor) => {
    requireAdministrator(actor);
    const tokens = (await c.tokens.list(actor)).map((t) => ({ ...t, kinds: t.entry_kinds.map(kindLabel) }));
    return web.render(req, reply, 'agencies/tokens.njk', { pageTitle: 'API tokens', tokens });
  });

  const newPage = async (req: FastifyRequest, reply: FastifyReply, values: { agency_id: string; name: string; entry_kinds: string[] }, idem: string, errors?: FormErrors) => {
    const agencies = (await c.agencies.list()).map((a) => ({ value: a.id, text: a.name, selected: a.id === values.agency_id }));
    const kinds = choices.entryKinds.map((k) => ({ ...k, checked: values.entry_kinds.includes(k.value) }));
    return web.render(req, reply, 'agencies/token-new.njk', {
      pageTitle: 'Create an API token', agencies: [{ value: '', text: 'Choose an agency' }, ...agencies], kinds, values, idem, errors,
    }, errors ? 422 : 200);
  };

  web.get('/admin/api-tokens/new', async (req, reply, actor) => {
    requireAdministrator(actor);
    const agency = String((req.query as Record<string, unknown>).agency ?? '');
    return newPage(req, reply, { agency_id: agency, name: '', entry_kinds: [] }, newIdem());
  });

  web.post('/admin/api-tokens', async (req, reply, actor) => {
    requireAdministrator(actor);
    const form = asForm(req.body);
    const values = { agency_id: field(form, 'agency_id'), name: field(form, 'name'), entry_kinds: fields(form, 'entry_kinds') };
    const { idem, key } = idemFrom(form);
    let created;
    try {
      created = await c.tokens.create(actor, apiTokenInput.parse({ ...values, agency_id: given(values.agency_id) }), key);
    } catch (err) {
      const errors = pageErrors(err, messages, 'agency_id');
      if (!errors) throw err;
      return newPage(req, reply, values, idem, errors);
    }
    // Shown in this response only (pages are never cached); a resubmitted form finds the token made and no secret.
    const token = { ...created.body, kinds: created.body.entry_kinds.map(kindLabel) };
    return web.render(req, reply, 'agencies/token-created.njk', { pageTitle: 'API token created', token, secret: created.body.secret ?? null });
  });

  web.get('/admin/api-tokens/:tokenId', async (req, reply, actor) => {
    requireAdministrator(actor);
    const t = await c.tokens.show(actor, uuidParam(req, 'tokenId'));
    return web.render(req, reply, 'agencies/token.njk', { pageTitle: t.name, token: { ...t, kinds: t.entry_kinds.map(kindLabel) }, done: doneMessage(req.query) });
  });

  web.post('/admin/api-tokens/:tokenId/revoke', async (req, reply, actor) => {
    requireAdministrator(actor);
    const id = uuidParam(req, 'tokenId');
    await c.tokens.revoke(actor, id);
    return reply.redirect(`/admin/api-tokens/${id}?done=revoked`, 303);
  });
}
