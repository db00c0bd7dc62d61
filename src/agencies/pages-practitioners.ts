import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../access/actor.js';
import { asForm, field, formErrors, type FormBody, type FormErrors } from '../web/forms.js';
import { uuidParam, type Web } from '../web/shell.js';
import { requireAdministrator } from './admin.js';
import { choices, doneMessage, given, idemFrom, newIdem, pageErrors } from './page-helpers.js';
import type { AgencyCapability } from './routes.js';
import { newPractitionerInput, passwordReset, practitionerUpdate, roleLabels, type Role } from './schemas.js';

const messages: Record<string, string> = {
  agency_id: 'Choose an agency',
  team_id: 'Choose a team in the practitioner’s own agency',
  manager_id: 'Choose a manager in the practitioner’s own agency',
  email: 'Enter an email address, like name@example.com',
  display_name: 'Enter the practitioner’s name, 2 to 200 characters',
  role: 'Choose a role',
  password: 'Enter a password of at least 12 characters',
};
const detailFields = ['display_name', 'role', 'team_id', 'manager_id'] as const;

/** What the practitioner forms send, as the schemas want it (a ticked box is "yes"). */
const detailsFrom = (form: FormBody) => ({
  display_name: field(form, 'display_name'),
  role: field(form, 'role'),
  team_id: field(form, 'team_id'),
  manager_id: field(form, 'manager_id'),
  qualified_social_worker: field(form, 'qualified_social_worker') === 'yes',
});

export function practitionerPages(web: Web, c: AgencyCapability) {
  /** Teams and possible managers offered for an agency's practitioners (never the person themselves). */
  const optionsFor = async (actor: Actor, agencyId: string, self?: { id: string; managerId: string | null }) => {
    const agency = await c.agencies.show(agencyId);
    const people = await c.practitioners.list(actor, { agencyId });
    return {
      agency,
      teams: [{ value: '', text: 'No team' }, ...agency.teams.map((t) => ({ value: t.id, text: t.name }))],
      managers: [{ value: '', text: 'No manager' }, ...people.filter((p) => (p.active || p.id === self?.managerId) && p.id !== self?.id).map((p) => ({ value: p.id, text: `${p.display_name} (${roleLabels[p.role as Role] ?? p.role})` }))],
      roles: choices.roles,
    };
  };

  web.get('/admin/practitioners', async (req, reply, actor) => {
    requireAdministrator(actor);
    const query = req.query as Record<string, unknown>;
    const agencyId = uuidOrUndefined(String(query.agency ?? ''));
    const teamId = uuidOrUndefined(String(query.team ?? ''));
    const [people, agencies] = await Promise.all([c.practitioners.list(actor, { agencyId, teamId }), c.agencies.list()]);
    return web.render(req, reply, 'agencies/practitioners.njk', {
      pageTitle: 'Practitioners', people, agencyId, teamName: teamId ? people[0]?.team_name ?? null : null, roleLabels,
      agencies: [{ value: '', text: 'All agencies' }, ...agencies.map((a) => ({ value: a.id, text: a.name, selected: a.id === agencyId }))],
    });
  });

  const newPage = async (req: FastifyRequest, reply: FastifyReply, actor: Actor, agencyId: string | undefined, values: Record<string, unknown>, idem: string, errors?: FormErrors) => {
    if (!agencyId) {
      const agencies = (await c.agencies.list()).map((a) => ({ value: a.id, text: a.name }));
      return web.render(req, reply, 'agencies/practitioner-agency.njk', { pageTitle: 'Add a practitioner', agencies, errors }, errors ? 422 : 200);
    }
    const options = await optionsFor(actor, agencyId);
    return web.render(req, reply, 'agencies/practitioner-new.njk', { pageTitle: 'Add a practitioner', ...options, values, idem, errors }, errors ? 422 : 200);
  };

  web.get('/admin/practitioners/new', async (req, reply, actor) => {
    requireAdministrator(actor);
    const agency = String((req.query as Record<string, unknown>).agency ?? '');
    if (agency === '' && 'agency' in (req.query as object)) {
      return newPage(req, reply, actor, undefined, {}, newIdem(), { list: [{ text: messages.agency_id, href: '#agency' }], byField: { agency: messages.agency_id } });
    }
    return newPage(req, reply, actor, /^[0-9a-f-]{36}$/i.test(agency) ? agency.toLowerCase() : undefined, {}, newIdem());
  });

  web.post('/admin/practitioners', async (req, reply, actor) => {
    requireAdministrator(actor);
    const form = asForm(req.body);
    const agencyId = uuidOrUndefined(field(form, 'agency_id'));
    const values = { ...detailsFrom(form), email: field(form, 'email') };
    const { idem, key } = idemFrom(form);
    try {
      const input = newPractitionerInput.parse({
        ...values, agency_id: agencyId, role: given(values.role), team_id: given(values.team_id), manager_id: given(values.manager_id),
        password: typeof form.password === 'string' ? form.password : '',
      });
      const res = await c.practitioners.create(actor, input, key);
      return reply.redirect(`/admin/practitioners/${res.body.id}?done=created`, 303);
    } catch (err) {
      const errors = pageErrors(err, messages, 'display_name');
      if (!errors) throw err;
      return newPage(req, reply, actor, agencyId, values, idem, errors);
    }
  });

  const personPage = async (req: FastifyRequest, reply: FastifyReply, actor: Actor, id: string, state: { values?: Record<string, unknown>; errors?: FormErrors } = {}) => {
    const person = await c.practitioners.show(actor, id);
    const options = await optionsFor(actor, person.agency_id, { id, managerId: person.manager_id });
    return web.render(req, reply, 'agencies/practitioner.njk', {
      pageTitle: person.display_name, person, ...options,
      roleLabel: roleLabels[person.role as Role] ?? person.role,
      values: state.values ?? { ...Object.fromEntries(detailFields.map((f) => [f, person[f] ?? ''])), qualified_social_worker: person.qualified_social_worker },
      errors: state.errors,
      done: state.errors ? undefined : doneMessage(req.query),
    }, state.errors ? 422 : 200);
  };

  web.get('/admin/practitioners/:practitionerId', async (req, reply, actor) => {
    requireAdministrator(actor);
    return personPage(req, reply, actor, uuidParam(req, 'practitionerId'));
  });

  web.post('/admin/practitioners/:practitionerId', async (req, reply, actor) => {
    requireAdministrator(actor);
    const id = uuidParam(req, 'practitionerId');
    const values = detailsFrom(asForm(req.body));
    try {
      const patch = practitionerUpdate.parse({ ...values, role: given(values.role), team_id: given(values.team_id) ?? null, manager_id: given(values.manager_id) ?? null });
      await c.practitioners.update(actor, id, patch);
      return reply.redirect(`/admin/practitioners/${id}?done=updated`, 303);
    } catch (err) {
      const errors = pageErrors(err, messages, 'display_name');
      if (!errors) throw err;
      return personPage(req, reply, actor, id, { values, errors });
    }
  });

  const accountActions = { deactivate: 'deactivated', reactivate: 'reactivated', unlock: 'unlocked' } as const;
  for (const [action, done] of Object.entries(accountActions) as [keyof typeof accountActions, string][]) {
    web.post(`/admin/practitioners/:practitionerId/${action}`, async (req, reply, actor) => {
      requireAdministrator(actor);
      const id = uuidParam(req, 'practitionerId');
      try {
        await c.practitioners[action](actor, id);
      } catch (err) {
        const errors = formErrors(err, { fieldFor: () => 'account' });
        if (!errors) throw err;
        return personPage(req, reply, actor, id, { errors });
      }
      return reply.redirect(`/admin/practitioners/${id}?done=${done}`, 303);
    });
  }

  web.post('/admin/practitioners/:practitionerId/password', async (req, reply, actor) => {
    requireAdministrator(actor);
    const id = uuidParam(req, 'practitionerId');
    const form = asForm(req.body);
    try {
      const { password } = passwordReset.parse({ password: typeof form.password === 'string' ? form.password : '' });
      await c.practitioners.resetPassword(actor, id, password);
      return reply.redirect(`/admin/practitioners/${id}?done=password`, 303);
    } catch (err) {
      const errors = pageErrors(err, messages, 'password');
      if (!errors) throw err;
      return personPage(req, reply, actor, id, { errors });
    }
  });
}

const uuidOrUndefined = (v: string) => (/^[0-9a-f-]{36}$/i.test(v) ? v.toLowerCase() : undefined);
