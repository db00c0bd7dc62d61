import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { hashPassword } from '../auth/password.js';
import type { AgencyInput, PractitionerInput } from './schemas.js';

type Q = Kysely<DB> | Transaction<DB>;

export async function createAgency(q: Q, a: AgencyInput) {
  const id = randomUUID();
  await q.insertInto('agencies').values({ id, kind: a.kind, name: a.name, code: a.code, jurisdiction: a.jurisdiction, office_hours_phone: a.office_hours_phone ?? null, out_of_hours_phone: a.out_of_hours_phone ?? null }).execute();
  return id;
}

export async function createTeam(q: Q, agencyId: string, name: string, screening = false) {
  const id = randomUUID();
  await q.insertInto('teams').values({ id, agency_id: agencyId, name, screening }).execute();
  return id;
}

/** `passwordHash` lets a caller hash before opening its transaction (argon2 is deliberately slow). */
export async function createPractitioner(q: Q, p: PractitionerInput, passwordHash?: string) {
  const id = randomUUID();
  await q
    .insertInto('practitioners')
    .values({
      id,
      agency_id: p.agency_id,
      team_id: p.team_id ?? null,
      manager_id: p.manager_id ?? null,
      email: p.email.toLowerCase(),
      display_name: p.display_name,
      role: p.role,
      qualified_social_worker: p.qualified_social_worker,
      password_hash: passwordHash ?? (p.password ? await hashPassword(p.password) : null),
    })
    .execute();
  return id;
}

export const listAgencies = (q: Q) => q.selectFrom('agencies').selectAll().orderBy('name').execute();
export const listTeams = (q: Q, agencyId?: string) => {
  let s = q.selectFrom('teams').selectAll();
  if (agencyId) s = s.where('agency_id', '=', agencyId);
  return s.orderBy('name').execute();
};

export const getAgency = (q: Q, id: string) => q.selectFrom('agencies').selectAll().where('id', '=', id).executeTakeFirst();
export const agencyCodeTaken = async (q: Q, code: string) =>
  !!(await q.selectFrom('agencies').select('id').where('code', '=', code).executeTakeFirst());

export async function updateAgencyContact(q: Q, id: string, set: { office_hours_phone?: string | null; out_of_hours_phone?: string | null }) {
  if (Object.keys(set).length) await q.updateTable('agencies').set(set).where('id', '=', id).execute();
}

export const getTeam = (q: Q, id: string) => q.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
export const teamNameTaken = async (q: Q, agencyId: string, name: string) =>
  !!(await q.selectFrom('teams').select('id').where('agency_id', '=', agencyId).where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase())).executeTakeFirst());

/** A practitioner as an administrator sees them: names of their agency, team and manager, never the password hash. */
export const practitionerRows = (q: Q) =>
  q
    .selectFrom('practitioners as p')
    .innerJoin('agencies as a', 'a.id', 'p.agency_id')
    .leftJoin('teams as t', 't.id', 'p.team_id')
    .leftJoin('practitioners as m', 'm.id', 'p.manager_id')
    .select([
      'p.id', 'p.agency_id', 'p.team_id', 'p.manager_id', 'p.email', 'p.display_name', 'p.role', 'p.qualified_social_worker',
      'p.active', 'p.locked_until', 'p.created_at', 'a.name as agency_name', 'a.kind as agency_kind', 't.name as team_name', 'm.display_name as manager_name',
    ]);
export type PractitionerRow = Awaited<ReturnType<ReturnType<typeof practitionerRows>['executeTakeFirstOrThrow']>>;

export const getPractitionerRow = (q: Q, id: string) => practitionerRows(q).where('p.id', '=', id).executeTakeFirst();

export function findPractitioners(q: Q, filter: { agencyId?: string; teamId?: string }) {
  let s = practitionerRows(q);
  if (filter.agencyId) s = s.where('p.agency_id', '=', filter.agencyId);
  if (filter.teamId) s = s.where('p.team_id', '=', filter.teamId);
  return s.orderBy('a.name').orderBy('p.display_name').execute();
}

export const emailTaken = async (q: Q, email: string) =>
  !!(await q.selectFrom('practitioners').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase())).executeTakeFirst());

/** Everyone above `id` in the line-management chain (bounded, as the access policy is). */
export async function lineAbove(q: Q, id: string): Promise<string[]> {
  const out: string[] = [];
  let current: string | null = id;
  while (current && out.length < 20) {
    const row = await q.selectFrom('practitioners').select('manager_id').where('id', '=', current).executeTakeFirst();
    current = row?.manager_id ?? null;
    if (!current || out.includes(current)) break;
    out.push(current);
  }
  return out;
}

export interface PractitionerChange {
  display_name?: string;
  role?: string;
  team_id?: string | null;
  manager_id?: string | null;
  qualified_social_worker?: boolean;
  active?: boolean;
  failed_sign_ins?: number;
  locked_until?: Date | null;
  password_hash?: string;
}

export async function updatePractitioner(q: Q, id: string, set: PractitionerChange) {
  if (Object.keys(set).length) await q.updateTable('practitioners').set(set).where('id', '=', id).execute();
}

/** Signs a person out everywhere: used on deactivation and on a password reset. */
export async function endSessionsOf(q: Q, practitionerId: string, now: Date) {
  await q.updateTable('sessions').set({ ended_at: now }).where('practitioner_id', '=', practitionerId).where('ended_at', 'is', null).execute();
}

/** Tokens with who made them; never the hash. */
export function findApiTokens(q: Q, filter: { agencyId?: string; id?: string }) {
  let s = q
    .selectFrom('api_tokens as k')
    .innerJoin('agencies as a', 'a.id', 'k.agency_id')
    .innerJoin('practitioners as c', 'c.id', 'k.created_by')
    .leftJoin('practitioners as r', 'r.id', 'k.revoked_by')
    .select(['k.id', 'k.agency_id', 'a.name as agency_name', 'k.name', 'k.entry_kinds', 'k.created_at', 'c.display_name as created_by_name', 'k.revoked_at', 'r.display_name as revoked_by_name']);
  if (filter.agencyId) s = s.where('k.agency_id', '=', filter.agencyId);
  if (filter.id) s = s.where('k.id', '=', filter.id);
  return s.orderBy('a.name').orderBy('k.created_at', 'desc').execute();
}
export type ApiTokenRow = Awaited<ReturnType<typeof findApiTokens>>[number];

export async function revokeApiToken(q: Q, id: string, by: string, now: Date) {
  await q.updateTable('api_tokens').set({ revoked_at: now, revoked_by: by }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}
