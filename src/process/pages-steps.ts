import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { roleLabels, type Role } from '../agencies/schemas.js';
import { findPractitioners, getAgency, listAgencies } from '../agencies/store.js';
import { practitionerDirectory } from '../agencies/directory.js';
import { DomainError, forbidden, notFound } from '../errors.js';
import type { PeopleService } from '../people/service.js';
import { relationshipLabels } from '../people/schemas.js';
import type { ChildSummary } from '../people/views.js';
import { formatDate, londonParts } from '../web/dates.js';
import { asForm, field, formErrors, type FormBody, type FormErrors } from '../web/forms.js';
import { uuidParam, type Practitioner, type Web } from '../web/shell.js';
import type { ProcessService } from './process-service.js';
import { decides } from '../decisions/process-decisions.js';
import { stepFromForm } from './step-form-data.js';
import { mayRecord, stepForms, stepsByGroup, type Option, type ChoiceList } from './step-forms.js';
import { stepLabels, stepNames, timedSteps, whoMayRecord, type StepName } from './steps.js';

export interface StepPageDeps {
  db: Kysely<DB>;
  process: ProcessService;
  people: Pick<PeopleService, 'childSummary'>;
}

const agencyOptions: Option[] = [['local_authority', 'Social care'], ['police', 'Police'], ['health', 'Health'], ['school', 'School or education'], ['other', 'Other']];
const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
const childName = (s: ChildSummary) => `${s.child.name.given_name} ${s.child.name.family_name}`;

/** Recording a step of the statutory process: the steps by group, and one generated form per step. */
export function stepPages(web: Web, deps: StepPageDeps) {
  web.get('/children/:childId/process/steps', async (req, reply, actor) => {
    const childId = uuidParam(req, 'childId');
    const summary = await deps.people.childSummary(actor, childId);
    const groups = stepsByGroup(await agencyKindOf(deps.db, actor));
    return web.render(req, reply, 'process/steps.njk', {
      pageTitle: 'Record a step', childId, childName: childName(summary),
      groups: groups.map((g) => ({ title: g.title, steps: g.steps.map((s) => ({ href: `/children/${childId}/process/steps/${s}`, text: stepLabels[s] })) })),
    });
  });

  web.get('/children/:childId/process/steps/:step', async (req, reply, actor) => {
    const { childId, step } = await allowed(req, deps.db, actor);
    const summary = await visibleSummary(deps, actor, childId, step);
    return stepForm(web, req, reply, deps, actor, { childId, step, summary, values: firstValues(actor, step, summary), idem: randomUUID() });
  });

  web.post('/children/:childId/process/steps/:step', async (req, reply, actor) => {
    const { childId, step } = await allowed(req, deps.db, actor);
    const form = asForm(req.body);
    const idem = isUuid(field(form, '_idem')) ? field(form, '_idem') : randomUUID();
    const summary = await visibleSummary(deps, actor, childId, step);
    const again = (errors: FormErrors) => stepForm(web, req, reply, deps, actor, { childId, step, summary, values: form, idem, errors }, 422);
    const known = await attendeeLookup(deps.db, actor, step);
    const parsed = stepFromForm(step, form, (id) => known.get(id), new Date());
    if (parsed.errors) return again(parsed.errors);
    try {
      const res = await deps.process.record(actor, childId, parsed.input, `page-step-${idem}`);
      const id = res.body.entry.id;
      // Police who took a child into protection without a relationship cannot open the record: their work list shows the 72 hours.
      return reply.redirect(summary ? `/children/${childId}?added=${id}#entry-${id}` : '/deadlines?show=mine&recorded=police_protection', 303);
    } catch (err) {
      const errors = formErrors(err, parsed.mapping);
      if (!errors) throw err;
      return again(errors);
    }
  });
}

async function agencyKindOf(db: Kysely<DB>, actor: Practitioner): Promise<string> {
  return (await getAgency(db, actor.agencyId))?.kind ?? 'other';
}

/** The step named in the address, if this practitioner's agency records it. */
async function allowed(req: FastifyRequest, db: Kysely<DB>, actor: Practitioner): Promise<{ childId: string; step: StepName }> {
  const childId = uuidParam(req, 'childId');
  const step = (req.params as { step?: string }).step as StepName;
  if (!stepNames.includes(step)) throw notFound();
  if (!mayRecord(step, await agencyKindOf(db, actor))) {
    throw forbidden(`${stepLabels[step]} is recorded by ${whoMayRecord[step].map((r) => (r === 'police' ? 'the police' : 'children’s social care')).join(' or ')}.`);
  }
  return { childId, step };
}

/**
 * The child's summary through the door. Police may take a child into police protection without a
 * relationship (the service admits them for that step alone), so that form opens without the record.
 */
async function visibleSummary(deps: StepPageDeps, actor: Practitioner, childId: string, step: StepName): Promise<ChildSummary | null> {
  try {
    return await deps.people.childSummary(actor, childId);
  } catch (err) {
    if (err instanceof DomainError && err.status === 404 && step === 'police_protection_started') return null;
    throw err;
  }
}

/** A new form: today's date, the recording practitioner as the first person present, the allocated worker as lead. */
function firstValues(actor: Practitioner, step: StepName, summary: ChildSummary | null): FormBody {
  const now = londonParts(new Date());
  const values: FormBody = { 'occurred-day': String(Number(now.day)), 'occurred-month': String(Number(now.month)), 'occurred-year': now.year, _at: new Date().toISOString() };
  if (timedSteps.has(step)) values['occurred-time'] = `${now.hour}:${now.minute}`;
  const fields = stepForms[step].fields;
  if (fields.some((f) => f.type === 'attendees')) Object.assign(values, { 'attendees-0-practitioner': actor.id });
  for (const f of fields) if (f.type === 'pick' && f.from === 'leads' && summary?.allocation) values[f.name] = summary.allocation.worker_id;
  return values;
}

interface FormModel { childId: string; step: StepName; summary: ChildSummary | null; values: FormBody; idem: string; errors?: FormErrors }

async function stepForm(web: Web, req: FastifyRequest, reply: FastifyReply, deps: StepPageDeps, actor: Practitioner, m: FormModel, status = 200) {
  const choices = await choicesFor(deps, actor, m.childId, m.step, m.summary);
  const values: Record<string, unknown> = { ...m.values };
  const fields = stepForms[m.step].fields.map((f) => {
    if (f.type === 'checkboxes' || f.type === 'practitioners') values[f.name] = ([] as unknown[]).concat(values[f.name] ?? []);
    return { ...f, options: f.type === 'pick' ? choices[f.from] : f.type === 'practitioners' ? choices.directory : 'options' in f ? f.options : undefined };
  });
  return web.render(req, reply, 'process/step-form.njk', {
    pageTitle: stepLabels[m.step], childId: m.childId, childName: m.summary ? childName(m.summary) : null,
    step: m.step, hint: stepForms[m.step].hint, timed: timedSteps.has(m.step), fields, values, idem: m.idem, errors: m.errors, decides: decides(m.step),
    // The late reason is asked for once the service says the step is late, and kept once typed.
    askLate: !!(m.errors?.byField.late_reason || field(m.values, 'late_reason')),
    directory: choices.directory, monitors: choices.monitors, agencyOptions,
  }, status);
}

type Choices = Record<ChoiceList | 'directory' | 'monitors', Option[]>;

/** The lists a step's selects offer, loaded only when its form has them. */
async function choicesFor(deps: StepPageDeps, actor: Practitioner, childId: string, step: StepName, summary: ChildSummary | null): Promise<Choices> {
  const fields = stepForms[step].fields;
  const has = (p: (f: (typeof fields)[number]) => boolean) => fields.some(p);
  const out: Choices = { leads: [], colleagues: [], plans: [], planConditions: [], planActions: [], directory: [], monitors: [] };
  if (has((f) => f.type === 'pick' && (f.from === 'leads' || f.from === 'colleagues'))) {
    const colleagues = (await findPractitioners(deps.db, { agencyId: actor.agencyId })).filter((p) => p.active);
    out.colleagues = colleagues.map((p) => [p.id, `${p.display_name}, ${roleLabels[p.role as Role] ?? p.role}`]);
    out.leads = colleagues.filter((p) => p.qualified_social_worker).map((p) => [p.id, `${p.display_name}${p.team_name ? `, ${p.team_name}` : ''}`]);
  }
  if (has((f) => f.type === 'attendees' || f.type === 'practitioners' || f.type === 'actions')) {
    out.directory = (await practitionerDirectory(deps.db, actor)).map((p) => [p.id, `${p.name} (${roleLabels[p.role as Role] ?? p.role}, ${p.agency_name})`]);
  }
  if (has((f) => f.type === 'conditions') && summary) out.monitors = monitorChoices(summary);
  if (has((f) => f.type === 'pick' && f.from === 'planActions')) {
    const open = (await deps.process.overview(actor, childId)).plan_actions.filter((a) => a.status === 'open');
    out.planActions = open.map((a): Option => [a.id, `${a.what} (by ${formatDate(a.due_on)})`]);
  }
  if (has((f) => f.type === 'pick' && (f.from === 'plans' || f.from === 'planConditions'))) {
    const open = (await deps.process.overview(actor, childId)).safety_plans.filter((p) => !p.ended);
    out.plans = open.map((p) => [p.id, `Agreed ${formatDate(p.agreed)}, review by ${formatDate(p.reviewOn)}`]);
    out.planConditions = open.flatMap((p) => p.conditions.map((c, i): Option => [`${p.id}/${i}`, `${c.condition} (plan agreed ${formatDate(p.agreed)})`]));
  }
  return out;
}

/** Who may monitor a safety-plan condition: practitioners working with the child, and people related to them now. */
function monitorChoices(s: ChildSummary): Option[] {
  const workers = new Map<string, string>();
  if (s.allocation) workers.set(s.allocation.worker_id, `${s.allocation.worker_name} (allocated worker)`);
  for (const g of s.group_members) if (!workers.has(g.practitioner_id)) workers.set(g.practitioner_id, `${g.name} (${roleLabels[g.role as Role] ?? g.role}, ${g.agency_name})`);
  const people = [...s.household.current, ...s.relationships.filter((r) => !r.valid_to)];
  return [
    ...[...workers].map(([id, text]): Option => [`practitioner:${id}`, text]),
    ...people.map((m): Option => [`person:${m.person.id}`, `${m.person.name.given_name} ${m.person.name.family_name} (${relationshipLabels[m.kind as keyof typeof relationshipLabels] ?? m.kind})`]),
  ];
}

/** Names and agencies of practitioners, so a row naming only a Sightline practitioner is complete. */
async function attendeeLookup(db: Kysely<DB>, actor: Practitioner, step: StepName) {
  const known = new Map<string, { name: string; agencyKind: string }>();
  if (!stepForms[step].fields.some((f) => f.type === 'attendees')) return known;
  const kinds = new Map((await listAgencies(db)).map((a) => [a.id, a.kind]));
  for (const p of await practitionerDirectory(db, actor)) known.set(p.id, { name: p.name, agencyKind: kinds.get(p.agency_id) ?? 'other' });
  return known;
}
