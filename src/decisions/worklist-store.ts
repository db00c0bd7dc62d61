import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { openedAs } from '../person-index/group.js';
import { writeAudit } from '../access/store.js';

/** The child's current legal name, for lists that span many children (as the deadlines list names them). */
export const childNameSql = (column: string) => sql<string>`coalesce((SELECT n.given_name || ' ' || n.family_name FROM person_names n
  WHERE n.person_id = ${sql.ref(column)} AND n.name_type = 'legal' ORDER BY n.valid_to DESC NULLS FIRST, n.recorded_at DESC LIMIT 1), 'Name not recorded')`;

export type Part = 'raiser' | 'respondent' | 'responder' | 'told';

export interface WorklistRow {
  id: string;
  child_id: string;
  /** The child whose page shows it: the survivor, when the disagreement's record is merged into another. */
  open_as: string;
  child_name: string;
  stage: number;
  status: 'awaiting_response' | 'awaiting_raiser';
  urgent: boolean;
  opened_at: Date;
  due_at: Date | null;
  overdue: boolean;
  raiser_name: string;
  respondent_name: string;
  /** What the practitioner is in it now: raised it, is it with them, answers at this stage, or is told. */
  parts: Part[];
}

/**
 * Open disagreements the practitioner takes part in now (disagreement_parties, rewritten at every
 * change): overdue first, then the soonest due, those waiting for the raiser last. Names and dates
 * only (the matter is read on the child's record, through the door); the listing is audited as one
 * row naming every child it showed.
 */
export async function myDisagreements(db: Kysely<DB>, me: { id: string }, now: Date): Promise<WorklistRow[]> {
  return db.transaction().execute(async (tx) => {
    const rows = await sql<WorklistRow>`
      SELECT d.id, d.child_id, d.open_as, ${childNameSql('d.open_as')} AS child_name, d.stage, d.status, d.urgent, d.opened_at,
        CASE WHEN d.status = 'awaiting_response' THEN d.stage_due_at END AS due_at,
        (d.status = 'awaiting_response' AND d.stage_due_at <= ${now}) AS overdue,
        r.display_name AS raiser_name, o.display_name AS respondent_name,
        array(SELECT dp.part FROM disagreement_parties dp WHERE dp.disagreement_id = d.id AND dp.practitioner_id = ${me.id} ORDER BY dp.part) AS parts
      FROM (SELECT x.*, ${openedAs('x.child_id')} AS open_as FROM disagreements x WHERE x.status <> 'closed') d
      JOIN practitioners r ON r.id = d.raiser_id
      JOIN practitioners o ON o.id = d.respondent_id
      WHERE d.status <> 'closed' AND EXISTS (SELECT 1 FROM disagreement_parties dp WHERE dp.disagreement_id = d.id AND dp.practitioner_id = ${me.id})
      ORDER BY (d.status = 'awaiting_response' AND d.stage_due_at <= ${now}) DESC, (d.status = 'awaiting_raiser'), d.stage_due_at NULLS LAST, d.opened_at, d.id`.execute(tx);
    await writeAudit(tx, {
      actorPractitionerId: me.id, actorTokenId: null, childId: null, action: 'list_disagreements_mine', basis: 'disagreement_party',
      detail: { children: [...new Set(rows.rows.flatMap((r) => [r.child_id, r.open_as]))], disagreements: rows.rows.map((r) => r.id) },
    });
    return rows.rows;
  });
}
