import { conflict, forbidden } from '../errors.js';

/**
 * A professional disagreement, folded from its `disagreement` entries (spec §5). It climbs four
 * stages; each stage needs a recorded response by its deadline or it climbs by itself; it closes only
 * when the raiser accepts a response (or, at the partnership, with the partnership's decision).
 */
export const LAST_STAGE = 4;

/** The deadline a stage was given when it began, as its entry recorded it. */
export interface StageDeadline {
  code: string;
  rule_id: string | null;
  due_on: string;
  /** The instant from which the stage is overdue and escalates by itself. */
  escalates_at: string;
}

export type DisagreementData =
  | { action: 'opened'; disagreement_id: string; raiser_id: string; respondent_id: string; matter: string; urgent: boolean; decision_id: string | null; deadline: StageDeadline | null }
  | { action: 'responded'; disagreement_id: string; stage: number; response: string }
  | { action: 'accepted'; disagreement_id: string; stage: number }
  | { action: 'escalated'; disagreement_id: string; from_stage: number; to_stage: number; why: 'no_response' | 'not_accepted'; reason: string | null; deadline: StageDeadline | null }
  | { action: 'closed'; disagreement_id: string; stage: number; outcome: 'partnership_decision' | 'withdrawn'; reason: string | null };

export interface DisagreementEvent {
  entryId: string;
  at: Date;
  authorId: string | null;
  authorName: string;
  data: DisagreementData;
}

export interface Disagreement {
  id: string;
  raiserId: string;
  respondentId: string;
  matter: string;
  urgent: boolean;
  decisionId: string | null;
  stage: number;
  status: 'awaiting_response' | 'awaiting_raiser' | 'closed';
  openedAt: Date;
  stageSince: Date;
  deadline: StageDeadline | null;
  outcome: 'resolved' | 'partnership_decision' | 'withdrawn' | null;
  closedAt: Date | null;
  trail: { entryId: string; at: Date; by: string; byId: string | null; action: DisagreementData['action']; stage: number; text: string | null }[];
}

function describe(d: DisagreementData): string | null {
  switch (d.action) {
    case 'opened': return d.matter;
    case 'responded': return d.response;
    case 'escalated': return d.why === 'no_response' ? 'No response by the deadline: moved up a stage automatically.' : `Response not accepted: ${d.reason ?? ''}`.trim();
    case 'closed': return d.reason;
    default: return null;
  }
}

export function foldDisagreement(events: DisagreementEvent[]): Disagreement | undefined {
  let d: Disagreement | undefined;
  for (const ev of events) {
    const x = ev.data;
    if (x.action === 'opened') {
      d = { id: x.disagreement_id, raiserId: x.raiser_id, respondentId: x.respondent_id, matter: x.matter, urgent: x.urgent, decisionId: x.decision_id,
        stage: 1, status: 'awaiting_response', openedAt: ev.at, stageSince: ev.at, deadline: x.deadline, outcome: null, closedAt: null, trail: [] };
    }
    if (!d) continue;
    if (x.action === 'responded') d.status = 'awaiting_raiser';
    if (x.action === 'accepted') Object.assign(d, { status: 'closed', outcome: 'resolved', closedAt: ev.at, deadline: null });
    if (x.action === 'escalated') Object.assign(d, { stage: x.to_stage, status: 'awaiting_response', stageSince: ev.at, deadline: x.deadline });
    if (x.action === 'closed') Object.assign(d, { status: 'closed', outcome: x.outcome, closedAt: ev.at, deadline: null });
    d.trail.push({ entryId: ev.entryId, at: ev.at, by: ev.authorName, byId: ev.authorId, action: x.action, stage: d.stage, text: describe(x) });
  }
  return d;
}

/** Who is acting on a disagreement, as the service found them. */
export interface Actor {
  id: string | null;
  /** Answers at the current stage (the respondent at stage 1, then managers, seniors, the partnership). */
  responds: boolean;
}

/** Whether `next` may be recorded now on `d`; throws 409/403 with the reason. */
export function guardDisagreement(d: Disagreement, next: DisagreementData['action'], who: Actor, now: Date): void {
  if (d.status === 'closed') throw conflict(`This disagreement was closed (${d.outcome?.replace('_', ' ')}) and takes nothing more.`);
  const raiser = who.id === d.raiserId;
  switch (next) {
    case 'responded':
      if (!who.responds) throw forbidden(`Only those answering at stage ${d.stage} can respond.`);
      if (d.status !== 'awaiting_response') throw conflict('A response is already waiting for the raiser to accept or escalate.');
      return;
    case 'accepted':
      if (!raiser) throw forbidden('Only the practitioner who raised the disagreement can accept a response: it closes only when they do.');
      if (d.status !== 'awaiting_raiser') throw conflict('There is no response to accept yet.');
      return;
    case 'escalated':
      if (who.id === null) {
        if (d.status !== 'awaiting_response') throw conflict('The stage was answered; it does not escalate by itself.');
        if (!d.deadline || new Date(d.deadline.escalates_at) > now) throw conflict('The stage is not yet past its deadline.');
        if (d.stage >= LAST_STAGE) throw conflict('The partnership is the last stage.');
        return;
      }
      if (!raiser) throw forbidden('Only the practitioner who raised the disagreement can escalate a response they do not accept.');
      if (d.status !== 'awaiting_raiser') throw conflict('Escalate once the stage has responded, or wait: with no response by the deadline it escalates by itself.');
      return;
    case 'closed':
      if (!raiser) throw forbidden('Only the practitioner who raised the disagreement can withdraw it.');
      return;
    default:
      throw conflict('A disagreement is opened only once.');
  }
}
