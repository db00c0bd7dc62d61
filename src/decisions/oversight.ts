import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import { writeAudit } from '../access/store.js';
import { forbidden } from '../errors.js';
import { LAST_STAGE } from './disagreement.js';
import { stageNames } from './schemas.js';
import { childNameSql } from './worklist-store.js';

/**
 * The oversight board's disagreements (issue 4 part 4). Who sees which: the partnership's independent
 * chair and auditors (read only) see every one; managers (team manager, head of service, director)
 * those with a party from their own agency; anyone else those they take part in. Read from the
 * projection across many children, so the listing writes its own audit row naming every child.
 */
export type OversightBasis = 'partnership_chair' | 'auditor' | 'agency_oversight' | 'disagreement_party';

const managerRoles = new Set(['team_manager', 'head_of_service', 'director']);

export function oversightBasis(role: string): OversightBasis {
  if (role === 'partnership_chair' || role === 'auditor') return role;
  return managerRoles.has(role) ? 'agency_oversight' : 'disagreement_party';
}

/** How many closed disagreements the board shows, most recently closed first. */
export const CLOSED_SHOWN = 100;

interface Row {
  id: string; child_id: string; child_name: string; matter: string; urgent: boolean; stage: number; status: string;
  opened_at: Date; stage_since: Date; stage_due_at: Date | null; closed_at: Date | null; outcome: string | null;
  raiser: Person; respondent: Person; answering: Person[]; state: { trail: TrailRow[] };
}
interface Person { id: string; name: string; agency: string }
interface TrailRow { at: string; by: string; byId: string | null; action: string; stage: number; text: string | null }

/** How a closed disagreement ended, in words. */
export const outcomeWords: Record<string, string> = {
  resolved: 'Resolved: the raiser accepted the response',
  partnership_decision: 'The partnership’s decision stands (the raiser did not accept it)',
  withdrawn: 'Withdrawn by the raiser',
};

function item(r: Row, now: Date) {
  const overdue = r.status === 'awaiting_response' && !!r.stage_due_at && r.stage_due_at <= now;
  const trail = r.state.trail.map((t) => ({ at: t.at, by: t.by, by_id: t.byId, action: t.action, stage: t.stage, text: t.text }));
  const lastAnswer = [...trail].reverse().find((t) => t.action === 'responded');
  const closing = trail.at(-1);
  return {
    id: r.id, child_id: r.child_id, child_name: r.child_name, matter: r.matter, urgent: r.urgent,
    stage: r.stage, stage_name: stageNames[r.stage], status: r.status,
    opened_at: r.opened_at.toISOString(), age_days: Math.floor((now.getTime() - r.opened_at.getTime()) / 86_400_000),
    stage_since: r.stage_since.toISOString(),
    due_at: r.status === 'awaiting_response' ? r.stage_due_at?.toISOString() ?? null : null, overdue,
    raiser: r.raiser, respondent: r.respondent, answering_now: r.status === 'awaiting_response' ? r.answering : [],
    closed_at: r.closed_at?.toISOString() ?? null, outcome: r.outcome,
    resolution: r.outcome ? { outcome: outcomeWords[r.outcome] ?? r.outcome, response: lastAnswer?.text ?? null, reason: closing?.action === 'closed' ? closing.text : null } : null,
    trail,
  };
}
export type OversightItem = ReturnType<typeof item>;

export interface DisagreementBoard {
  basis: OversightBasis;
  by_stage: { stage: number; label: string; open: number; overdue: number }[];
  open: OversightItem[];
  closed: OversightItem[];
}

const person = (alias: string) => sql`json_build_object('id', ${sql.ref(`${alias}.id`)}, 'name', ${sql.ref(`${alias}.display_name`)}, 'agency', ${sql.ref(`${alias}a.name`)})`;

/** The board for one practitioner: open ones overdue first, then furthest up the ladder, then oldest; closed ones most recent first. */
export async function disagreementBoard(db: Kysely<DB>, actor: Actor, now: Date): Promise<DisagreementBoard> {
  if (actor.type !== 'practitioner') throw forbidden('The oversight board is for signed-in practitioners.');
  const basis = oversightBasis(actor.role);
  const party = (agencyWide: boolean) => sql`EXISTS (SELECT 1 FROM disagreement_parties dp JOIN practitioners pp ON pp.id = dp.practitioner_id
    WHERE dp.disagreement_id = d.id AND ${agencyWide ? sql`pp.agency_id = ${actor.agencyId}` : sql`pp.id = ${actor.id}`})`;
  const visible = basis === 'partnership_chair' || basis === 'auditor' ? sql`true` : party(basis === 'agency_oversight');
  return db.transaction().execute(async (tx) => {
    const rows = await sql<Row>`
      SELECT * FROM (
        SELECT d.id, d.child_id, ${childNameSql('d.child_id')} AS child_name, d.matter, d.urgent, d.stage, d.status, d.opened_at, d.stage_since,
          d.stage_due_at, d.closed_at, d.outcome, d.state, ${person('r')} AS raiser, ${person('o')} AS respondent,
          coalesce((SELECT json_agg(json_build_object('id', p.id, 'name', p.display_name, 'agency', pa.name) ORDER BY p.display_name)
            FROM disagreement_parties dp JOIN practitioners p ON p.id = dp.practitioner_id JOIN agencies pa ON pa.id = p.agency_id
            WHERE dp.disagreement_id = d.id AND dp.part = 'responder'), '[]'::json) AS answering,
          row_number() OVER (PARTITION BY d.status = 'closed' ORDER BY d.closed_at DESC NULLS LAST, d.id) AS n
        FROM disagreements d
        JOIN practitioners r ON r.id = d.raiser_id JOIN agencies ra ON ra.id = r.agency_id
        JOIN practitioners o ON o.id = d.respondent_id JOIN agencies oa ON oa.id = o.agency_id
        WHERE ${visible}
      ) x WHERE x.status <> 'closed' OR x.n <= ${CLOSED_SHOWN}`.execute(tx);
    const items = rows.rows.map((r) => item(r, now));
    await writeAudit(tx, {
      actorPractitionerId: actor.id, actorTokenId: null, childId: null, action: 'oversight_disagreements', basis,
      detail: { children: [...new Set(items.map((i) => i.child_id))], disagreements: items.map((i) => i.id) },
    });
    return boardOf(basis, items);
  });
}

function boardOf(basis: OversightBasis, items: OversightItem[]): DisagreementBoard {
  const open = items.filter((i) => i.status !== 'closed')
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || b.stage - a.stage || a.opened_at.localeCompare(b.opened_at) || a.id.localeCompare(b.id));
  const closed = items.filter((i) => i.status === 'closed').sort((a, b) => (b.closed_at ?? '').localeCompare(a.closed_at ?? ''));
  const stages = Array.from({ length: LAST_STAGE }, (_, i) => i + 1);
  return {
    basis,
    by_stage: stages.map((stage) => ({
      stage, label: stageNames[stage], open: open.filter((i) => i.stage === stage).length, overdue: open.filter((i) => i.stage === stage && i.overdue).length,
    })),
    open,
    closed,
  };
}
