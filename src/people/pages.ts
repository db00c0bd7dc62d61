import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { caseload } from '../access/caseload.js';
import { awaitingAcknowledgement, notificationsFor } from '../notifications/store.js';
import { asForm, dateInput, errorsFrom, field, formErrors, isoDay, type FormBody, type FormErrors } from '../web/forms.js';
import type { Practitioner, Web } from '../web/shell.js';
import { detailPages } from './pages-details.js';
import { householdPages } from './pages-household.js';
import { newChildPages } from './pages-new-child.js';
import type { PeopleService } from './service.js';

/** Where each search field's errors are shown. */
const searchFieldIds: Record<string, string> = { nhs_number: 'nhs_number', family_name: 'family_name', given_name: 'given_name', date_of_birth: 'date_of_birth-day' };

/**
 * The practitioner's work list, finding a child by exact identifiers, creating a child's record,
 * and the child's household, addresses, names and identifiers.
 */
export function peoplePages(web: Web, db: Kysely<DB>, people: PeopleService) {
  web.get('/', async (req, reply, actor) => {
    const [notices, children] = [await notificationsFor(db, actor.id, 20), await caseload(db, actor)];
    return web.render(req, reply, 'people/home.njk', {
      pageTitle: 'Your work',
      firstName: actor.name.split(' ')[0],
      notices,
      awaiting: await awaitingAcknowledgement(db, actor.id),
      mine: children.filter((c) => c.mine),
      team: children.filter((c) => c.via === 'team'),
      managed: children.filter((c) => c.via === 'managed'),
    });
  });

  web.get('/search', async (req, reply, actor) => {
    // Only an NHS number may come in the URL: the "record already exists" link of the new-child form.
    const nhs = String((req.query as Record<string, unknown>).nhs_number ?? '');
    if (!nhs) return web.render(req, reply, 'people/search.njk', { pageTitle: 'Find a child', values: {} });
    return searchPage(req, reply, actor, { nhs_number: nhs });
  });

  // A POST, so that names and dates of birth never sit in URLs, browser history or proxy logs.
  web.post('/search', async (req, reply, actor) => searchPage(req, reply, actor, asForm(req.body)));

  async function searchPage(req: FastifyRequest, reply: FastifyReply, actor: Practitioner, form: FormBody) {
    const values = Object.fromEntries(['nhs_number', 'given_name', 'family_name', 'date_of_birth-day', 'date_of_birth-month', 'date_of_birth-year'].map((k) => [k, field(form, k)]));
    const page = (ctx: Record<string, unknown>, status = 200) => web.render(req, reply, 'people/search.njk', { pageTitle: 'Find a child', values, ...ctx }, status);

    const { query, errors } = searchQuery(form);
    if (errors) return page({ errors }, 422);
    try {
      const { results } = await people.search(actor, query);
      return page({ results, searched: true });
    } catch (err) {
      const fe = formErrors(err, { fieldFor: (p) => searchFieldIds[p] ?? 'nhs_number' });
      if (!fe) throw err;
      return page({ errors: fe }, 422);
    }
  }

  newChildPages(web, people);
  householdPages(web, people);
  detailPages(web, db, people);
}

/** Either an NHS number, or a family name and date of birth (given name optional). */
function searchQuery(form: FormBody): { query: Record<string, string>; errors?: FormErrors } {
  const nhs = field(form, 'nhs_number');
  const family = field(form, 'family_name');
  const given = field(form, 'given_name');
  const dob = dateInput(form, 'date_of_birth', 'their date of birth');
  if (nhs) return { query: { nhs_number: nhs } };
  const issues: { field: string; message: string }[] = [];
  if (!family && !given && !dob.ok && dob.blank) {
    return { query: {}, errors: errorsFrom([{ field: 'nhs_number', message: 'Enter an NHS number, or a family name and date of birth' }]) };
  }
  if (!family) issues.push({ field: 'family_name', message: 'Enter their family name' });
  if (!dob.ok) issues.push({ field: 'date_of_birth-day', message: dob.message });
  if (issues.length) return { query: {}, errors: errorsFrom(issues) };
  return { query: { family_name: family, ...(given ? { given_name: given } : {}), date_of_birth: isoDay(dob as { year: number; month: number; day: number }) } };
}
