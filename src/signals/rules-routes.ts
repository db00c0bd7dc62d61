import { z } from 'zod';
import type { App } from '../http/server.js';
import { requireActor } from '../http/server.js';
import type { SignalRulesService } from './rules-service.js';
import { newVersionInput, ruleChange, ruleIdParam, ruleView, trialView } from './rules-schemas.js';

const idempotencyHeader = z.object({ 'idempotency-key': z.string().min(8).max(200).optional() });

/** The red-flag rules (spec §6): listed for practitioners; tried and changed by a local authority's administrator. */
export function signalRuleRoutes(app: App, rules: SignalRulesService) {
  app.get('/api/signals/rules', {
    schema: {
      tags: ['signals'],
      summary: 'The red-flag rules R1–R11 as they apply to your agency: what each looks for, its source, parameters, severity and who is alerted',
      description: 'Any signed-in practitioner (agency systems get 403). A local authority’s own version replaces the default for its children.',
      response: { 200: z.array(ruleView) },
    },
  }, async (req) => rules.list(requireActor(req)));

  app.get('/api/signals/rules/:ruleId', {
    schema: {
      tags: ['signals'],
      summary: 'One red-flag rule as it applies to you, and its versions (newest first)',
      params: ruleIdParam,
      response: { 200: z.object({ rule: ruleView, versions: z.array(ruleView) }) },
    },
  }, async (req) => rules.show(requireActor(req), req.params.ruleId));

  app.post('/api/signals/rules/:ruleId/trial', {
    schema: {
      tags: ['signals'],
      summary: 'Try a rule, changed as proposed, against your authority’s children: what it would have raised, at which entry, and why',
      description: 'Administrators of a local authority only (others get 403). Each child’s history is replayed in the order it was recorded through the '
        + 'rule’s own evaluator; nothing is raised or written except one audit row naming the children read. 409 when the parameters do not fit the rule.',
      params: ruleIdParam,
      body: ruleChange,
      response: { 200: trialView },
    },
  }, async (req) => rules.trial(requireActor(req), req.params.ruleId, req.body));

  app.post('/api/signals/rules/:ruleId/versions', {
    schema: {
      tags: ['signals'],
      summary: 'Put a changed rule in force for your authority from now (a new version; earlier versions are kept)',
      description: 'Administrators of a local authority only (others get 403). 409 when the parameters do not fit the rule or are not ones a locality may set; '
        + '400 for a missing reason. Accepts an Idempotency-Key.',
      params: ruleIdParam,
      headers: idempotencyHeader,
      body: newVersionInput,
      response: { 201: ruleView },
    },
  }, async (req, reply) => {
    const res = await rules.addVersion(requireActor(req), req.params.ruleId, req.body, req.headers['idempotency-key']);
    return reply.status(201).header('idempotent-replayed', String(res.replayed)).send(res.body);
  });
}
