import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Services } from '../../src/app.js';
import { buildApp } from '../../src/app.js';
import { testServices } from '../support/db.js';
import { PASSWORD, world, type World } from '../support/fixtures.js';

/**
 * Every endpoint in the OpenAPI document, given bad input, answers 4xx problem+json and changes
 * nothing. Driven from the document itself, so new endpoints are covered as they are added.
 */
let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
const tokens: Record<string, string> = {};

async function tableCounts(): Promise<Record<string, number>> {
  const tables = await sql<{ tablename: string }>`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`.execute(s.database.db);
  const out: Record<string, number> = {};
  for (const { tablename } of tables.rows) {
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(tablename)}`.execute(s.database.db);
    out[tablename] = r.rows[0].n;
  }
  return out;
}

function operations(): { method: string; path: string; params: string[]; hasBody: boolean }[] {
  const doc = app.swagger() as { paths: Record<string, Record<string, { requestBody?: unknown; parameters?: { in: string; name: string }[] }>> };
  const ops = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      ops.push({ method: method.toUpperCase(), path, params, hasBody: !!op.requestBody });
    }
  }
  return ops;
}

const fill = (path: string, value: (name: string) => string) => path.replace(/\{(\w+)\}/g, (_, n: string) => value(n));

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  for (const who of ['worker', 'admin', 'auditor']) {
    const r = await app.inject({ method: 'POST', url: '/api/auth/token', payload: { email: w.emails[who], password: PASSWORD } });
    tokens[who] = r.json().token;
  }
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; body: string }, label: string) {
  expect(res.statusCode, `${label}: ${res.body}`).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, `${label}: ${res.body}`).toBeLessThan(500);
  expect(String(res.headers['content-type']), label).toContain('application/problem+json');
  const body = JSON.parse(res.body);
  expect(body, label).toMatchObject({ status: res.statusCode, title: expect.any(String) });
}

describe('bad input to every endpoint', () => {
  it('the API has endpoints to check', () => {
    expect(operations().length).toBeGreaterThan(5);
  });

  it('answers 4xx problem+json and writes nothing', async () => {
    const before = await tableCounts();
    let checked = 0;
    for (const op of operations()) {
      const label = `${op.method} ${op.path}`;
      for (const who of Object.keys(tokens)) {
        const headers = { authorization: `Bearer ${tokens[who]}` };
        if (op.params.length) {
          const res = await app.inject({ method: op.method as 'GET', url: fill(op.path, () => 'not-a-uuid'), headers, payload: op.hasBody ? {} : undefined });
          expectProblem(res, `${label} with malformed ids as ${who}`);
          checked++;
        }
        if (op.hasBody) {
          const url = fill(op.path, (n) => (n === 'childId' ? w.child : randomUUID()));
          for (const payload of [{ unexpected: 1, narrative: 42 }, '{not json', [] as unknown[]]) {
            const res = await app.inject({ method: op.method as 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
            if (label === 'POST /api/auth/token' && res.statusCode === 401) continue;
            expectProblem(res, `${label} with body ${JSON.stringify(payload)} as ${who}`);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(await tableCounts()).toEqual(before);
  });

  it('refuses requests without credentials with 401 problem+json', async () => {
    for (const op of operations()) {
      if (op.path === '/api/auth/token' || op.path === '/health') continue;
      if (!op.path.startsWith('/api/')) continue;
      const url = fill(op.path, () => randomUUID());
      const res = await app.inject({ method: op.method as 'GET', url, payload: op.hasBody ? {} : undefined });
      expect(res.statusCode, `${op.method} ${op.path}: ${res.body}`).toBe(401);
      expect(String(res.headers['content-type'])).toContain('application/problem+json');
    }
  });
});
