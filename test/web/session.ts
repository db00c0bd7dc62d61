import type { FastifyInstance } from 'fastify';
import { PASSWORD } from '../support/fixtures.js';

/** A tiny cookie jar and form helper for page tests over app.inject. */
export class Browser {
  cookies = new Map<string, string>();
  /** Each browser comes from its own address, so the sign-in rate limit counts it alone. */
  readonly address = `10.${rnd()}.${rnd()}.${rnd()}`;
  constructor(private readonly app: FastifyInstance) {}

  get cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: { cookies: { name: string; value: string; expires?: Date; maxAge?: number }[] }) {
    for (const c of res.cookies) {
      const gone = c.value === '' || (c.expires && c.expires.getTime() < Date.now()) || c.maxAge === 0;
      if (gone) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  async get(url: string) {
    const res = await this.app.inject({ method: 'GET', url, remoteAddress: this.address, headers: { cookie: this.cookieHeader } });
    this.keep(res);
    return res;
  }

  /** Posts a form the way a browser would, with the CSRF token from the last page unless told otherwise. */
  async post(url: string, form: Record<string, string | string[]>, opts: { csrf?: string | null } = {}) {
    const body = new URLSearchParams();
    const csrf = opts.csrf === undefined ? this.cookies.get('sl_csrf') : opts.csrf;
    if (csrf !== null && csrf !== undefined) body.append('_csrf', csrf);
    for (const [k, v] of Object.entries(form)) for (const one of ([] as string[]).concat(v)) body.append(k, one);
    const res = await this.app.inject({
      method: 'POST',
      url,
      remoteAddress: this.address,
      headers: { cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
    this.keep(res);
    return res;
  }

  async signIn(email: string, password = PASSWORD) {
    await this.get('/sign-in');
    return this.post('/sign-in', { email, password });
  }
}

const rnd = () => Math.floor(Math.random() * 250) + 1;

/** The text a person would read: tags stripped, whitespace collapsed. */
export const textOf = (html: string) =>
  html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
