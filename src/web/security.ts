import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CookieSerializeOptions } from '@fastify/cookie';
import { SESSION_COOKIE } from '../http/server.js';

export const CSRF_COOKIE = 'sl_csrf';
export const CSRF_FIELD = '_csrf';

/** Only this origin's styles, scripts, images and forms; nobody may frame a page. */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

/** Every page carries child data or a session, so none may be cached or framed. */
export function pageHeaders(reply: FastifyReply): void {
  reply.header('content-security-policy', contentSecurityPolicy);
  reply.header('x-frame-options', 'DENY');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cache-control', 'no-store');
  reply.header('cross-origin-opener-policy', 'same-origin');
}

export type SecureCookies = 'auto' | 'yes' | 'no';

export function cookieOptions(req: FastifyRequest, secure: SecureCookies, expires?: Date): CookieSerializeOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    // trustProxy is on, so req.protocol is the scheme the browser used at the proxy.
    secure: secure === 'yes' || (secure === 'auto' && req.protocol === 'https'),
    ...(expires ? { expires } : {}),
  };
}

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, secure: SecureCookies, token: string, expires: Date): void {
  reply.setCookie(SESSION_COOKIE, token, cookieOptions(req, secure, expires));
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply, secure: SecureCookies): void {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(req, secure));
}

/**
 * The double-submit CSRF token: a random value in an HttpOnly cookie that every form repeats in a
 * hidden field. Returns the request's token, setting a new cookie when there is none (or `fresh`,
 * after signing in, so a token planted before sign-in is not carried into the session).
 */
export function csrfToken(req: FastifyRequest, reply: FastifyReply, secure: SecureCookies, fresh = false): string {
  const existing = req.cookies[CSRF_COOKIE];
  if (!fresh && existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  reply.setCookie(CSRF_COOKIE, token, cookieOptions(req, secure));
  // Later renders in this request must use the token just set, not the stale one.
  req.cookies[CSRF_COOKIE] = token;
  return token;
}

/** True when the form's `_csrf` field matches the cookie (compared in constant time). */
export function csrfValid(req: FastifyRequest): boolean {
  const cookie = req.cookies[CSRF_COOKIE];
  const body = req.body as Record<string, unknown> | undefined;
  const field = body?.[CSRF_FIELD];
  if (!cookie || typeof field !== 'string') return false;
  const a = Buffer.from(cookie);
  const b = Buffer.from(field);
  return a.length === b.length && timingSafeEqual(a, b);
}
