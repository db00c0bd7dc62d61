import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FormBody, FormErrors } from '../web/forms.js';
import { uuidParam, type Practitioner, type Web } from '../web/shell.js';
import { relationshipLabels } from './schemas.js';
import type { PeopleService } from './service.js';
import type { ChildSummary, HouseholdMember } from './views.js';

export type PeoplePageService = Pick<PeopleService, 'childSummary' | 'createAdult' | 'addNewPerson' | 'addRelationship' | 'endRelationship' | 'addAddress' | 'addName' | 'addIdentifier'>;

/** The child a household form is about, read through the door: a child the practitioner cannot reach is a 404 page. */
export interface ChildContext {
  childId: string;
  childName: string;
  given: string;
  summary: ChildSummary;
}

export async function childContext(people: PeoplePageService, req: FastifyRequest, actor: Practitioner): Promise<ChildContext> {
  const childId = uuidParam(req, 'childId');
  const summary = await people.childSummary(actor, childId);
  const { given_name, family_name } = summary.child.name;
  return { childId, childName: `${given_name} ${family_name}`, given: given_name, summary };
}

export const personName = (m: HouseholdMember) => `${m.person.name.given_name} ${m.person.name.family_name}`;
export const relationshipLabel = (kind: string) => relationshipLabels[kind as keyof typeof relationshipLabels] ?? kind;

/** Every relationship the child has or had, wherever the summary lists it. */
export const allMembers = (s: ChildSummary): HouseholdMember[] => [...s.household.current, ...s.household.previous, ...s.relationships];

/** A form page about a child: the child's name as the caption, 422 when there are errors. */
export function formPage(web: Web, req: FastifyRequest, reply: FastifyReply, view: string, ctx: ChildContext, m: { pageTitle: string; values: FormBody; idem?: string; errors?: FormErrors } & Record<string, unknown>) {
  return web.render(req, reply, view, { childId: ctx.childId, childName: ctx.childName, given: ctx.given, ...m }, m.errors ? 422 : 200);
}

/** Back to the child's page, which says what changed (from this fixed set, so nothing typed is reflected). */
export const backToChild = (reply: FastifyReply, childId: string, changed: keyof typeof notices) => reply.redirect(`/children/${childId}?changed=${changed}`, 303);

const notices = {
  created: 'The record is created, with the contact as its first entry.',
  household: 'The household is updated.',
  address: 'The new address is recorded. The previous one is kept in the address history.',
  name: 'The name is recorded.',
  identifier: 'The identifier is recorded.',
};

/** The confirmation for the child's page, for `?changed=` after one of these forms. */
export function changeNotice(changed: unknown): string | undefined {
  return typeof changed === 'string' && Object.hasOwn(notices, changed) ? notices[changed as keyof typeof notices] : undefined;
}
