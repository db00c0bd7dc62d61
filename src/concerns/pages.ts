import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { practitionerDirectory } from '../agencies/directory.js';
import { roleLabels, type Role } from '../agencies/schemas.js';
import { listAgencies } from '../agencies/store.js';
import { DomainError } from '../errors.js';
import { asForm, errorsFrom, field, formErrors, type FormBody, type FormErrors } from '../web/forms.js';
import { uuidParam, type Practitioner, type Web } from '../web/shell.js';
import { categories, categoryLabels, raiseInput, stepInput, type ConcernView, type StepType } from './schemas.js';
import type { ConcernService } from './service.js';
import { summaryRows } from './pages-model.js';

/** The one text field each step's form has: its name in the API body is also the field's id. */
export const stepField: Record<StepType, { name: 'note' | 'plan' | 'text' | 'reason' | 'resolution'; label: string; button: string; hint?: string }> = {
  acknowledged: { name: 'note', label: 'Note (optional)', button: 'Acknowledge the concern', hint: 'For example, what you will look into first' },
  action_plan: { name: 'plan', label: 'Action plan', button: 'Give the action plan', hint: 'What will be done, by whom and by when' },
  update: { name: 'text', label: 'Update', button: 'Add an update' },
  escalated: { name: 'reason', label: 'Why should it go to the next stage?', button: 'Escalate the concern' },
  closed: { name: 'resolution', label: 'How was the concern resolved?', button: 'Close the concern', hint: 'This is shown with the concern on the oversight board' },
};

const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
const formKey = (form: FormBody) => (isUuid(field(form, '_idem')) ? field(form, '_idem') : randomUUID());
const raiseFields: Record<string, string> = { agency_id: 'agency_id', service: 'service', category: 'category', what: 'what', subject_id: 'subject_id', head_id: 'head_id', sealed: 'sealed' };

/** Raise a concern, my concerns, and a concern's page with its trail and the steps the viewer may take. */
export function concernPages(web: Web, deps: { db: Kysely<DB>; concerns: ConcernService }) {
  web.get('/concerns', async (req, reply, actor) => {
    const mine = await deps.concerns.mine(actor);
    return web.render(req, reply, 'concerns/list.njk', {
      pageTitle: 'Concerns about services',
      raised: mine.filter((c) => c.raised_by_you),
      toAnswer: mine.filter((c) => !c.raised_by_you),
    });
  });

  web.get('/concerns/new', async (req, reply, actor) => raiseForm(req, reply, actor, { values: { sealed: '' }, idem: randomUUID() }));

  web.post('/concerns', async (req, reply, actor) => {
    const form = asForm(req.body);
    const idem = formKey(form);
    const again = (errors: FormErrors) => raiseForm(req, reply, actor, { values: form, idem, errors }, 422);
    const parsed = raiseInput.safeParse({
      agency_id: field(form, 'agency_id') || undefined, service: field(form, 'service') || undefined, category: field(form, 'category') || undefined,
      what: field(form, 'what'), subject_id: field(form, 'subject_id') || undefined, head_id: field(form, 'head_id') || undefined, sealed: field(form, 'sealed') === 'yes',
    });
    if (!parsed.success) return again(formErrors(parsed.error, { fieldFor: (p) => raiseFields[p] ?? 'what' })!);
    try {
      const res = await deps.concerns.raise(actor, parsed.data, `page-concern-${idem}`);
      return reply.redirect(`/concerns/${res.body.id}?raised=1`, 303);
    } catch (err) {
      const errors = formErrors(err, { fieldFor: (p) => raiseFields[p] ?? 'what' });
      if (!errors) throw err;
      return again(errors);
    }
  });

  web.get('/concerns/:concernId', async (req, reply, actor) => {
    const concern = await deps.concerns.get(actor, uuidParam(req, 'concernId'));
    const q = req.query as Record<string, unknown>;
    return concernPage(req, reply, concern, { values: {}, idem: randomUUID(), done: q.raised === '1' ? 'raised' : typeof q.done === 'string' ? q.done : undefined });
  });

  web.post('/concerns/:concernId/steps', async (req, reply, actor) => {
    const id = uuidParam(req, 'concernId');
    const form = asForm(req.body);
    const type = (Object.keys(stepField) as StepType[]).find((t) => t === field(form, 'type'));
    if (!type) return reply.redirect(`/concerns/${id}`, 303);
    const idem = formKey(form);
    const name = stepField[type].name;
    const again = async (errors: FormErrors) => concernPage(req, reply, await deps.concerns.get(actor, id), { values: form, idem, errors, open: type }, 422);
    const parsed = stepInput.safeParse({ type, [name]: field(form, name) || (type === 'acknowledged' ? undefined : '') });
    if (!parsed.success) return again(formErrors(parsed.error, { fieldFor: () => `${type}-${name}` })!);
    try {
      await deps.concerns.step(actor, id, parsed.data, `page-concern-step-${idem}`);
      return reply.redirect(`/concerns/${id}?done=${type}`, 303);
    } catch (err) {
      // A step not allowed now (403, 409) is said on the page, beside the form, like a field error.
      if (err instanceof DomainError && (err.status === 403 || err.status === 409)) return again(errorsFrom([{ field: `${type}-${name}`, message: err.message }]));
      throw err;
    }
  });

  async function raiseForm(req: FastifyRequest, reply: FastifyReply, actor: Practitioner, m: { values: FormBody; idem: string; errors?: FormErrors }, status = 200) {
    const agencies = await listAgencies(deps.db);
    const people = (await practitionerDirectory(deps.db, actor)).filter((p) => p.id !== actor.id);
    const options = people.map((p) => ({ value: p.id, text: `${p.name} (${roleLabels[p.role as Role] ?? p.role}, ${p.agency_name})` }));
    return web.render(req, reply, 'concerns/new.njk', {
      ...m,
      pageTitle: 'Raise a concern about a service',
      agencyOptions: [{ value: '', text: 'Choose an agency' }, ...agencies.map((a) => ({ value: a.id, text: a.name }))],
      categoryOptions: categories.map((c) => ({ value: c, text: categoryLabels[c] })),
      people: options,
    }, status);
  }

  function concernPage(req: FastifyRequest, reply: FastifyReply, concern: ConcernView, m: { values: FormBody; idem: string; errors?: FormErrors; open?: StepType; done?: string }, status = 200) {
    return web.render(req, reply, 'concerns/concern.njk', {
      ...m,
      pageTitle: `Concern ${concern.reference}`,
      concern,
      rows: summaryRows(concern),
      // The form that was sent stays on the page with its error, even when the step is not the viewer's to take.
      forms: [...new Set([...concern.actions, ...(m.open ? [m.open] : [])])].map((type) => ({ type, ...stepField[type], id: `${type}-${stepField[type].name}` })),
      doneText: m.done ? doneTexts[m.done] : undefined,
    }, status);
  }
}

const doneTexts: Record<string, string> = {
  raised: 'Your concern is raised. The person accountable for the service has been told, and you will be told of each step.',
  acknowledged: 'The concern is acknowledged. The raiser has been told.',
  action_plan: 'The action plan is recorded. The raiser has been told.',
  update: 'The update is recorded. Everyone involved has been told.',
  escalated: 'The concern is escalated. Everyone involved has been told.',
  closed: 'The concern is closed with its resolution. Everyone involved has been told.',
};
