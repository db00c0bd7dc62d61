import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Actor } from '../access/actor.js';
import { unauthorised } from '../errors.js';
import { sendProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on the few API routes that need no credentials (sign-in). */
    public?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** The raw session token when the caller signed in through the web pages. */
    sessionToken: string | null;
  }
}

export const SESSION_COOKIE = 'sl_session';

export interface HttpOptions {
  logLevel: string;
  resolveActor: (token: string) => Promise<Actor | null>;
}

/** The shared HTTP kernel: zod validation, OpenAPI, problem+json errors and who is calling. */
export async function createHttpServer(opts: HttpOptions) {
  const app = Fastify({
    logger: {
      level: opts.logLevel,
      // Logs carry no personal data: no bodies, no query strings, no cookies or tokens.
      serializers: {
        req: (req) => ({ method: req.method, url: req.url.split('?')[0], id: req.id }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
    trustProxy: true,
    bodyLimit: 2 * 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(cookie);
  await app.register(formbody);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Sightline API', version: '0.1.0', description: 'One tamper-evident record per child, shared by every agency.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.decorateRequest('actor', null);
  app.decorateRequest('sessionToken', null);
  app.addHook('onRequest', async (req) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    // The API takes bearer tokens only; the session cookie serves the pages (which carry CSRF tokens).
    const cookieToken = req.url.startsWith('/api/') ? undefined : req.cookies[SESSION_COOKIE];
    const token = bearer ?? cookieToken;
    if (!token) return;
    req.actor = await opts.resolveActor(token);
    if (req.actor && !bearer) req.sessionToken = token;
  });

  // The API answers 401 before it validates anything, so a caller without credentials learns nothing.
  const credentialsFirst = async (req: FastifyRequest) => {
    const cfg = req.routeOptions.config as { public?: boolean } | undefined;
    if (req.url.startsWith('/api/') && !cfg?.public && !req.actor) throw unauthorised();
  };
  app.addHook('preValidation', credentialsFirst);

  app.setErrorHandler((err, req, reply) => sendProblem(reply, req, err));
  // Also as the 404's own hook: the pages hand unknown API paths here with reply.callNotFound().
  app.setNotFoundHandler({ preHandler: credentialsFirst }, (req, reply) =>
    reply.status(404).type('application/problem+json').send({ type: 'about:blank', title: 'Not found', status: 404, detail: `No route for ${req.method} ${req.url.split('?')[0]}` }),
  );
  return app;
}

export type App = Awaited<ReturnType<typeof createHttpServer>>;

export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw unauthorised();
  return req.actor;
}

/** Sends a create's stored result: the same status and body on a retry, which says it is a replay. */
export function sendStored(reply: FastifyReply, res: { status: number; body: unknown; replayed: boolean }) {
  return reply.status(res.status).header('idempotent-replayed', String(res.replayed)).send(res.body);
}
