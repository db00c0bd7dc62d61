import { sql } from 'kysely';
import type { Actor } from './actor.js';
import type { ChildDoor } from './door.js';
import { forbidden } from '../errors.js';
import { basisLabels, type Basis } from './policy.js';

/** One line of "who has looked at this record". */
export interface AccessLogLine {
  at: string;
  actor: { name: string; role: string; agency: string; kind: 'practitioner' | 'agency_system' };
  action: string;
  basis: string;
  basis_label: string;
  emergency_reason: string | null;
}

interface Row {
  at: Date;
  action: string;
  basis: string;
  practitioner_name: string | null;
  practitioner_role: string | null;
  token_name: string | null;
  agency_name: string | null;
  emergency_reason: string | null;
}

/**
 * Who has read or written a child's record, newest first, from the audit trail. Reading it is itself
 * an access to the child, so it goes through the door and is audited. Practitioners only: an agency
 * system sees its own agency's entries, not who else looked.
 */
export async function accessLog(door: ChildDoor, actor: Actor, childId: string, limit: number): Promise<{ child_id: string; entries: AccessLogLine[] }> {
  if (actor.type !== 'practitioner') throw forbidden('Only a signed-in practitioner can see who has looked at a record.');
  return door.read(actor, childId, 'read_access_log', async (a) => {
    const rows = await sql<Row>`
      SELECT e.at, e.action, e.basis, p.display_name AS practitioner_name, p.role AS practitioner_role,
             t.name AS token_name, ag.name AS agency_name, x.reason AS emergency_reason
      FROM audit_events e
      LEFT JOIN practitioners p ON p.id = e.actor_practitioner_id
      LEFT JOIN api_tokens t ON t.id = e.actor_token_id
      LEFT JOIN agencies ag ON ag.id = coalesce(p.agency_id, t.agency_id)
      LEFT JOIN emergency_access x ON x.id = e.emergency_access_id
      WHERE e.child_id = ${a.childId}
      ORDER BY e.at DESC, e.id DESC
      LIMIT ${limit}`.execute(a.tx);
    a.audit = { lines: rows.rows.length };
    return { child_id: a.childId, entries: rows.rows.map(toLine) };
  });
}

function toLine(r: Row): AccessLogLine {
  const person = r.practitioner_name !== null;
  return {
    at: r.at.toISOString(),
    actor: {
      name: (person ? r.practitioner_name : r.token_name) ?? 'Unknown',
      role: (person ? r.practitioner_role : 'agency_system') ?? 'unknown',
      agency: r.agency_name ?? 'Unknown',
      kind: person ? 'practitioner' : 'agency_system',
    },
    action: r.action,
    basis: r.basis,
    basis_label: basisLabels[r.basis as Basis] ?? r.basis,
    emergency_reason: r.emergency_reason,
  };
}
