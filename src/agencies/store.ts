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

export async function createTeam(q: Q, agencyId: string, name: string) {
  const id = randomUUID();
  await q.insertInto('teams').values({ id, agency_id: agencyId, name }).execute();
  return id;
}

export async function createPractitioner(q: Q, p: PractitionerInput) {
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
      password_hash: p.password ? await hashPassword(p.password) : null,
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
export const listPractitioners = (q: Q) =>
  q
    .selectFrom('practitioners as p')
    .innerJoin('agencies as a', 'a.id', 'p.agency_id')
    .leftJoin('teams as t', 't.id', 'p.team_id')
    .select(['p.id', 'p.agency_id', 'p.team_id', 'p.manager_id', 'p.email', 'p.display_name', 'p.role', 'p.qualified_social_worker', 'p.active', 'p.locked_until', 'a.name as agency_name', 't.name as team_name'])
    .orderBy('a.name')
    .orderBy('p.display_name')
    .execute();
