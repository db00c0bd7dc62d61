import { z } from 'zod';
import type { App } from '../http/server.js';
import { requireActor } from '../http/server.js';
import type { Actor } from '../access/actor.js';
import { forbidden } from '../errors.js';
import { dueQuery, dueView, rulesQuery, ruleView, toDueView, toRuleView } from './schemas.js';
import type { ProcessRules } from './service.js';

function practitionerOnly(actor: Actor) {
  if (actor.type !== 'practitioner') throw forbidden('Timescale rules are for signed-in practitioners.');
}

/** Read-only: the rules and the deadlines they give hold no child's data. */
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
}
