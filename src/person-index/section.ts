import { sql, type Transaction } from 'kysely';
import type { Actor } from '../access/actor.js';
import type { ChildDoor } from '../access/door.js';
import type { DB } from '../db/schema.js';
import { mergedIntoThis } from './group.js';
import { mergerRoles } from './reviewers.js';

export interface LinkedRecord {
  record_id: string; agency: string; local_id: string; version: number; person_id: string;
  linked_at: string; via: string; match_probability: number | null;
}
export interface MergeEvent {
  action: 'merged' | 'unmerged'; at: string; by: string | null; reason: string; merged_id: string; into: string;
}
export interface PersonIndexSection {
  linked: LinkedRecord[];
  merges: MergeEvent[];
  mergedHere: string[];
  /** The caller may merge and unmerge records (a manager or head of service; the allocation is checked on the act). */
  may_merge: boolean;
}

/** "Records linked to this child" and the merge history, read through the door (audited). */
export function personIndexSection(door: ChildDoor, actor: Actor, childId: string): Promise<PersonIndexSection> {
  const may_merge = actor.type === 'practitioner' && mergerRoles.includes(actor.role);
  return door.read(actor, childId, 'read_person_index', async (a) => ({ ...(await sectionWithin(a.tx, childId)), may_merge }));
}

async function sectionWithin(tx: Transaction<DB>, childId: string): Promise<Omit<PersonIndexSection, 'may_merge'>> {
  const mergedHere = await mergedIntoThis(tx, childId);
  const ids = [childId, ...mergedHere];
  const linked = await sql<LinkedRecord & { linked_at: Date }>`SELECT r.id AS record_id, ag.name AS agency, r.local_id, r.version, l.person_id,
      e.at AS linked_at, e.detail->>'via' AS via, e.probability AS match_probability
    FROM agency_record_links l JOIN agency_records r ON r.id = l.agency_record_id JOIN agencies ag ON ag.id = r.agency_id
    JOIN person_index_events e ON e.id = l.event_id
    WHERE l.person_id = ANY(${ids}::uuid[]) ORDER BY e.seq`.execute(tx);
  const merges = await sql<MergeEvent & { at: Date }>`SELECT e.action, e.at, p.display_name AS by, e.reason, e.person_id AS merged_id, e.other_person_id AS into
    FROM person_index_events e LEFT JOIN practitioners p ON p.id = e.actor_practitioner_id
    WHERE e.action IN ('merged', 'unmerged') AND (e.person_id = ANY(${ids}::uuid[]) OR e.other_person_id = ANY(${ids}::uuid[])) ORDER BY e.seq`.execute(tx);
  return {
    linked: linked.rows.map((r) => ({ ...r, linked_at: new Date(r.linked_at).toISOString() })),
    merges: merges.rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
    mergedHere,
  };
}

const viaLabels: Record<string, string> = {
  matcher: 'linked by the matcher', local_id: "linked by the agency's own id", review: 'linked by a reviewer', new_person: 'this record was created from it',
};
const ukDateTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', timeStyle: 'short' });

/** The section as the child's page shows it (record/pages.ts includes person-index/_child.njk). */
export async function personIndexOnChildPage(door: ChildDoor, actor: Actor, childId: string) {
  const s = await personIndexSection(door, actor, childId);
  return {
    ...s,
    viaLabels,
    linked: s.linked.map((l) => ({ ...l, percent: l.match_probability === null ? '' : `${(l.match_probability * 100).toFixed(1)}%` })),
    merges: s.merges.map((m) => ({ ...m, when: ukDateTime.format(new Date(m.at)) })),
  };
}
