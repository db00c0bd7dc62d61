import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { listAgencies } from '../agencies/store.js';
import type { DB } from '../db/schema.js';
import { asForm, errorsFrom, field, formErrors, type FormBody, type FormErrors } from '../web/forms.js';
import type { Practitioner, Web } from '../web/shell.js';
import { ukDate } from './history.js';
import { backToChild, childContext, formPage, type ChildContext, type PeoplePageService } from './pages-context.js';
import { address, day, formIdem, isUuid, names, nhsNumber, type Issue } from './pages-forms.js';

/** One of the child's detail forms. */
interface DetailForm {
  path: string;
  view: string;
  title: (ctx: ChildContext) => string;
  /** What the child's page says afterwards. */
  changed: 'address' | 'name' | 'identifier';
  /** What a new form starts with. */
  initial?: (actor: Practitioner) => FormBody;
  /** More for the template, such as the choices of a select. */
  extra?: () => Promise<Record<string, unknown>>;
  /** Checks the form, pushing what is wrong; returns the write to do when nothing is. */
  save: (form: FormBody, issues: Issue[], ctx: ChildContext, actor: Practitioner, key: string) => (() => Promise<unknown>) | undefined;
  /** The form field where a service error about `path` is shown. */
  fieldFor: (path: string, form: FormBody) => string;
}

const addressParts = ['line1', 'line2', 'town', 'postcode'];
const notInFuture = () => ({ notAfter: ukDate(new Date()) });

/**
 * The child's own details that change over time: a new address (ending the last), a new or
 * known-as name, and identifiers. Each form is checked whole before anything is written.
 */
export function detailPages(web: Web, db: Kysely<DB>, people: PeoplePageService) {
  const show = async (f: DetailForm, req: FastifyRequest, reply: FastifyReply, ctx: ChildContext, values: FormBody, idem: string, errors?: FormErrors) =>
    formPage(web, req, reply, f.view, ctx, { pageTitle: f.title(ctx), values, idem, errors, ...(await f.extra?.()) });

  const page = (f: DetailForm) => {
    web.get(f.path, async (req, reply, actor) => show(f, req, reply, await childContext(people, req, actor), f.initial?.(actor) ?? {}, randomUUID()));
    web.post(f.path, async (req, reply, actor) => {
      const ctx = await childContext(people, req, actor);
      const form = asForm(req.body);
      const idem = formIdem(form);
      const issues: Issue[] = [];
      const write = f.save(form, issues, ctx, actor, `page-${f.changed}-${idem}`);
      if (issues.length || !write) return show(f, req, reply, ctx, form, idem, errorsFrom(issues));
      try {
        await write();
        return backToChild(reply, ctx.childId, f.changed);
      } catch (err) {
        const errors = formErrors(err, { fieldFor: (p) => f.fieldFor(p, form) });
        if (!errors) throw err;
        return show(f, req, reply, ctx, form, idem, errors);
      }
    });
  };

  page({
    path: '/children/:childId/people/address',
    view: 'people/address-new.njk',
    title: (c) => `Record a new address for ${c.given}`,
    changed: 'address',
    save: (form, issues, ctx, actor, key) => {
      const from = day(form, 'from', 'the date they moved in', issues, notInFuture());
      const home = address(form, from, issues, false);
      return home && (() => people.addAddress(actor, ctx.childId, ctx.childId, home, key));
    },
    fieldFor: (p) => (p === 'valid_from' ? 'from-day' : addressParts.includes(p) ? `address-${p}` : 'address-line1'),
  });

  page({
    path: '/children/:childId/people/name',
    view: 'people/name-new.njk',
    title: (c) => `Record a name for ${c.given}`,
    changed: 'name',
    save: (form, issues, ctx, actor, key) => {
      const type = field(form, 'name_type');
      if (type !== 'legal' && type !== 'known_as') issues.push({ field: 'name_type', message: 'Choose a change of legal name or a name they are known as' });
      const n = names(form, issues);
      const from = day(form, 'from', 'the date it took effect', issues, { optional: true, ...notInFuture() });
      if (issues.length) return undefined;
      return () => people.addName(actor, ctx.childId, ctx.childId, { ...n, name_type: type as 'legal' | 'known_as', ...(from ? { valid_from: from } : {}) }, key);
    },
    fieldFor: (p) => (p === 'valid_from' ? 'from-day' : ['given_name', 'family_name', 'name_type'].includes(p) ? p : 'name_type'),
  });

  page({
    path: '/children/:childId/people/identifier',
    view: 'people/identifier-new.njk',
    title: (c) => `Add an identifier for ${c.given}`,
    changed: 'identifier',
    // The practitioner's own agency is chosen to start with: its reference is the one they most likely hold.
    initial: (actor) => ({ agency_id: actor.agencyId }),
    extra: async () => ({ agencies: (await listAgencies(db)).map((a) => ({ value: a.id, text: a.name })) }),
    save: (form, issues, ctx, actor, key) => {
      const scheme = field(form, 'scheme');
      if (scheme === 'nhs_number') {
        const value = nhsNumber(form, 'nhs_number', issues, false);
        return value ? () => people.addIdentifier(actor, ctx.childId, ctx.childId, { scheme, value }, key) : undefined;
      }
      if (scheme !== 'local') {
        issues.push({ field: 'scheme', message: 'Choose an NHS number or an agency’s own reference' });
        return undefined;
      }
      const agency = field(form, 'agency_id');
      const value = field(form, 'local_id');
      if (!isUuid(agency)) issues.push({ field: 'agency_id', message: 'Choose the agency whose reference this is' });
      if (!value) issues.push({ field: 'local_id', message: 'Enter the reference' });
      else if (value.length > 50) issues.push({ field: 'local_id', message: 'The reference must be 50 characters or fewer' });
      if (issues.length) return undefined;
      return () => people.addIdentifier(actor, ctx.childId, ctx.childId, { scheme, agency_id: agency, value }, key);
    },
    fieldFor: (p, form) => (p === 'agency_id' ? 'agency_id' : field(form, 'scheme') === 'local' ? 'local_id' : 'nhs_number'),
  });
}
