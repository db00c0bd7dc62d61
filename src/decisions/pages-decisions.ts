import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { practitionerDirectory } from '../agencies/directory.js';
import { forbidden, notFound } from '../errors.js';
import type { PeopleService } from '../people/service.js';
import type { ChildSummary } from '../people/views.js';
import { londonParts } from '../web/dates.js';
import { asForm, errorsFrom, field, type FormBody, type FormErrors } from '../web/forms.js';
import { uuidParam, type Practitioner, type Web } from '../web/shell.js';
import type { Decision } from './decision.js';
import type { DecisionService } from './decision-service.js';
import { decisionFromForm, OPTION_ROWS, PARTICIPANT_ROWS, plain, refusal, type Known } from './pages-forms.js';
import { roleLabel } from './pages-names.js';

export interface DecisionPageDeps {
  db: Kysely<DB>;
  decisions: DecisionService;
  people: Pick<PeopleService, 'childSummary'>;
}

const isUuid = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
export const formKey = (form: FormBody) => (isUuid(field(form, '_idem')) ? field(form, '_idem') : randomUUID());
export const childName = (s: ChildSummary) => `${s.child.name.given_name} ${s.child.name.family_name}`;

/** Record a decision (or replace one, saying why), and state my position on a decision I took part in. */
export function decisionPages(web: Web, deps: DecisionPageDeps) {
  web.get('/children/:childId/decisions/new', async (req, reply, actor) => {
    const childId = uuidParam(req, 'childId');
    const supersedes = (req.query as Record<string, unknown>).supersedes;
    const now = londonParts(new Date());
    const values: FormBody = { 'occurred-day': String(Number(now.day)), 'occurred-month': String(Number(now.month)), 'occurred-year': now.year, _at: new Date().toISOString() };
    if (isUuid(supersedes)) values.supersedes_id = supersedes.toLowerCase();
    return decisionForm(req, reply, actor, { childId, values, idem: randomUUID() });
  });

  web.post('/children/:childId/decisions', async (req, reply, actor) => {
    const childId = uuidParam(req, 'childId');
    const form = asForm(req.body);
    const idem = formKey(form);
    const again = (errors: FormErrors) => decisionForm(req, reply, actor, { childId, values: form, idem, errors }, 422);
    const known = await directoryOf(deps.db, actor);
    const parsed = decisionFromForm(form, (id) => known.get(id), new Date());
    if (parsed.errors) return again(parsed.errors);
    try {
      const res = await deps.decisions.record(actor, childId, parsed.input, `page-decision-${idem}`);
      const id = res.body.decision.id;
      return reply.redirect(`/children/${childId}?added=${id}#decision-${id}`, 303);
    } catch (err) {
      return again(refusal(err, parsed.mapping, field(form, 'supersedes_id') ? 'supersede_reason' : 'question'));
    }
  });

  web.get('/children/:childId/decisions/:decisionId/position', async (req, reply, actor) => {
    const { childId, decision, summary } = await participantOf(req, actor);
    const mine = decision.participants.find((p) => p.practitioner_id === actor.id);
    return positionForm(req, reply, { childId, summary, decision, values: { position: mine?.position ?? '' }, idem: randomUUID() });
  });

  web.post('/children/:childId/decisions/:decisionId/position', async (req, reply, actor) => {
    const { childId, decision, summary } = await participantOf(req, actor);
    const form = asForm(req.body);
    const idem = formKey(form);
    const again = (errors: FormErrors) => positionForm(req, reply, { childId, summary, decision, values: form, idem, errors }, 422);
    const position = field(form, 'position');
    if (position !== 'agree' && position !== 'dissent') return again(errorsFrom([{ field: 'position', message: 'Say whether you agree or disagree' }]));
    try {
      await deps.decisions.position(actor, childId, decision.id, { position, reason: field(form, 'reason') || undefined }, `page-position-${idem}`);
      return reply.redirect(`/children/${childId}#decision-${decision.id}`, 303);
    } catch (err) {
      return again(refusal(err, { fieldFor: (p) => (p === 'reason' ? 'reason' : 'position'), message: plain }, 'position'));
    }
  });

  /** The decision in the address, read through the door; only its named participants may state a position. */
  async function participantOf(req: FastifyRequest, actor: Practitioner) {
    const childId = uuidParam(req, 'childId');
    const decisionId = uuidParam(req, 'decisionId');
    const summary = await deps.people.childSummary(actor, childId);
    const decision = (await deps.decisions.list(actor, childId)).find((d) => d.id === decisionId);
    if (!decision) throw notFound('The decision');
    if (!decision.participants.some((p) => p.practitioner_id === actor.id)) throw forbidden('Only a named participant in a decision can state a position on it.');
    return { childId, decision, summary };
  }

  async function decisionForm(req: FastifyRequest, reply: FastifyReply, actor: Practitioner, m: { childId: string; values: FormBody; idem: string; errors?: FormErrors }, status = 200) {
    const summary = await deps.people.childSummary(actor, m.childId);
    const supersedes = field(m.values, 'supersedes_id');
    const earlier = supersedes ? (await deps.decisions.list(actor, m.childId)).find((d) => d.id === supersedes) : undefined;
    if (supersedes && !earlier) throw notFound('The decision to replace');
    const directory = await practitionerDirectory(deps.db, actor);
    return web.render(req, reply, 'decisions/decision-new.njk', {
      ...m,
      // A replacement starts from the question the earlier decision answered.
      values: earlier && status === 200 ? { ...m.values, question: earlier.question } : m.values,
      pageTitle: earlier ? 'Replace a decision' : 'Record a decision',
      childName: childName(summary),
      earlier,
      // A decision from a record merged into this child is replaced on that record's own chain.
      fromMerged: !!earlier && earlier.child_id !== m.childId,
      optionRows: OPTION_ROWS,
      participantRows: PARTICIPANT_ROWS,
      directory: directory.filter((p) => p.id !== actor.id).map((p) => ({ value: p.id, text: `${p.name} (${roleLabel(p.role)}, ${p.agency_name})` })),
    }, status);
  }

  function positionForm(req: FastifyRequest, reply: FastifyReply, m: { childId: string; summary: ChildSummary; decision: Decision & { child_id: string }; values: FormBody; idem: string; errors?: FormErrors }, status = 200) {
    const fromMerged = m.decision.child_id !== m.childId;
    return web.render(req, reply, 'decisions/position.njk', { ...m, fromMerged, pageTitle: 'State your position on a decision', childName: childName(m.summary) }, status);
  }
}

/** Sightline practitioners a participant row may name, with what the record says of them. */
async function directoryOf(db: Kysely<DB>, actor: Practitioner): Promise<Map<string, Known>> {
  return new Map((await practitionerDirectory(db, actor)).map((p) => [p.id, { name: p.name, role: roleLabel(p.role), agency: p.agency_name }]));
}
