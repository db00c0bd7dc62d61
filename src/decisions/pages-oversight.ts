import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import { formatDateTime } from '../web/dates.js';
import { dueText } from './entry-text.js';
import { disagreementBoard, type DisagreementBoard, type OversightItem } from './oversight.js';
import { trailOf } from './pages-disagreements.js';

const whoSees: Record<DisagreementBoard['basis'], string> = {
  partnership_chair: 'You see every disagreement, as the partnership’s independent chair.',
  auditor: 'You see every disagreement, to read only.',
  agency_oversight: 'You see the disagreements in which someone from your agency takes part.',
  disagreement_party: 'You see the disagreements you take part in.',
};

/**
 * The oversight board's "Professional disagreements" section (the page, /oversight, is the concerns
 * capability's): counts by stage, open ones overdue first with their trail, closed ones with how each
 * was resolved. Reading it is audited (oversight.ts).
 */
export async function disagreementsSection(db: Kysely<DB>, actor: Actor, now = new Date()) {
  const board = await disagreementBoard(db, actor, now);
  const card = (i: OversightItem) => ({
    id: i.id,
    childId: i.child_id,
    childName: i.child_name,
    title: `${i.raiser.name} (${i.raiser.agency}) with ${i.respondent.name} (${i.respondent.agency})`,
    matter: i.matter,
    urgent: i.urgent,
    stage: i.stage_name,
    age: `${i.age_days} ${i.age_days === 1 ? 'day' : 'days'} old; at this stage since ${formatDateTime(i.stage_since)}`,
    waitingFor: i.status === 'awaiting_raiser' ? `${i.raiser.name}, who raised it, to accept the response or take it further`
      : i.answering_now.map((p) => `${p.name} (${p.agency})`).join('; ') || 'No one is named at this stage',
    due: i.due_at ? dueText(i.due_at) : null,
    overdue: i.overdue,
    resolution: i.resolution ? { ...i.resolution, closedAt: formatDateTime(i.closed_at) } : null,
    trail: trailOf(i),
  });
  return {
    whoSees: whoSees[board.basis],
    byStage: board.by_stage,
    open: board.open.map(card),
    closed: board.closed.map(card),
    anyOverdue: board.open.some((i) => i.overdue),
  };
}
