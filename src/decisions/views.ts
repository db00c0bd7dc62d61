import type { Disagreement } from './disagreement.js';
import type { StageParties } from './ladder.js';
import { stageNames } from './schemas.js';

/** A disagreement as the API and pages show it: where it stands, by when, and its whole trail. */
export function disagreementView(d: Disagreement, now: Date, parties?: StageParties) {
  const due = d.deadline ? new Date(d.deadline.escalates_at) : null;
  return {
    id: d.id,
    raiser_id: d.raiserId,
    respondent_id: d.respondentId,
    matter: d.matter,
    urgent: d.urgent,
    decision_id: d.decisionId,
    stage: d.stage,
    stage_name: stageNames[d.stage],
    status: d.status,
    opened_at: d.openedAt.toISOString(),
    stage_since: d.stageSince.toISOString(),
    deadline: d.status === 'awaiting_response' ? d.deadline : null,
    overdue: d.status === 'awaiting_response' && !!due && due <= now,
    outcome: d.outcome,
    closed_at: d.closedAt?.toISOString() ?? null,
    answering_now: parties?.respond ?? null,
    trail: d.trail.map((t) => ({ entry_id: t.entryId, at: t.at.toISOString(), by: t.by, by_id: t.byId, action: t.action, stage: t.stage, text: t.text })),
  };
}
export type DisagreementView = ReturnType<typeof disagreementView>;
