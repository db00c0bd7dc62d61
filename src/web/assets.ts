import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { stylesheet } from './styles.js';
import { webPaths } from './paths.js';

const govuk = path.join(webPaths.govukDist, 'govuk');
const moj = path.join(webPaths.moj, 'moj');

/** The scripts served, by URL: the design systems' own bundles (ES modules) and ours. Never fonts. */
const scripts: Record<string, string> = {
  '/assets/govuk/govuk-frontend.min.js': path.join(govuk, 'govuk-frontend.min.js'),
  '/assets/govuk/govuk-frontend.min.js.map': path.join(govuk, 'govuk-frontend.min.js.map'),
  '/assets/moj/moj-frontend.min.js': path.join(moj, 'moj-frontend.min.js'),
  '/assets/moj/moj-frontend.min.js.map': path.join(moj, 'moj-frontend.min.js.map'),
  '/assets/sightline.js': path.join(webPaths.static, 'sightline.js'),
  '/assets/sightline.svg': path.join(webPaths.static, 'sightline.svg'),
};

const year = 'public, max-age=31536000, immutable';
const day = 'public, max-age=86400';

/** `/assets`: the compiled stylesheet, the scripts, and the images both design systems' CSS refers to. */
export async function assetRoutes(app: FastifyInstance): Promise<void> {
  app.get('/assets/sightline.css', { schema: { hide: true } }, async (req, reply) => {
    const { css, etag } = await stylesheet();
    reply.header('etag', etag).header('cache-control', 'public, max-age=3600, must-revalidate');
    if (req.headers['if-none-match'] === etag) return reply.status(304).send();
    return reply.type('text/css; charset=utf-8').send(css);
  });

  for (const [url, file] of Object.entries(scripts)) {
    const type = url.endsWith('.svg') ? 'image/svg+xml' : url.endsWith('.map') ? 'application/json' : 'text/javascript; charset=utf-8';
    app.get(url, { schema: { hide: true } }, async (_req, reply) =>
      reply.type(type).header('cache-control', url.includes('/sightline.') ? day : year).send(await fs.promises.readFile(file)),
    );
  }

  // MoJ's images first: both sets live under /assets/images/, as each stylesheet expects.
  await app.register(fastifyStatic, {
    root: [path.join(moj, 'assets', 'images'), path.join(govuk, 'assets', 'images')],
    prefix: '/assets/images/',
    decorateReply: false,
    index: false,
    maxAge: '1d',
    schemaHide: true,
  });
}
