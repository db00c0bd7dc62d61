import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Recipient } from './hit.js';

/**
 * Who an alert reaches at each stage, resolved against the child's relationships when it is raised
 * or escalates. Stage 1: whoever the rule names (the allocated worker and their manager, …). With no
 * one there (a child not allocated) the local authority's front door: its screening team's managers,
 * or the whole screening team when it has none (no team: the heads of service). Stage 2: the allocated worker's manager (or the line
 * managers of those alerted); stage 3: the authority's heads of service (or the managers' managers).
 */
export interface Alerted { ids: string[]; frontDoor: boolean }

const active = sql`p.active`;

async function allocated(tx: Transaction<DB>, childId: string, now: Date): Promise<{ id: string; manager_id: string | null }[]> {
  const r = await sql<{ id: string; manager_id: string | null }>`SELECT p.id, p.manager_id FROM allocations a JOIN practitioners p ON p.id = a.practitioner_id
    WHERE a.child_id = ${childId} AND a.valid_from <= ${now} AND (a.valid_to IS NULL OR a.valid_to > ${now}) AND ${active} ORDER BY p.id`.execute(tx);
  return r.rows;
}

async function ofRole(tx: Transaction<DB>, roles: string[], agencyId: string | null): Promise<string[]> {
  if (!agencyId) return [];
  const r = await sql<{ id: string }>`SELECT p.id FROM practitioners p WHERE p.agency_id = ${agencyId} AND p.role IN (${sql.join(roles)}) AND ${active} ORDER BY p.id`.execute(tx);
  return r.rows.map((x) => x.id);
}

/** Designated safeguarding leads working with the child now (core group or strategy discussion). */
async function designatedLeads(tx: Transaction<DB>, childId: string, now: Date): Promise<string[]> {
  const r = await sql<{ id: string }>`SELECT DISTINCT p.id FROM group_members g JOIN practitioners p ON p.id = g.practitioner_id
    WHERE g.child_id = ${childId} AND g.valid_from <= ${now} AND (g.valid_to IS NULL OR g.valid_to > ${now})
      AND p.role = 'designated_safeguarding_lead' AND ${active} ORDER BY p.id`.execute(tx);
  return r.rows.map((x) => x.id);
}

/** The front door of the authority (or, not knowing it, of every authority in the jurisdiction). */
async function frontDoor(tx: Transaction<DB>, laId: string | null, jurisdiction: string): Promise<string[]> {
  const r = await sql<{ id: string; role: string }>`SELECT p.id, p.role FROM teams t JOIN agencies ag ON ag.id = t.agency_id JOIN practitioners p ON p.team_id = t.id
    WHERE t.screening AND ag.kind = 'local_authority' AND ${laId ? sql`ag.id = ${laId}` : sql`ag.jurisdiction = ${jurisdiction}`} AND ${active} ORDER BY p.id`.execute(tx);
  const managers = r.rows.filter((p) => p.role === 'team_manager').map((p) => p.id);
  return managers.length ? managers : r.rows.map((p) => p.id);
}

async function managersOf(tx: Transaction<DB>, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const r = await sql<{ id: string }>`SELECT DISTINCT m.id FROM practitioners p JOIN practitioners m ON m.id = p.manager_id
    WHERE p.id IN (${sql.join(ids)}) AND m.active ORDER BY m.id`.execute(tx);
  return r.rows.map((x) => x.id);
}

export interface Where { childId: string; laId: string | null; jurisdiction: string; now: Date }

/** Stage 1: the rule's recipients, or the front door when none of them exists. */
export async function firstRecipients(tx: Transaction<DB>, w: Where, wanted: Recipient[]): Promise<Alerted> {
  const alloc = await allocated(tx, w.childId, w.now);
  const found: string[] = [];
  for (const r of new Set(wanted)) {
    if (r === 'allocated_worker') found.push(...alloc.map((a) => a.id));
    if (r === 'manager') found.push(...(await managersOf(tx, alloc.map((a) => a.id))));
    if (r === 'head_of_service') found.push(...(await ofRole(tx, ['head_of_service'], w.laId)));
    if (r === 'designated_lead') found.push(...(await designatedLeads(tx, w.childId, w.now)));
  }
  if (found.length) return { ids: [...new Set(found)], frontDoor: false };
  const door = await frontDoor(tx, w.laId, w.jurisdiction);
  // An authority with no screening team recorded: its heads of service, so that someone is told.
  return { ids: door.length ? door : await ofRole(tx, ['head_of_service'], w.laId), frontDoor: true };
}

/** The people a stage above 1 adds (may be empty: the caller then goes a stage further). */
export async function stageRecipients(tx: Transaction<DB>, w: Where, stage: number, alertedSoFar: string[]): Promise<string[]> {
  const alloc = await allocated(tx, w.childId, w.now);
  const managers = alloc.length ? await managersOf(tx, alloc.map((a) => a.id)) : await managersOf(tx, alertedSoFar);
  if (stage === 2) return managers;
  const heads = await ofRole(tx, ['head_of_service'], w.laId);
  return heads.length ? heads : managersOf(tx, managers.length ? managers : alertedSoFar);
}
