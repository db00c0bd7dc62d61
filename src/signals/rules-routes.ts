import { z } from 'zod';
import type { App } from '../http/server.js';
import { requireActor } from '../http/server.js';
import type { SignalRulesService } from './rules-service.js';
import { newerVersionView, newVersionInput, ruleChange, ruleIdParam, ruleListItem, ruleView, trialView } from './rules-schemas.js';

const idempotencyHeader = z.object({ 'idempotency-key': z.string().min(8).max(200).optional() });

/** The red-flag rules (spec §6): listed for practitioners; tried and changed by a local authority's administrator. */
export function signalRuleRoutes(app: App, rules: SignalRulesService) {
  app.get('/api/signals/rules', {
    schema: {
      tags: ['signals'],
      summary: 'The red-flag rules R1–R11 as they apply to your agency: what each looks for, its source, parameters, severity and who is alerted',
      description: 'Any signed-in practitioner (agency systems get 403). A local authority’s own version replaces the default for its children. '
        + '`newer_version`: a jurisdiction or default version newer than your authority’s own (the parameters it adds); your own stays in force until a new version is saved.',
      response: { 200: z.array(ruleListItem) },
    },
  }, async (req) => rules.list(requireActor(req)));

  app.get('/api/signals/rules/:ruleId', {
    schema: {
      tags: ['signals'],
      summary: 'One red-flag rule as it applies to you, and its versions (newest first)',
      description: '`newer_version`: a jurisdiction or default version newer than your authority’s own, what it adds, and the parameters a change starts from.',
      params: ruleIdParam,
      response: { 200: z.object({ rule: ruleView, versions: z.array(ruleView), newer_version: newerVersionView.nullable() }) },
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
        + 'when a newer jurisdiction or default version is there, the new version is made from it, your authority’s values kept and its added parameters accepted; '
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
