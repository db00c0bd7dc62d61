import path from 'node:path';
import { createHash } from 'node:crypto';
import { webPaths } from './paths.js';

export interface Stylesheet {
  css: string;
  etag: string;
}

let compiled: Promise<Stylesheet> | undefined;

/**
 * Sightline's stylesheet, compiled from GOV.UK and MoJ Frontend's Sass once per process (about two
 * seconds) and kept in memory. A failed compile is not cached, so the next request tries again.
 */
export function stylesheet(): Promise<Stylesheet> {
  compiled ??= compile().catch((err) => {
    compiled = undefined;
    throw err;
  });
  return compiled;
}

async function compile(): Promise<Stylesheet> {
  const sass = await import('sass');
  const res = await sass.compileAsync(path.join(webPaths.styles, 'sightline.scss'), {
    loadPaths: [webPaths.packagesRoot],
    style: 'compressed',
    // The design systems' own deprecation notices are theirs to fix, not noise for our logs.
    logger: sass.Logger.silent,
  });
  return { css: res.css, etag: `"${createHash('sha256').update(res.css).digest('base64url').slice(0, 27)}"` };
}
