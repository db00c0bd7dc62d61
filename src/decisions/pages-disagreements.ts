import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import type { PeopleService } from '../people/service.js';
import type { ChildSummary } from '../people/views.js';
import { formatDateTime } from '../web/dates.js';
import { asForm, errorsFrom, field, type FormBody, type FormErrors } from '../web/forms.js';
import { uuidParam, type Practitioner, type Web } from '../web/shell.js';
import type { DecisionService } from './decision-service.js';
import type { DisagreementService } from './disagreement-service.js';
import { outcomeWords } from './oversight.js';
import { childName, formKey } from './pages-decisions.js';
import { disagreementFromForm, plain, refusal } from './pages-forms.js';
import { deadlineText, labelOf, practitionerLabels } from './pages-names.js';

export interface DisagreementPageDeps {
  db: Kysely<DB>;
  decisions: Pick<DecisionService, 'list'>;
  disagreements: DisagreementService;
  people: Pick<PeopleService, 'childSummary'>;
  /** The chronology, read through the door: its authors are among those a disagreement can be with. */
  record: { chronology(actor: Actor, childId: string, filter: object): Promise<{ entries: { author: { id: string | null } }[] }> };
}

const done: Record<string, string> = {
  raised: 'Your disagreement is raised. The practitioner it is with has been told, and the clock for a response has started.',
  responded: 'Your response is recorded. The practitioner who raised the disagreement has been told.',
  accepted: 'You accepted the response. The disagreement is resolved and closed.',
  escalated: 'The disagreement has gone up a stage. Everyone it involves has been told.',
};

/** Raise a disagreement; a disagreement's page with its trail, and the response or answer the viewer may give. */
export function disagreementPages(web: Web, deps: DisagreementPageDeps) {
  web.get('/children/:childId/disagreements/new', async (req, reply, actor) => {
    const childId = uuidParam(req, 'childId');
    const about = String((req.query as Record<string, unknown>).decision ?? '');
    return raiseForm(req, reply, actor, { childId, values: { decision_id: about, urgent: 'no' }, idem: randomUUID() });
  });

  web.post('/children/:childId/disagreements', async (req, reply, actor) => {
    const childId = uuidParam(req, 'childId');
    const form = asForm(req.body);
    const idem = formKey(form);
    const parsed = disagreementFromForm(form);
    try {
      const res = await deps.disagreements.open(actor, childId, parsed.input, `page-disagreement-${idem}`);
      return reply.redirect(`/children/${childId}/disagreements/${res.body.id}?done=raised`, 303);
    } catch (err) {
      return raiseForm(req, reply, actor, { childId, values: form, idem, errors: refusal(err, parsed.mapping, 'matter') }, 422);
    }
  });

  web.get('/children/:childId/disagreements/:disagreementId', async (req, reply, actor) => {
    const q = req.query as Record<string, unknown>;
    return disagreementPage(req, reply, actor, { values: {}, idem: randomUUID(), done: typeof q.done === 'string' ? done[q.done] : undefined });
  });

  web.post('/children/:childId/disagreements/:disagreementId/respond', async (req, reply, actor) => {
    const { childId, id } = params(req);
    const form = asForm(req.body);
    const idem = formKey(form);
    try {
      await deps.disagreements.respond(actor, childId, id, { response: field(form, 'response') }, `page-response-${idem}`);
      return reply.redirect(`/children/${childId}/disagreements/${id}?done=responded`, 303);
    } catch (err) {
      return disagreementPage(req, reply, actor, { values: form, idem, errors: refusal(err, { fieldFor: () => 'response', message: plain }, 'response') }, 422);
    }
  });

  web.post('/children/:childId/disagreements/:disagreementId/answer', async (req, reply, actor) => {
    const { childId, id } = params(req);
    const form = asForm(req.body);
    const idem = formKey(form);
    const again = (errors: FormErrors) => disagreementPage(req, reply, actor, { values: form, idem, errors }, 422);
    const accept = field(form, 'accept');
    if (accept !== 'yes' && accept !== 'no') return again(errorsFrom([{ field: 'accept', message: 'Say whether you accept the response' }]));
    try {
      await deps.disagreements.answer(actor, childId, id, { accept: accept === 'yes', reason: field(form, 'reason') || undefined }, `page-answer-${idem}`);
      return reply.redirect(accept === 'yes' ? `/children/${childId}#decisions` : `/children/${childId}/disagreements/${id}?done=escalated`, 303);
    } catch (err) {
      return again(refusal(err, { fieldFor: (p) => (p === 'reason' ? 'reason' : 'accept'), message: plain }, 'accept'));
    }
  });

  async function raiseForm(req: FastifyRequest, reply: FastifyReply, actor: Practitioner, m: { childId: string; values: FormBody; idem: string; errors?: FormErrors }, status = 200) {
    const summary = await deps.people.childSummary(actor, m.childId);
    const decisions = (await deps.decisions.list(actor, m.childId)).filter((d) => !d.superseded_by);
    const about = decisions.find((d) => d.id === field(m.values, 'decision_id'));
    // Reached from a decision: the disagreement is with whoever made it, unless the user chose otherwise.
    const values = about && !field(m.values, 'respondent_id') && about.maker.id !== actor.id ? { ...m.values, respondent_id: about.maker.id ?? '' } : m.values;
    const people = await workingWith(summary, await deps.record.chronology(actor, m.childId, {}), actor.id);
    const names = await practitionerLabels(deps.db, [...people]);
    return web.render(req, reply, 'decisions/disagreement-new.njk', {
      ...m, values, pageTitle: 'Raise a disagreement', childName: childName(summary),
      respondents: [...names.values()].sort((a, b) => a.name.localeCompare(b.name)).map((n) => ({ value: n.id, text: n.label })),
      decisions: decisions.map((d) => ({ value: d.id, text: `${d.outcome} (${d.maker.name}, ${formatDateTime(d.at)}${d.child_id === m.childId ? '' : ', on the merged record'})` })),
    }, status);
  }

  async function disagreementPage(req: FastifyRequest, reply: FastifyReply, actor: Practitioner, m: { values: FormBody; idem: string; errors?: FormErrors; done?: string }, status = 200) {
    const { childId, id } = params(req);
    const summary = await deps.people.childSummary(actor, childId);
    const d = await deps.disagreements.view(actor, childId, id);
    const names = await practitionerLabels(deps.db, [d.raiser_id, d.respondent_id, ...(d.answering_now ?? [])]);
    return web.render(req, reply, 'decisions/disagreement.njk', {
      ...m, childId, pageTitle: 'Professional disagreement', childName: childName(summary), d,
      raiser: labelOf(names, d.raiser_id), respondent: labelOf(names, d.respondent_id),
      answering: (d.answering_now ?? []).map((p) => labelOf(names, p)),
      deadline: deadlineText(d.deadline?.escalates_at, d.overdue),
      outcome: d.outcome ? outcomeWords[d.outcome] ?? d.outcome : null,
      trail: trailOf(d),
      mayRespond: d.status === 'awaiting_response' && !!d.answering_now?.includes(actor.id),
      mayAnswer: d.status === 'awaiting_raiser' && d.raiser_id === actor.id,
    }, status);
  }
}

function params(req: FastifyRequest) {
  return { childId: uuidParam(req, 'childId'), id: uuidParam(req, 'disagreementId') };
}

/** Practitioners working with the child: the allocated worker, the group, and the authors of its entries. */
async function workingWith(s: ChildSummary, chronology: { entries: { author: { id: string | null } }[] }, me: string): Promise<Set<string>> {
  const ids = new Set<string>([...(s.allocation ? [s.allocation.worker_id] : []), ...s.group_members.map((g) => g.practitioner_id)]);
  for (const e of chronology.entries) if (e.author.id) ids.add(e.author.id);
  ids.delete(me);
  return ids;
}

const actionWords: Record<string, string> = { opened: 'Raised', responded: 'Response', accepted: 'Response accepted', escalated: 'Escalated', closed: 'Closed' };

/** The trail in order, as the page lists it. */
export function trailOf(d: { trail: { at: string; by: string; action: string; stage: number; text: string | null }[] }) {
  return d.trail.map((t) => ({ at: formatDateTime(t.at), by: t.by, what: actionWords[t.action] ?? t.action, stage: t.stage, text: t.text }));
}
