import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import type { App } from '../http/server.js';
import { requireActor, sendStored } from '../http/server.js';
import { AgencyService } from './service.js';
import { PractitionerService } from './practitioners.js';
import { ApiTokenService } from './tokens.js';
import { agencyContactUpdate, agencyInput, apiTokenInput, newPractitionerInput, passwordReset, practitionerUpdate, teamInput } from './schemas.js';

export interface AgencyCapability {
  agencies: AgencyService;
  practitioners: PractitionerService;
  tokens: ApiTokenService;
}
export const agencyCapability = (db: Kysely<DB>): AgencyCapability => ({
  agencies: new AgencyService(db),
  practitioners: new PractitionerService(db),
  tokens: new ApiTokenService(db),
});

const idempotencyHeader = z.object({ 'idempotency-key': z.string().min(8).max(200).optional() });
const agencyParams = z.object({ agencyId: z.uuid() });
const practitionerParams = z.object({ practitionerId: z.uuid() });
const tokenParams = z.object({ tokenId: z.uuid() });
const adminOnly = ' (administrators only; others get 403)';

export function agencyRoutes(app: App, c: AgencyCapability) {
  const tags = ['agencies'];

  app.get('/api/agencies', { schema: { tags, summary: 'Every agency, by name' } }, async (req) => {
    requireActor(req);
    return c.agencies.list();
  });
  app.post('/api/agencies', {
    schema: { tags, summary: `Add an agency${adminOnly}`, headers: idempotencyHeader, body: agencyInput },
  }, async (req, reply) => {
    const res = await c.agencies.create(requireActor(req), req.body, req.headers['idempotency-key']);
    return sendStored(reply, res);
  });
  app.get('/api/agencies/:agencyId', { schema: { tags, summary: 'An agency with its teams', params: agencyParams } }, async (req) => {
    requireActor(req);
    return c.agencies.show(req.params.agencyId);
  });
  app.patch('/api/agencies/:agencyId', {
    schema: { tags, summary: `Change an agency's office-hours and out-of-hours numbers${adminOnly}`, params: agencyParams, body: agencyContactUpdate },
  }, async (req) => c.agencies.updateContact(requireActor(req), req.params.agencyId, req.body));

  app.get('/api/agencies/:agencyId/teams', { schema: { tags, summary: "An agency's teams", params: agencyParams } }, async (req) => {
    requireActor(req);
    return c.agencies.teams(req.params.agencyId);
  });
  app.post('/api/agencies/:agencyId/teams', {
    schema: { tags, summary: `Add a team to an agency${adminOnly}`, params: agencyParams, headers: idempotencyHeader, body: teamInput },
  }, async (req, reply) => {
    const res = await c.agencies.createTeam(requireActor(req), req.params.agencyId, req.body.name, req.headers['idempotency-key'], req.body.screening);
    return sendStored(reply, res);
  });

  practitionerRoutes(app, c.practitioners);
  tokenRoutes(app, c.tokens);
}

function practitionerRoutes(app: App, p: PractitionerService) {
  const tags = ['agencies'];
  app.get('/api/practitioners', {
    schema: { tags, summary: `Practitioner accounts, by agency and name${adminOnly}`, querystring: z.object({ agency: z.uuid().optional(), team: z.uuid().optional() }) },
  }, async (req) => p.list(requireActor(req), { agencyId: req.query.agency, teamId: req.query.team }));
  app.post('/api/practitioners', {
    schema: { tags, summary: `Create a practitioner account with an initial password${adminOnly}`, headers: idempotencyHeader, body: newPractitionerInput },
  }, async (req, reply) => {
    const res = await p.create(requireActor(req), req.body, req.headers['idempotency-key']);
    return sendStored(reply, res);
  });
  app.get('/api/practitioners/:practitionerId', { schema: { tags, summary: `A practitioner account${adminOnly}`, params: practitionerParams } },
    async (req) => p.show(requireActor(req), req.params.practitionerId));
  app.patch('/api/practitioners/:practitionerId', {
    schema: { tags, summary: `Change role, team, manager, name or the qualified-social-worker flag${adminOnly}`, params: practitionerParams, body: practitionerUpdate },
  }, async (req) => p.update(requireActor(req), req.params.practitionerId, req.body));
  const action = (path: string, summary: string, fn: (actor: Actor, id: string) => Promise<unknown>) =>
    app.post(`/api/practitioners/:practitionerId/${path}`, { schema: { tags, summary: summary + adminOnly, params: practitionerParams } },
      async (req) => fn(requireActor(req), req.params.practitionerId));
  action('deactivate', 'Stop an account signing in and end its sessions', (a, id) => p.deactivate(a, id));
  action('reactivate', 'Let a deactivated account sign in again', (a, id) => p.reactivate(a, id));
  action('unlock', 'Lift a lockout after too many failed sign-ins', (a, id) => p.unlock(a, id));
  app.post('/api/practitioners/:practitionerId/password', {
    schema: { tags, summary: `Set a new password, lift any lockout and end the person's sessions${adminOnly}`, params: practitionerParams, body: passwordReset },
  }, async (req) => p.resetPassword(requireActor(req), req.params.practitionerId, req.body.password));
}

function tokenRoutes(app: App, t: ApiTokenService) {
  const tags = ['agencies'];
  app.get('/api/api-tokens', {
    schema: { tags, summary: `API tokens for agency systems, without their secrets${adminOnly}`, querystring: z.object({ agency: z.uuid().optional() }) },
  }, async (req) => t.list(requireActor(req), req.query.agency));
  app.post('/api/api-tokens', {
    schema: {
      tags,
      summary: `Create an API token for an agency system${adminOnly}`,
      description: 'The response carries `secret` once; only its hash is kept. A replay with the same Idempotency-Key returns the token without the secret: revoke it and create another if the secret was lost.',
      headers: idempotencyHeader,
      body: apiTokenInput,
    },
  }, async (req, reply) => {
    const res = await t.create(requireActor(req), req.body, req.headers['idempotency-key']);
    return sendStored(reply.header('cache-control', 'no-store'), res);
  });
  app.get('/api/api-tokens/:tokenId', { schema: { tags, summary: `An API token, without its secret${adminOnly}`, params: tokenParams } },
    async (req) => t.show(requireActor(req), req.params.tokenId));
  app.post('/api/api-tokens/:tokenId/revoke', { schema: { tags, summary: `Revoke an API token at once${adminOnly}`, params: tokenParams } },
    async (req) => t.revoke(requireActor(req), req.params.tokenId));
}
