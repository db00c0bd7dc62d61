import { z } from 'zod';
import type { App } from '../http/server.js';
import { requireActor } from '../http/server.js';
import type { Actor } from '../access/actor.js';
import { forbidden } from '../errors.js';
import { dueQuery, dueView, overrideInput, rulesQuery, ruleView, toDueView, toRuleView } from './schemas.js';
import type { ProcessRules } from './service.js';

function practitionerOnly(actor: Actor) {
  if (actor.type !== 'practitioner') throw forbidden('Timescale rules are for signed-in practitioners.');
}

const idempotencyHeader = z.object({ 'idempotency-key': z.string().min(8).max(200).optional() });

/** The rules and the deadlines they give hold no child's data; only local overrides are written. */
export function processRoutes(app: App, rules: ProcessRules) {
  app.get('/api/process/rules', {
    schema: {
      tags: ['process'],
      summary: 'Timescale rules of a jurisdiction: every version, national and local, with source and effective date',
      description: 'Any signed-in practitioner (agency systems get 403).',
      querystring: rulesQuery,
      response: { 200: z.array(ruleView) },
    },
  }, async (req) => {
    practitionerOnly(requireActor(req));
    return (await rules.rules(req.query.jurisdiction)).map(toRuleView);
  });

  app.get('/api/process/due', {
    schema: {
      tags: ['process'],
      summary: 'The deadline a rule gives for a trigger, with the counting convention and the rule’s source',
      description: 'Any signed-in practitioner (agency systems get 403). Days are UK calendar dates; hours give an exact instant with its UK offset.',
      querystring: dueQuery,
      response: { 200: dueView },
    },
  }, async (req) => {
    practitionerOnly(requireActor(req));
    return toDueView(await rules.due(req.query));
  });

  app.post('/api/process/rules/overrides', {
    schema: {
      tags: ['process'],
      summary: 'Add your local authority’s own timescale for a step left to local practice (T11, T13)',
      description: 'Administrators of a local authority only (others get 403); the jurisdiction and locality are the caller’s own authority. '
        + 'It applies to triggers from effective_from, which cannot be before today. 422 for a step set nationally or a convention that does not fit the unit; '
        + '409 when the authority already has its own rule for that step from that date. Accepts an Idempotency-Key.',
      headers: idempotencyHeader,
      body: overrideInput.omit({ locality: true }),
      response: { 201: ruleView },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const res = await rules.createLocalOverride(actor, { ...req.body, locality: actor.agencyId }, req.headers['idempotency-key']);
    // Only a 201 is ever stored for this key (a refusal rolls the key back with everything else).
    return reply.status(201).header('idempotent-replayed', String(res.replayed)).send(res.body);
  });
}
