import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { PASSWORD } from '../support/fixtures.js';

/** Signs in through the API and returns request headers carrying the bearer token. */
export async function bearer(app: FastifyInstance, email: string, password = PASSWORD): Promise<Record<string, string>> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/token', payload: { email, password } });
  expect(res.statusCode, res.body).toBe(201);
  return { authorization: `Bearer ${res.json().token}` };
}

export const isProblem = (res: { headers: Record<string, unknown>; statusCode: number }, status: number) => {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
};
