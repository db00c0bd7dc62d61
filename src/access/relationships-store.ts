import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { GroupKind } from './relationships-schemas.js';

type Tx = Transaction<DB>;

export interface AllocationView {
  id: string;
  /** The record the allocation is on: the child's own, or a record merged into the child. */
  child_id: string;
  practitioner_id: string;
  practitioner_name: string;
  team_id: string;
  team_name: string;
  valid_from: string;
  valid_to: string | null;
  recorded_by_name: string | null;
  ended_by_name: string | null;
}
export interface GroupMemberView {
  id: string;
  /** The record the membership is on: the child's own, or a record merged into the child. */
  child_id: string;
  practitioner_id: string;
  practitioner_name: string;
  role: string;
  agency_id: string;
  agency_name: string;
  group_kind: string;
  valid_from: string;
  valid_to: string | null;
  recorded_by_name: string | null;
  ended_by_name: string | null;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** Serialises changes to one child's relationships (two managers allocating at once get one after the other). */
export async function lockChildRelationships(tx: Tx, childId: string) {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${'relationships:' + childId}))`.execute(tx);
}

/** A child's allocations, newest first; `childId` may list the child and the records merged into them. */
export async function allocationsOf(tx: Tx, childId: string | string[], filter: { id?: string; currentAt?: Date } = {}): Promise<AllocationView[]> {
  let q = tx
    .selectFrom('allocations as x')
    .innerJoin('practitioners as p', 'p.id', 'x.practitioner_id')
    .innerJoin('teams as t', 't.id', 'x.team_id')
    .leftJoin('practitioners as r', 'r.id', 'x.recorded_by')
    .leftJoin('practitioners as e', 'e.id', 'x.ended_by')
    .select(['x.id', 'x.child_id', 'x.practitioner_id', 'p.display_name as practitioner_name', 'x.team_id', 't.name as team_name', 'x.valid_from', 'x.valid_to', 'r.display_name as recorded_by_name', 'e.display_name as ended_by_name'])
    .where('x.child_id', 'in', ([] as string[]).concat(childId));
  if (filter.id) q = q.where('x.id', '=', filter.id);
  const at = filter.currentAt;
  if (at) q = q.where('x.valid_from', '<=', at).where((eb) => eb.or([eb('x.valid_to', 'is', null), eb('x.valid_to', '>', at)]));
  const rows = await q.orderBy('x.valid_from', 'desc').execute();
  return rows.map((r) => ({ ...r, valid_from: iso(r.valid_from)!, valid_to: iso(r.valid_to) }));
}

export async function insertAllocation(tx: Tx, a: { childId: string; practitionerId: string; teamId: string; by: string; from: Date }) {
  const id = randomUUID();
  await tx.insertInto('allocations').values({ id, child_id: a.childId, practitioner_id: a.practitionerId, team_id: a.teamId, valid_from: a.from, recorded_by: a.by }).execute();
  return id;
}

export async function endAllocations(tx: Tx, ids: string[], by: string, at: Date) {
  if (ids.length) await tx.updateTable('allocations').set({ valid_to: at, ended_by: by }).where('id', 'in', ids).execute();
}

/** A child's group memberships, newest first; `childId` may list the child and the records merged into them. */
export async function groupMembersOf(tx: Tx, childId: string | string[], filter: { id?: string; currentAt?: Date; practitionerId?: string; groupKind?: GroupKind } = {}): Promise<GroupMemberView[]> {
  let q = tx
    .selectFrom('group_members as g')
    .innerJoin('practitioners as p', 'p.id', 'g.practitioner_id')
    .innerJoin('agencies as a', 'a.id', 'p.agency_id')
    .leftJoin('practitioners as r', 'r.id', 'g.recorded_by')
    .leftJoin('practitioners as e', 'e.id', 'g.ended_by')
    .select(['g.id', 'g.child_id', 'g.practitioner_id', 'p.display_name as practitioner_name', 'p.role', 'p.agency_id', 'a.name as agency_name', 'g.group_kind', 'g.valid_from', 'g.valid_to', 'r.display_name as recorded_by_name', 'e.display_name as ended_by_name'])
    .where('g.child_id', 'in', ([] as string[]).concat(childId));
  if (filter.id) q = q.where('g.id', '=', filter.id);
  if (filter.practitionerId) q = q.where('g.practitioner_id', '=', filter.practitionerId);
  if (filter.groupKind) q = q.where('g.group_kind', '=', filter.groupKind);
  const at = filter.currentAt;
  if (at) q = q.where('g.valid_from', '<=', at).where((eb) => eb.or([eb('g.valid_to', 'is', null), eb('g.valid_to', '>', at)]));
  const rows = await q.orderBy('g.group_kind').orderBy('g.valid_from', 'desc').execute();
  return rows.map((r) => ({ ...r, valid_from: iso(r.valid_from)!, valid_to: iso(r.valid_to) }));
}

export async function insertGroupMember(tx: Tx, m: { childId: string; practitionerId: string; groupKind: GroupKind; by: string; from: Date }) {
  const id = randomUUID();
  await tx.insertInto('group_members').values({ id, child_id: m.childId, practitioner_id: m.practitionerId, group_kind: m.groupKind, valid_from: m.from, recorded_by: m.by }).execute();
  return id;
}

export async function endGroupMember(tx: Tx, id: string, by: string, at: Date) {
  await tx.updateTable('group_members').set({ valid_to: at, ended_by: by }).where('id', '=', id).execute();
}

/** The facts about a practitioner that decide whether they can be allocated or added to a group. */
export const practitionerFacts = (tx: Tx, id: string) =>
  tx
    .selectFrom('practitioners as p')
    .innerJoin('agencies as a', 'a.id', 'p.agency_id')
    .select(['p.id', 'p.agency_id', 'p.team_id', 'p.active', 'a.kind as agency_kind'])
    .where('p.id', '=', id)
    .executeTakeFirst();

/** A finished response stored under this Idempotency-Key (0 means the first attempt has not committed). */
export const storedResponse = (db: Kysely<DB>, actor: string, key: string) =>
  db.selectFrom('idempotency_keys').select(['fingerprint', 'status_code', 'response']).where('actor', '=', actor).where('key', '=', key).where('status_code', '>', 0).executeTakeFirst();
