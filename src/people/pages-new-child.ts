import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors.js';
import { kindFields } from '../record/entry-form.js';
import { entryErrorMapping, entryFromForm } from '../record/entry-page.js';
import { londonParts } from '../web/dates.js';
import { asForm, errorsFrom, field, formErrors, type FormBody, type FormErrors } from '../web/forms.js';
import type { Web } from '../web/shell.js';
import { ukDate } from './history.js';
import { childFromForm, fieldFor, formIdem, sexOptions, type Issue } from './pages-forms.js';
import { backToChild } from './pages-context.js';
import type { CreateChildInput } from './schemas.js';
import type { PeopleService } from './service.js';

const title = 'Create a record and record the contact';
/** The contact's own fields (who raised it, their name), from the quick entry form's definitions. */
const contactFields = kindFields.contact_referral;

/**
 * A new child's record with its first contact, on one page. The practitioner who creates it is the
 * first entry's author, so they can see the child afterwards; the record starts with the contact.
 */
export function newChildPages(web: Web, people: Pick<PeopleService, 'createChild'>) {
  /** `existing`: the NHS number of a child already recorded, to offer a search for them. */
  const page = (req: FastifyRequest, reply: FastifyReply, values: FormBody, idem: string, errors?: FormErrors, existing?: string) =>
    web.render(req, reply, 'people/child-new.njk', { pageTitle: title, values, idem, errors, existing, contactFields, sexOptions }, errors ? 422 : 200);

  web.get('/children/new', async (req, reply) => page(req, reply, todayAsOccurred(), randomUUID()));

  web.post('/children/new', async (req, reply, actor) => {
    const form = asForm(req.body);
    const idem = formIdem(form);
    // From the search page's "no match": start the form with what was searched for.
    if (field(form, '_from') === 'search') return page(req, reply, fromSearch(form), idem);

    const issues: Issue[] = [];
    const person = childFromForm(form, ukDate(new Date()), issues);
    const entry = entryFromForm('contact_referral', form);
    if (issues.length || entry.errors) return page(req, reply, form, idem, merge(errorsFrom(issues), entry.errors && asConcern(entry.errors)));
    try {
      // The entry form has checked the contact's fields; the service checks them again against the kind's schema.
      const res = await people.createChild(actor, { person, first_entry: entry.input as CreateChildInput['first_entry'] }, `page-child-${idem}`);
      return backToChild(reply, res.body.child.id, 'created');
    } catch (err) {
      const refused = createErrors(err, person.nhs_number);
      if (!refused) throw err;
      return page(req, reply, form, idem, refused.errors, refused.existing);
    }
  });
}

/**
 * The service's own refusals as form errors. A clash of NHS numbers says a record already exists
 * (nothing more: it may be a child this practitioner cannot see); the page offers to search for it.
 */
function createErrors(err: unknown, nhs: string | undefined): { errors: FormErrors; existing?: string } | undefined {
  if (err instanceof DomainError && err.status === 409 && nhs) {
    const child = /child/i.test(err.message);
    const message = child ? 'A record already exists for a child with this NHS number' : 'This NHS number is already recorded for someone else';
    return { errors: errorsFrom([{ field: 'nhs_number', message }]), existing: child ? nhs : undefined };
  }
  const entryMap = entryErrorMapping('contact_referral', {});
  const errors = formErrors(err, {
    fieldFor: (path) => (path.startsWith('first_entry.') ? entryMap.fieldFor(path.slice('first_entry.'.length)) : fieldFor(path, 'given_name')),
  });
  return errors && { errors };
}

/** The entry form asks "what happened"; this page asks what the concern is. */
function asConcern(e: FormErrors): FormErrors {
  const say = (m: string) => (m === 'Write what happened' ? 'Write what the concern is' : m);
  return { byField: Object.fromEntries(Object.entries(e.byField).map(([k, m]) => [k, say(m)])), list: e.list.map((i) => ({ ...i, text: say(i.text) })) };
}

/** Both sets of errors, the child's first (the order of the page). */
function merge(a: FormErrors, b?: FormErrors): FormErrors {
  if (!b) return a;
  return { byField: { ...b.byField, ...a.byField }, list: [...a.list, ...b.list] };
}

/** The contact happened today, unless the practitioner says otherwise. */
function todayAsOccurred(): FormBody {
  const t = londonParts(new Date());
  return { 'occurred-day': String(Number(t.day)), 'occurred-month': String(Number(t.month)), 'occurred-year': t.year };
}

/** What the search form held, under this form's names. */
function fromSearch(form: FormBody): FormBody {
  const dob = ['day', 'month', 'year'].map((p) => field(form, `date_of_birth-${p}`));
  return {
    ...todayAsOccurred(),
    given_name: field(form, 'given_name'),
    family_name: field(form, 'family_name'),
    nhs_number: field(form, 'nhs_number'),
    ...(dob.some(Boolean) ? { born: 'yes', 'dob-day': dob[0], 'dob-month': dob[1], 'dob-year': dob[2] } : {}),
  };
}
