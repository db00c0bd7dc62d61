import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isUnscheduledCarePractitioner } from '../access/policy.js';
import { forbidden } from '../errors.js';
import { asForm, dateInput, errorsFrom, field, formErrors, isoDay, type FormBody, type FormErrors } from '../web/forms.js';
import type { Practitioner, Web } from '../web/shell.js';
import { isValidNhsNumber, normaliseNhsNumber } from '../people/nhs-number.js';
import { checkInput, settingLabels, settings, type CheckInput } from './schemas.js';
import type { UnscheduledCareService } from './service.js';

const formFields = ['nhs_number', 'given_name', 'family_name', 'date_of_birth-day', 'date_of_birth-month', 'date_of_birth-year', 'postcode', 'setting', 'reason'];
const settingItems = settings.map((v) => ({ value: v, text: settingLabels[v] }));
const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

/**
 * `/unscheduled-care`: the CP-IS check for GPs, paediatricians and health visitors. The answer page
 * shows exactly what the API answers and nothing else (not even the details typed), so a child with
 * no plan reveals nothing.
 */
export function unscheduledCarePages(web: Web, service: UnscheduledCareService) {
  const mayCheck = (actor: Practitioner) => {
    if (!isUnscheduledCarePractitioner(actor)) throw forbidden('The unscheduled-care check is for GPs, paediatricians and health visitors.');
  };
  const form = (req: FastifyRequest, reply: FastifyReply, values: Record<string, string>, idem: string, errors?: FormErrors) =>
    web.render(req, reply, 'unscheduled-care/check.njk', {
      pageTitle: 'Unscheduled-care check', values, idem, errors, settingItems: settingItems.map((i) => ({ ...i, checked: values.setting === i.value })),
    }, errors ? 422 : 200);

  web.get('/unscheduled-care', async (req, reply, actor) => {
    mayCheck(actor);
    return form(req, reply, {}, randomUUID());
  });

  web.post('/unscheduled-care', async (req, reply, actor) => {
    mayCheck(actor);
    const body = asForm(req.body);
    const values = Object.fromEntries(formFields.map((k) => [k, field(body, k)]));
    const idem = isUuid(field(body, '_idem')) ? field(body, '_idem') : randomUUID();
    const { input, errors } = checkFromForm(body);
    if (errors) return form(req, reply, values, idem, errors);
    try {
      const { body: answer } = await service.check(actor, input!, `page-check-${idem}`);
      return web.render(req, reply, 'unscheduled-care/answer.njk', { pageTitle: 'Unscheduled-care check: the answer', answer, settingLabels });
    } catch (err) {
      const fe = formErrors(err, { fieldFor: () => 'nhs_number' });
      if (!fe) throw err;
      return form(req, reply, values, idem, fe);
    }
  });
}

/** An NHS number, or all four of given name, family name, date of birth and postcode; then where and why. */
function checkFromForm(form: FormBody): { input?: CheckInput; errors?: FormErrors } {
  const issues: { field: string; message: string }[] = [];
  const nhs = field(form, 'nhs_number');
  let who: Record<string, string> = { nhs_number: nhs };
  if (nhs && !isValidNhsNumber(normaliseNhsNumber(nhs))) issues.push({ field: 'nhs_number', message: 'Enter a valid NHS number: 10 digits, for example 999 000 0018' });
  if (!nhs) {
    const [given, family, postcode] = ['given_name', 'family_name', 'postcode'].map((k) => field(form, k));
    const dob = dateInput(form, 'date_of_birth', 'their date of birth');
    if (!given && !family && !postcode && !dob.ok && dob.blank) {
      issues.push({ field: 'nhs_number', message: 'Enter an NHS number, or the child’s name, date of birth and postcode' });
    } else {
      if (!given) issues.push({ field: 'given_name', message: 'Enter their given name' });
      if (!family) issues.push({ field: 'family_name', message: 'Enter their family name' });
      if (!dob.ok) issues.push({ field: 'date_of_birth-day', message: dob.message });
      if (postcode.replace(/\s/g, '').length < 2 || postcode.length > 10) issues.push({ field: 'postcode', message: 'Enter a real postcode, for example NM1 2AB' });
      if (given.length > 100 || family.length > 100) issues.push({ field: given.length > 100 ? 'given_name' : 'family_name', message: 'Names must be 100 characters or fewer' });
    }
    who = { given_name: given, family_name: family, postcode, date_of_birth: dob.ok ? isoDay(dob) : '' };
  }
  const setting = field(form, 'setting');
  const reason = field(form, 'reason');
  if (!(settings as readonly string[]).includes(setting)) issues.push({ field: 'setting', message: 'Select where the child is being seen' });
  if (reason.length < 3 || reason.length > 500) issues.push({ field: 'reason', message: reason.length > 500 ? 'The reason must be 500 characters or fewer' : 'Enter why the child is being seen' });
  if (issues.length) return { errors: errorsFrom(issues) };
  const parsed = checkInput.safeParse({ ...who, setting, reason });
  // A backstop: the checks above give each field its own message first.
  if (!parsed.success) return { errors: errorsFrom([{ field: 'nhs_number', message: 'Check the details you entered' }]) };
  return { input: parsed.data };
}
