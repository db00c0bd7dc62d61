import type { FastifyReply, FastifyRequest } from 'fastify';
import { asForm, field, type FormErrors } from '../web/forms.js';
import { uuidParam, type Web } from '../web/shell.js';
import { requireAdministrator } from './admin.js';
import { choices, doneMessage, given, idemFrom, newIdem, pageErrors } from './page-helpers.js';
import { practitionerPages } from './pages-practitioners.js';
import { tokenPages } from './pages-tokens.js';
import type { AgencyCapability } from './routes.js';
import { agencyContactUpdate, agencyInput, teamInput } from './schemas.js';

const agencyMessages: Record<string, string> = {
  kind: 'Choose the kind of agency',
  name: 'Enter the agency’s name, 2 to 200 characters',
  code: 'Enter a short code of 2 to 20 capital letters, digits or hyphens, like NMC',
  jurisdiction: 'Choose England or Wales',
  office_hours_phone: 'Enter a telephone number, like 01632 960 001',
  out_of_hours_phone: 'Enter a telephone number, like 01632 960 001',
};
const teamMessages: Record<string, string> = { name: 'Enter the team’s name, 2 to 200 characters' };

/** The administrator's pages: agencies and teams here; practitioners and API tokens in their own files. */
export function agencyPages(web: Web, c: AgencyCapability) {
  web.get('/admin', async (req, reply, actor) => {
    requireAdministrator(actor);
    return web.render(req, reply, 'agencies/admin.njk', { pageTitle: 'Administration' });
  });

  web.get('/admin/agencies', async (req, reply, actor) => {
    requireAdministrator(actor);
    return web.render(req, reply, 'agencies/agencies.njk', { pageTitle: 'Agencies', agencies: await c.agencies.list(), kinds: choices.agencyKinds });
  });

  const newAgencyPage = (req: FastifyRequest, reply: FastifyReply, values: Record<string, string>, idem: string, errors?: FormErrors) =>
    web.render(req, reply, 'agencies/agency-new.njk', { pageTitle: 'Add an agency', values, idem, errors, kinds: choices.agencyKinds.map((k) => ({ ...k, checked: values.kind === k.value })) }, errors ? 422 : 200);

  web.get('/admin/agencies/new', async (req, reply, actor) => {
    requireAdministrator(actor);
    return newAgencyPage(req, reply, { jurisdiction: 'england' }, newIdem());
  });

  web.post('/admin/agencies', async (req, reply, actor) => {
    requireAdministrator(actor);
    const form = asForm(req.body);
    const values = Object.fromEntries(['kind', 'name', 'code', 'jurisdiction', 'office_hours_phone', 'out_of_hours_phone'].map((k) => [k, field(form, k)]));
    const { idem, key } = idemFrom(form);
    try {
      const input = agencyInput.parse({
        ...values, kind: given(values.kind), jurisdiction: given(values.jurisdiction), code: values.code.toUpperCase(),
        office_hours_phone: given(values.office_hours_phone), out_of_hours_phone: given(values.out_of_hours_phone),
      });
      const res = await c.agencies.create(actor, input, key);
      return reply.redirect(`/admin/agencies/${res.body.id}?done=created`, 303);
    } catch (err) {
      const errors = pageErrors(err, agencyMessages, 'kind');
      if (!errors) throw err;
      return newAgencyPage(req, reply, values, idem, errors);
    }
  });

  const agencyPage = async (
    req: FastifyRequest, reply: FastifyReply, agencyId: string,
    state: { contact?: Record<string, string>; team?: Record<string, string>; errors?: FormErrors; idem?: string } = {},
  ) => {
    const agency = await c.agencies.show(agencyId);
    return web.render(req, reply, 'agencies/agency.njk', {
      pageTitle: agency.name,
      agency,
      kindLabel: choices.agencyKinds.find((k) => k.value === agency.kind)?.text ?? agency.kind,
      contact: state.contact ?? { office_hours_phone: agency.office_hours_phone ?? '', out_of_hours_phone: agency.out_of_hours_phone ?? '' },
      team: state.team ?? {},
      errors: state.errors,
      idem: state.idem ?? newIdem(),
      done: state.errors ? undefined : doneMessage(req.query),
    }, state.errors ? 422 : 200);
  };

  web.get('/admin/agencies/:agencyId', async (req, reply, actor) => {
    requireAdministrator(actor);
    return agencyPage(req, reply, uuidParam(req, 'agencyId'));
  });

  web.post('/admin/agencies/:agencyId/contact', async (req, reply, actor) => {
    requireAdministrator(actor);
    const agencyId = uuidParam(req, 'agencyId');
    const form = asForm(req.body);
    const contact = { office_hours_phone: field(form, 'office_hours_phone'), out_of_hours_phone: field(form, 'out_of_hours_phone') };
    try {
      // A blank box clears the number.
      const patch = agencyContactUpdate.parse({ office_hours_phone: given(contact.office_hours_phone) ?? null, out_of_hours_phone: given(contact.out_of_hours_phone) ?? null });
      await c.agencies.updateContact(actor, agencyId, patch);
      return reply.redirect(`/admin/agencies/${agencyId}?done=contact`, 303);
    } catch (err) {
      const errors = pageErrors(err, agencyMessages, 'office_hours_phone');
      if (!errors) throw err;
      return agencyPage(req, reply, agencyId, { contact, errors });
    }
  });

  web.post('/admin/agencies/:agencyId/teams', async (req, reply, actor) => {
    requireAdministrator(actor);
    const agencyId = uuidParam(req, 'agencyId');
    const form = asForm(req.body);
    const team = { name: field(form, 'name'), screening: field(form, 'screening') };
    const { idem, key } = idemFrom(form);
    try {
      const input = teamInput.parse({ name: team.name, screening: team.screening === 'yes' });
      await c.agencies.createTeam(actor, agencyId, input.name, key, input.screening);
      return reply.redirect(`/admin/agencies/${agencyId}?done=team#teams`, 303);
    } catch (err) {
      const errors = pageErrors(err, teamMessages, 'name');
      if (!errors) throw err;
      return agencyPage(req, reply, agencyId, { team, errors, idem });
    }
  });

  practitionerPages(web, c);
  tokenPages(web, c);
}
