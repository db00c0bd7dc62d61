import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../errors.js';
import { formatDate } from '../web/dates.js';
import { asForm, errorsFrom, field, formErrors, type FormBody, type FormErrors } from '../web/forms.js';
import { uuidParam, type Web } from '../web/shell.js';
import { ukDate } from './history.js';
import { allMembers, backToChild, childContext, formPage, personName, relationshipLabel, type ChildContext, type PeoplePageService } from './pages-context.js';
import { address, day, fieldFor, formIdem, names, relationshipKind, yesNo, type Issue } from './pages-forms.js';
import { relationshipKinds, relationshipLabels } from './schemas.js';
import type { HouseholdMember } from './views.js';

const kindOptions = relationshipKinds.map((k) => ({ value: k, text: relationshipLabels[k] }));

/** A household member as the pages list them. */
const row = (m: HouseholdMember, today: string) => ({
  relationshipId: m.relationship_id,
  name: personName(m),
  relationship: relationshipLabel(m.kind),
  dateOfBirth: m.person.date_of_birth,
  from: m.valid_from,
  to: m.valid_to,
  current: m.valid_to === null || m.valid_to > today,
});

/** People already in the child's life, each once, to link again (for example a visitor who moves in). */
function knownPeople(ctx: ChildContext) {
  const seen = new Map<string, { value: string; text: string }>();
  for (const m of allMembers(ctx.summary)) {
    if (!seen.has(m.person.id)) seen.set(m.person.id, { value: m.person.id, text: `${personName(m)} (${relationshipLabel(m.kind).toLowerCase()})` });
  }
  return [...seen.values()];
}

/** The child's household and people: who lives with them now and before, and the forms that change it. */
export function householdPages(web: Web, people: PeoplePageService) {
  web.get('/children/:childId/people', async (req, reply, actor) => {
    const ctx = await childContext(people, req, actor);
    const today = ukDate(new Date());
    const s = ctx.summary;
    return web.render(req, reply, 'people/household.njk', {
      pageTitle: `Household and people: ${ctx.childName}`,
      childId: ctx.childId, childName: ctx.childName, given: ctx.given,
      now: s.household.current.map((m) => row(m, today)),
      before: s.household.previous.map((m) => row(m, today)),
      others: s.relationships.map((m) => row(m, today)),
      child: s.child,
    });
  });

  const addForm = (req: FastifyRequest, reply: FastifyReply, ctx: ChildContext, values: FormBody, idem: string, errors?: FormErrors) =>
    formPage(web, req, reply, 'people/person-add.njk', ctx, { pageTitle: `Add a person to ${ctx.given}'s household or network`, values, idem, errors, kindOptions, known: knownPeople(ctx) });

  web.get('/children/:childId/people/add', async (req, reply, actor) => addForm(req, reply, await childContext(people, req, actor), {}, randomUUID()));

  web.post('/children/:childId/people/add', async (req, reply, actor) => {
    const ctx = await childContext(people, req, actor);
    const form = asForm(req.body);
    const idem = formIdem(form);
    const today = ukDate(new Date());
    const issues: Issue[] = [];
    const who = field(form, 'who');
    let adult: { given_name: string; family_name: string; date_of_birth?: string } | undefined;
    let existing: string | undefined;
    if (who === 'new') {
      adult = { ...names(form, issues), date_of_birth: day(form, 'dob', 'their date of birth', issues, { optional: true, notAfter: today }) };
    } else if (who === 'existing') {
      existing = field(form, 'person_id').toLowerCase();
      if (!knownPeople(ctx).some((p) => p.value === existing)) issues.push({ field: 'person_id', message: 'Choose the person' });
    } else {
      issues.push({ field: 'who', message: 'Say whether you are adding someone new or someone already recorded' });
    }
    const kind = relationshipKind(form, issues, ctx.given);
    const lives = yesNo(form, 'lives_with', `Say whether they live with ${ctx.given}`, issues);
    const from = day(form, 'from', 'the date this started', issues, { notAfter: today });
    const home = adult ? address(form, from, issues, true) : undefined;
    if (issues.length) return addForm(req, reply, ctx, form, idem, errorsFrom(issues));
    try {
      // Keyed by the form's id, so a resubmitted form records nothing more.
      const relationship = { kind: kind!, lives_with_child: lives!, valid_from: from! };
      if (existing) await people.addRelationship(actor, ctx.childId, { ...relationship, other_person_id: existing }, `page-relationship-${idem}`);
      else await people.addNewPerson(actor, ctx.childId, { person: { ...adult!, ...(home ? { address: home } : {}) }, relationship }, `page-new-person-${idem}`);
      return backToChild(reply, ctx.childId, 'household');
    } catch (err) {
      const errors = formErrors(err, { fieldFor: (p) => (p === 'valid_from' ? 'from-day' : p === 'other_person_id' ? 'person_id' : fieldFor(p, 'who')) });
      if (!errors) throw err;
      return addForm(req, reply, ctx, form, idem, errors);
    }
  });

  /** The relationship named in the URL, among this child's. */
  const relationshipOf = (ctx: ChildContext, relationshipId: string) => {
    const m = allMembers(ctx.summary).find((x) => x.relationship_id === relationshipId);
    if (!m) throw notFound('The relationship');
    return m;
  };
  const endForm = (req: FastifyRequest, reply: FastifyReply, ctx: ChildContext, m: HouseholdMember, values: FormBody, errors?: FormErrors) =>
    formPage(web, req, reply, 'people/relationship-end.njk', ctx, {
      pageTitle: m.lives_with_child ? `When did ${personName(m)} stop living with ${ctx.given}?` : `End ${personName(m)}'s relationship with ${ctx.given}`,
      values, errors, member: row(m, ukDate(new Date())), relationshipId: m.relationship_id,
    });

  web.get('/children/:childId/people/:relationshipId/end', async (req, reply, actor) => {
    const ctx = await childContext(people, req, actor);
    return endForm(req, reply, ctx, relationshipOf(ctx, uuidParam(req, 'relationshipId')), {});
  });

  web.post('/children/:childId/people/:relationshipId/end', async (req, reply, actor) => {
    const ctx = await childContext(people, req, actor);
    const m = relationshipOf(ctx, uuidParam(req, 'relationshipId'));
    const form = asForm(req.body);
    const issues: Issue[] = [];
    const to = day(form, 'to', 'the date it ended', issues, { notAfter: ukDate(new Date()) });
    if (to && to < m.valid_from) issues.push({ field: 'to-day', message: `The date it ended must be on or after ${formatDate(m.valid_from)}, when it began` });
    if (issues.length) return endForm(req, reply, ctx, m, form, errorsFrom(issues));
    // A second click of the same form: already ended on that day, so nothing more to do.
    if (m.valid_to === to) return backToChild(reply, ctx.childId, 'household');
    try {
      await people.endRelationship(actor, ctx.childId, m.relationship_id, to!);
      return backToChild(reply, ctx.childId, 'household');
    } catch (err) {
      const errors = formErrors(err, { fieldFor: () => 'to-day' });
      if (!errors) throw err;
      return endForm(req, reply, ctx, m, form, errors);
    }
  });
}
