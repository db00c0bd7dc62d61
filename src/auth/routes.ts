import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { App } from '../http/server.js';
import { requireActor } from '../http/server.js';
import { endSession, signIn } from './store.js';

export const signInBody = z.object({ email: z.email().max(320), password: z.string().min(1).max(1000) });

/** Rate limit on sign-in per client address, on top of the per-account lockout. */
export const signInRateLimit = { max: 20, timeWindow: '1 minute' };

export function authApiRoutes(app: App, db: Kysely<DB>, sessionHours: number) {
  app.post('/api/auth/token', {
    config: { rateLimit: signInRateLimit, public: true },
    schema: { tags: ['auth'], summary: 'Sign in with email and password; returns a bearer token for the API', body: signInBody, security: [] },
  }, async (req, reply) => {
    const s = await signIn(db, req.body.email, req.body.password, sessionHours);
    return reply.status(201).send({ token: s.token, expires_at: s.expires.toISOString(), practitioner: s.actor });
  });

  app.delete('/api/auth/token', { schema: { tags: ['auth'], summary: 'End this bearer session' } }, async (req, reply) => {
    requireActor(req);
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (token) await endSession(db, token);
    return reply.status(204).send();
  });

  app.get('/api/me', { schema: { tags: ['auth'], summary: 'Who the caller is' } }, async (req) => requireActor(req));
}
