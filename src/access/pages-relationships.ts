import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, forbidden } from '../errors.js';
import { asForm, errorsFrom, field, formErrors, type FormBody, type FormErrors } from '../web/forms.js';
import { uuidParam, type Practitioner, type Web } from '../web/shell.js';
import { isGroupKind, isUuid, relationshipsModel, type Choices, type RelationshipPageDeps } from './pages-relationships-model.js';

export type { RelationshipPageDeps } from './pages-relationships-model.js';

/** Confirmations after a change: a fixed set, so nothing the user sent is reflected. */
const doneMessages: Record<string, string> = {
  allocated: 'The child is allocated to the worker you chose.',
  ended: 'The allocation has ended. The child is not allocated to anyone now.',
  ended_merged: 'The allocation of the merged record has ended.',
  added: 'Added to the group. They can now open the child’s record.',
  removed: 'Removed from the group. Their access through it has ended.',
};

const messages = {
  team: 'Choose a team',
  worker: 'Choose the worker to allocate',
  agency: 'Choose an agency',
  member: 'Choose a practitioner',
  group: 'Choose the core group or the strategy discussion',
};

/** Each form carries a random id, so a double-clicked or refreshed change happens once. */
const formKey = (form: FormBody) => (isUuid(field(form, '_idem')) ? field(form, '_idem') : randomUUID());
const uuidOrBlank = (v: unknown) => (isUuid(v) ? v.toLowerCase() : undefined);

/**
 * "People working with this child": the allocated worker and team, the core group and strategy
 * discussion members, and (for a local authority manager who may decide) the forms to change them.
 * Every read and change goes through RelationshipService, so through the door.
 */
export function relationshipPages(web: Web, deps: RelationshipPageDeps) {
  const page = async (req: FastifyRequest, reply: FastifyReply, actor: Practitioner, childId: string, state: { choices: Choices; errors?: FormErrors; idem?: string; done?: string }) => {
    const model = await relationshipsModel(deps, actor, childId, state.choices);
    // A form sent by someone who may not decide is refused as the service would refuse it, not corrected.
    if (state.errors && !model.mayManage) throw forbidden(model.refusal ?? 'You cannot change who works with this child.');
    return web.render(req, reply, 'access/working-with.njk', {
      ...model,
      pageTitle: `People working with ${model.childName}`,
      errors: state.errors,
      idem: state.idem ?? randomUUID(),
      done: state.done,
    }, state.errors ? 422 : 200);
  };

  web.get('/children/:childId/working-with', async (req, reply, actor) => {
    const childId = uuidParam(req, 'childId');
    const q = req.query as Record<string, unknown>;
    const done = doneMessages[String(q.done ?? '')];
    try {
      return await page(req, reply, actor, childId, { choices: { team: uuidOrBlank(q.team), agency: uuidOrBlank(q.agency) }, done });
    } catch (err) {
      // A change can end the changer's own access (allocating to another team): say so, not "not found".
      // The same words answer any child id, so they tell nothing about whether the child exists.
      if (!(done && err instanceof DomainError && err.status === 404)) throw err;
      return web.render(req, reply, 'access/working-with-gone.njk', { pageTitle: 'Your change was saved' });
    }
  });

  web.post('/children/:childId/working-with/allocation', async (req, reply, actor) => {
    const childId = uuidParam(req, 'childId');
    const form = asForm(req.body);
    const choices = { team: field(form, 'team_id'), worker: field(form, 'practitioner_id') };
    const idem = formKey(form);
    const again = (errors: FormErrors) => page(req, reply, actor, childId, { choices, errors, idem });
    const issues = [
      ...(isUuid(choices.team) ? [] : [{ field: 'team', message: messages.team }]),
      ...(isUuid(choices.worker) ? [] : [{ field: 'worker', message: messages.worker }]),
    ];
    if (issues.length) return again(errorsFrom(issues));
    try {
      await deps.relationships.allocate(actor, childId, { practitioner_id: choices.worker, team_id: choices.team }, `page-allocate-${idem}`);
    } catch (err) {
      const errors = formErrors(err, { fieldFor: (p) => (p === 'team_id' ? 'team' : 'worker') });
      if (!errors) throw err;
      return again(errors);
    }
    return reply.redirect(`/children/${childId}/working-with?done=allocated`, 303);
  });

  web.post('/children/:childId/working-with/allocation/end', async (req, reply, actor) => {
    const childId = uuidParam(req, 'childId');
    try {
      await deps.relationships.endAllocation(actor, childId);
    } catch (err) {
      const errors = formErrors(err, { fieldFor: () => 'allocation' });
      if (!errors) throw err;
      return page(req, reply, actor, childId, { choices: {}, errors });
    }
    return reply.redirect(`/children/${childId}/working-with?done=ended`, 303);
  });

  // An allocation of a record merged into this child: it still reaches the child, so it is ended here.
  web.post('/children/:childId/working-with/allocations/:allocationId/end', async (req, reply, actor) => {
    const childId = uuidParam(req, 'childId');
    try {
      await deps.relationships.endAllocationById(actor, childId, uuidParam(req, 'allocationId'));
    } catch (err) {
      const errors = formErrors(err, { fieldFor: () => 'allocation' });
      if (!errors) throw err;
      return page(req, reply, actor, childId, { choices: {}, errors });
    }
    return reply.redirect(`/children/${childId}/working-with?done=ended_merged`, 303);
  });

  web.post('/children/:childId/working-with/members', async (req, reply, actor) => {
    const childId = uuidParam(req, 'childId');
    const form = asForm(req.body);
    const choices = { agency: field(form, 'agency_id'), member: field(form, 'practitioner_id'), group: field(form, 'group_kind') };
    const idem = formKey(form);
    const again = (errors: FormErrors) => page(req, reply, actor, childId, { choices, errors, idem });
    const issues = [
      ...(isUuid(choices.agency) ? [] : [{ field: 'agency', message: messages.agency }]),
      ...(isUuid(choices.member) ? [] : [{ field: 'member', message: messages.member }]),
      ...(isGroupKind(choices.group) ? [] : [{ field: 'group', message: messages.group }]),
    ];
    if (issues.length || !isGroupKind(choices.group)) return again(errorsFrom(issues));
    try {
      await deps.relationships.addGroupMember(actor, childId, { practitioner_id: choices.member, group_kind: choices.group }, `page-member-${idem}`);
    } catch (err) {
      const errors = formErrors(err, { fieldFor: (p) => (p === 'group_kind' ? 'group' : 'member') });
      if (!errors) throw err;
      return again(errors);
    }
    return reply.redirect(`/children/${childId}/working-with?done=added`, 303);
  });

  web.post('/children/:childId/working-with/members/:memberId/end', async (req, reply, actor) => {
    const childId = uuidParam(req, 'childId');
    const memberId = uuidParam(req, 'memberId');
    try {
      await deps.relationships.removeGroupMember(actor, childId, memberId);
    } catch (err) {
      const errors = formErrors(err, { fieldFor: () => 'groups' });
      if (!errors) throw err;
      return page(req, reply, actor, childId, { choices: {}, errors });
    }
    return reply.redirect(`/children/${childId}/working-with?done=removed`, 303);
  });
}
