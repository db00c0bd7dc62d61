import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { sql } from 'kysely';
import type { Services } from '../../src/app.js';
import { createPractitioner } from '../../src/agencies/store.js';
import { hashPassword } from '../../src/auth/password.js';
import { PASSWORD } from '../support/fixtures.js';

let caller = 0;
/**
 * Signs in through the API; each sign-in comes from its own address so that the per-address
 * sign-in rate limit (20 a minute) does not stop a table of thirty callers.
 */
export async function bearer(app: FastifyInstance, email: string): Promise<Record<string, string>> {
  caller++;
  const res = await app.inject({ method: 'POST', url: '/api/auth/token', payload: { email, password: PASSWORD }, remoteAddress: `10.9.${caller >> 8}.${caller & 255}` });
  expect(res.statusCode, res.body).toBe(201);
  return { authorization: `Bearer ${res.json().token}` };
}

export function expectProblem(res: { headers: Record<string, unknown>; statusCode: number; json(): unknown }, status: number) {
  expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  expect(res.json()).toMatchObject({ status });
}

let hashed: Promise<string> | undefined;
/** A practitioner who signs in with PASSWORD (hashed once per file: argon2 is slow on purpose). */
export async function practitioner(s: Services, p: { key: string; agency: string; role: string; team?: string; manager?: string }) {
  const email = `${p.key}@example.test`;
  const id = await createPractitioner(
    s.database.db,
    { agency_id: p.agency, team_id: p.team, manager_id: p.manager, email, display_name: `Test ${p.key}`, role: p.role as never, qualified_social_worker: p.role === 'social_worker' },
    await (hashed ??= hashPassword(PASSWORD)),
  );
  return { id, email };
}

export interface AuditLine {
  action: string;
  basis: string;
  emergency_access_id: string | null;
  detail: Record<string, unknown>;
}

/** The newest audit row for this caller (practitioner or token) about this child. */
export async function lastAudit(s: Services, childId: string, actorId: string): Promise<AuditLine | undefined> {
  const r = await sql<AuditLine>`SELECT action, basis, emergency_access_id, detail FROM audit_events
    WHERE child_id = ${childId} AND (actor_practitioner_id = ${actorId} OR actor_token_id = ${actorId})
    ORDER BY id DESC LIMIT 1`.execute(s.database.db);
  return r.rows[0];
}

export async function count(s: Services, table: 'audit_events' | 'entries' | 'notifications' | 'emergency_access'): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(s.database.db);
  return r.rows[0].n;
}
