import type { FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { requireAdministrator } from '../agencies/admin.js';
import { given, idemFrom, newIdem } from '../agencies/page-helpers.js';
import { DomainError } from '../errors.js';
import { asForm, dateInput, errorsFrom, field, formErrors, isoDay, timeInput, type FormBody, type FormErrors } from '../web/forms.js';
import type { Practitioner, Web } from '../web/shell.js';
import { dueQuery, overrideInput } from './schemas.js';
import type { ProcessRules } from './service.js';
import { conventionChoices, dueSummary, ruleRow, unitChoices } from './timescales-view.js';

const overrideFields = ['code', 'amount', 'unit', 'convention', 'source', 'effective_from-day', 'effective_from-month', 'effective_from-year'] as const;
const overrideMessages: Record<string, string> = {
  code: 'Choose the step',
  amount: 'Enter how long, as a whole number from 1 to 1000',
  unit: 'Choose what the timescale is counted in',
  convention: 'Choose how the days are counted',
  source: 'Enter where your local rule is written, 5 to 2,000 characters',
};
/** Error summary links go to the first box of a date input. */
const fieldId = (path: string) => (path === 'effective_from' ? 'effective_from-day' : path || 'code');

type State = { due?: Awaited<ReturnType<typeof workOut>>; override?: Record<string, string>; idem?: string; errors?: FormErrors };

/** "Timescales": the rules a practitioner works to, a due-date calculator, and local overrides for administrators. */
export function processPages(web: Web, rules: ProcessRules) {
  const page = async (req: FastifyRequest, reply: FastifyReply, actor: Practitioner, state: State = {}) => {
    const t = await rules.timescalesFor(actor.agencyId);
    const canOverride = actor.role === 'administrator' && !!t.localAuthority;
    const codes = [...new Set(t.rules.map((r) => r.code))];
    const errors = state.errors ?? state.due?.errors;
    const override = state.override ?? {};
    return web.render(req, reply, 'process/timescales.njk', {
      pageTitle: 'Timescales',
      jurisdiction: t.jurisdiction === 'wales' ? 'Wales' : 'England',
      localAuthority: t.localAuthority,
      calendar: t.calendar,
      rows: t.rules.map((r) => ruleRow(r, t.today, t.localAuthority?.name)),
      ruleItems: [{ value: '', text: 'Choose a rule' }, ...codes.map((c) => ({ value: c, text: `${c}: ${t.rules.find((r) => r.code === c)!.step}` }))],
      dueValues: state.due?.values ?? {},
      due: state.due?.result && dueSummary(state.due.result),
      canOverride,
      override,
      codeItems: [{ value: '', text: 'Choose a step' }, ...codes.map((c) => ({ value: c, text: `${c}: ${t.rules.find((r) => r.code === c)!.step}`, selected: override.code === c }))],
      unitItems: unitChoices.map((u) => ({ ...u, checked: override.unit === u.value })),
      conventionItems: conventionChoices.map((c) => ({ ...c, checked: override.convention === c.value })),
      idem: state.idem ?? newIdem(),
      errors,
      done: !errors && (req.query as Record<string, unknown>).done === 'override' ? 'Local timescale added.' : undefined,
    }, errors ? 422 : 200);
  };

  web.get('/timescales', async (req, reply, actor) => {
    const q = asForm(req.query);
    return page(req, reply, actor, { due: 'rule' in q ? await workOut(rules, actor, q) : undefined });
  });

  web.post('/timescales/overrides', async (req, reply, actor) => {
    requireAdministrator(actor);
    const form = asForm(req.body);
    const values = Object.fromEntries(overrideFields.map((k) => [k, field(form, k)]));
    const { idem, key } = idemFrom(form);
    const date = dateInput(form, 'effective_from', 'the date it takes effect');
    try {
      const input = overrideInput.parse({
        locality: actor.agencyId,
        code: values.code,
        amount: /^\d+$/.test(values.amount) ? Number(values.amount) : values.amount,
        unit: given(values.unit),
        convention: given(values.convention),
        source: values.source,
        effective_from: date.ok ? isoDay(date) : '',
      });
      await rules.createLocalOverride(actor, input, key);
      return reply.redirect('/timescales?done=override#rules', 303);
    } catch (err) {
      const errors = overrideErrors(err, date.ok ? undefined : date.message);
      if (!errors) throw err;
      return page(req, reply, actor, { override: values, idem, errors });
    }
  });
}

function overrideErrors(err: unknown, dateMessage: string | undefined): FormErrors | undefined {
  if (!(err instanceof ZodError)) return formErrors(err, { fieldFor: (p) => fieldId(p.split('.')[0]) });
  return errorsFrom(err.issues.map((i) => {
    const path = String(i.path[0] ?? '');
    const message = path === 'effective_from' ? (dateMessage ?? i.message) : (overrideMessages[path] ?? i.message);
    return { field: fieldId(path), message };
  }));
}

/** The "work out a due date" form: the same ProcessRules.due as the API and `sightline due`. */
async function workOut(rules: ProcessRules, actor: Practitioner, q: FormBody) {
  const values = Object.fromEntries(['rule', 'start-day', 'start-month', 'start-year', 'time'].map((k) => [k, field(q, k)]));
  const date = dateInput(q, 'start', 'the date it started');
  const time = values.time ? timeInput(values.time) : undefined;
  const issues = [
    ...(values.rule ? [] : [{ field: 'rule', message: 'Choose a rule' }]),
    ...(date.ok ? [] : [{ field: 'start-day', message: date.message }]),
    ...(values.time && !time ? [{ field: 'time', message: 'Enter a time such as 09:30 or 6pm, or leave it blank' }] : []),
  ];
  if (issues.length || !date.ok) return { values, errors: errorsFrom(issues) };
  const hhmm = time && `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
  try {
    const t = await rules.timescalesFor(actor.agencyId);
    const where = t.localAuthority ? { locality: t.localAuthority.id } : { jurisdiction: t.jurisdiction };
    const query = dueQuery.parse({ rule: values.rule, start: hhmm ? `${isoDay(date)}T${hhmm}` : isoDay(date), ...where });
    return { values, result: await rules.due(query) };
  } catch (err) {
    // No such rule in force on that date: say so against the rule.
    if (err instanceof DomainError && err.status === 404) return { values, errors: errorsFrom([{ field: 'rule', message: err.message }]) };
    const errors = formErrors(err, { fieldFor: (p) => (p === 'rule' ? 'rule' : p === 'time' ? 'time' : 'start-day') });
    if (!errors) throw err;
    return { values, errors };
  }
}
