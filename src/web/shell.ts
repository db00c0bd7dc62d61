import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../access/actor.js';
import { DomainError, MergedRecord, notFound } from '../errors.js';
import { assetRoutes } from './assets.js';
import { renderView } from './env.js';
import { csrfToken, csrfValid, pageHeaders, type SecureCookies } from './security.js';

export type Practitioner = Extract<Actor, { type: 'practitioner' }>;

/** What the header shows of whoever is signed in. */
export interface SignedIn {
  /** Administrators see the administration link. */
  isAdministrator?: boolean;
  /** Health practitioners who may run the unscheduled-care check see its link. */
  mayCheckUnscheduledCare?: boolean;
  name: string;
  role: string;
  agency: string;
}

export interface WebOptions {
  secureCookies: SecureCookies;
  describe: (p: Practitioner) => Promise<SignedIn>;
}

type PageHandler = (req: FastifyRequest, reply: FastifyReply, actor: Practitioner) => Promise<unknown>;
type PublicHandler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
interface RouteExtras {
  config?: Record<string, unknown>;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The page kernel handed to each capability's pages: routes that need a signed-in practitioner (or
 * not), CSRF on every POST, rendering under Sightline's header, and HTML error pages.
 */
export class Web {
  constructor(
    readonly app: FastifyInstance,
    private readonly opts: WebOptions,
  ) {}

  get secureCookies(): SecureCookies {
    return this.opts.secureCookies;
  }

  get(path: string, handler: PageHandler, extras: RouteExtras = {}) {
    this.app.get(path, { schema: { hide: true }, ...extras }, (req, reply) => handler(req, reply, signedIn(req)));
  }

  post(path: string, handler: PageHandler, extras: RouteExtras = {}) {
    this.app.post(path, { schema: { hide: true }, ...extras }, (req, reply) => handler(req, reply, signedIn(req)));
  }

  publicGet(path: string, handler: PublicHandler, extras: RouteExtras = {}) {
    this.app.get(path, { schema: { hide: true }, ...extras }, handler);
  }

  publicPost(path: string, handler: PublicHandler, extras: RouteExtras = {}) {
    this.app.post(path, { schema: { hide: true }, ...extras }, handler);
  }

  async render(req: FastifyRequest, reply: FastifyReply, view: string, context: Record<string, unknown> = {}, status = 200) {
    const actor = req.actor?.type === 'practitioner' ? req.actor : null;
    const html = renderView(view, {
      ...context,
      signedIn: actor ? await this.opts.describe(actor) : null,
      csrfToken: csrfToken(req, reply, this.opts.secureCookies),
      currentPath: req.url.split('?')[0],
    });
    return reply.status(status).type('text/html; charset=utf-8').send(html);
  }
}

function signedIn(req: FastifyRequest): Practitioner {
  if (req.actor?.type !== 'practitioner') throw new DomainError('Sign in to continue.', 401, 'Unauthorised');
  return req.actor;
}

/** A route parameter that must be a UUID; anything else is a page that does not exist. */
export function uuidParam(req: FastifyRequest, name: string): string {
  const v = (req.params as Record<string, string | undefined>)[name];
  if (!v || !uuid.test(v)) throw notFound();
  return v.toLowerCase();
}

/** A path on this site to return to after signing in; anything else goes home. */
export function localPath(v: unknown): string {
  return typeof v === 'string' && /^\/(?![/\\])[^\s]*$/.test(v) ? v : '/';
}

/**
 * Registers the pages as one encapsulated plugin, so their hooks and HTML error pages never touch
 * the API's problem+json responses.
 */
export function webPages(opts: WebOptions, register: (web: Web) => void | Promise<void>) {
  return async function pages(app: FastifyInstance) {
    const web = new Web(app, opts);

    app.addHook('onSend', async (req, reply, payload) => {
      if (req.url.startsWith('/assets/')) reply.header('x-content-type-options', 'nosniff');
      else pageHeaders(reply);
      return payload;
    });

    app.addHook('preHandler', async (req, reply) => {
      if (req.method !== 'POST' || csrfValid(req)) return;
      await web.render(req, reply, 'errors/forbidden.njk', { pageTitle: 'This form has expired', reason: 'csrf' }, 403);
      return reply;
    });

    app.setErrorHandler(async (err, req, reply) => {
      const status = err instanceof DomainError ? err.status : (err as { statusCode?: number }).statusCode ?? 500;
      if (status === 401) return reply.redirect(`/sign-in?next=${encodeURIComponent(req.method === 'GET' ? req.url : '/')}`, 303);
      if (err instanceof MergedRecord && req.method === 'GET') return reply.redirect(req.url.split(err.mergedFrom).join(err.mergedInto), 303);
      if (status === 404) return web.render(req, reply, 'errors/not-found.njk', { pageTitle: 'Page not found' }, 404);
      if (status === 403) return web.render(req, reply, 'errors/forbidden.njk', { pageTitle: 'You cannot do that', message: (err as Error).message }, 403);
      if (status === 429) return web.render(req, reply, 'errors/problem.njk', { pageTitle: 'Too many attempts', message: 'There have been too many attempts from your connection. Wait a minute, then try again.' }, 429);
      if (status < 500) return web.render(req, reply, 'errors/problem.njk', { pageTitle: 'Something was not right', message: (err as Error).message }, status);
      req.log.error({ err }, 'page failed');
      return web.render(req, reply, 'errors/problem.njk', { pageTitle: 'Sorry, there is a problem with the service', message: 'Nothing was saved. Try again later.' }, 500);
    });

    await assetRoutes(app);
    await register(web);

    // Any other page address gets the HTML "Page not found". Unknown API paths go on, before any page
    // hook sees them, to the API's own 404 (problem+json, or 401 without credentials).
    app.get('/*', {
      schema: { hide: true },
      onRequest: async (req, reply) => {
        if (/^\/api(?:[/?]|$)/.test(req.url)) return reply.callNotFound();
      },
    }, async () => {
      throw notFound();
    });
  };
}
