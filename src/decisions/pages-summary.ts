import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import { formatDateTime } from '../web/dates.js';
import type { Decision } from './decision.js';
import type { DecisionService } from './decision-service.js';
import type { DisagreementService } from './disagreement-service.js';
import { stageParties } from './ladder.js';
import { outcomeWords } from './oversight.js';
import { deadlineText, labelOf, practitionerLabels, roleLabel, type Named } from './pages-names.js';
import type { DisagreementView } from './views.js';

/** What the child's page needs to show decisions and disagreements. */
export interface DecisionSummaryDeps {
  db: Kysely<DB>;
  decisions: Pick<DecisionService, 'list'>;
  disagreements: Pick<DisagreementService, 'list'>;
}

/**
 * The "Decisions and disagreements" section of the child's page, read through DecisionService.list
 * and DisagreementService.list (the door checks and audits both): decisions newest first, open
 * disagreements first (overdue, then soonest due), then closed ones with their outcome.
 */
export async function decisionsSummary(deps: DecisionSummaryDeps, actor: Actor & { type: 'practitioner' }, childId: string, mergedLabels: Map<string, string> = new Map()) {
  const decisions = await deps.decisions.list(actor, childId);
  const all = await deps.disagreements.list(actor, childId);
  const open = all.filter((d) => d.status !== 'closed').sort(byUrgency);
  const answering = await whoAnswers(deps.db, open);
  const names = await practitionerLabels(deps.db, [...decisions.map((d) => d.maker.id), ...all.flatMap((d) => [d.raiser_id, d.respondent_id]), ...[...answering.values()].flat()]);
  const base = `/children/${childId}`;
  return {
    newDecisionHref: `${base}/decisions/new`,
    newDisagreementHref: `${base}/disagreements/new`,
    decisions: decisions.map((d) => decisionItem(d, names, actor.id, base, mergedLabels.get(d.child_id) ?? null)),
    open: open.map((d) => ({
      ...disagreementItem(d, names, base, mergedLabels),
      answering: d.status === 'awaiting_raiser'
        ? `${labelOf(names, d.raiser_id)}, who raised it, to accept the response or take it further`
        : (answering.get(d.id) ?? []).map((id) => labelOf(names, id)).join('; ') || 'No one is named at this stage',
      deadline: d.status === 'awaiting_response' ? deadlineText(d.deadline?.escalates_at, d.overdue) : null,
    })),
    closed: all.filter((d) => d.status === 'closed').reverse().map((d) => ({
      ...disagreementItem(d, names, base, mergedLabels), outcome: outcomeWords[d.outcome ?? ''] ?? d.outcome, closedAt: formatDateTime(d.closed_at),
    })),
  };
}
export type DecisionsSummary = Awaited<ReturnType<typeof decisionsSummary>>;

/** Overdue first, then the soonest due; those waiting for the raiser after them. */
const byUrgency = (a: DisagreementView, b: DisagreementView) =>
  Number(b.overdue) - Number(a.overdue) || (a.deadline?.escalates_at ?? '~').localeCompare(b.deadline?.escalates_at ?? '~') || a.opened_at.localeCompare(b.opened_at);

/** Who answers each open disagreement at its stage: the ladder reads practitioners only, never the child's record. */
async function whoAnswers(db: Kysely<DB>, open: DisagreementView[]): Promise<Map<string, string[]>> {
  const waiting = open.filter((d) => d.status === 'awaiting_response');
  if (!waiting.length) return new Map();
  return db.transaction().execute(async (tx) => {
    const out = new Map<string, string[]>();
    for (const d of waiting) out.set(d.id, (await stageParties(tx, { stage: d.stage, raiserId: d.raiser_id, respondentId: d.respondent_id })).respond);
    return out;
  });
}

/**
 * `from`: the label of the merged record the decision was made on. Its positions, replacement and
 * disagreements are still recorded from here, through this child's door, on that record's own chain.
 */
function decisionItem(d: Decision, names: Map<string, Named>, me: string, base: string, from: string | null) {
  const open = !d.superseded_by;
  return {
    id: d.id,
    from,
    at: formatDateTime(d.at),
    question: d.question,
    outcome: d.outcome,
    rationale: d.rationale,
    options: d.options,
    maker: labelOf(names, d.maker.id, `${d.maker.name} (${roleLabel(d.maker.role)})`),
    participants: d.participants.map((p) => ({
      who: `${p.name}${p.role || p.agency ? ` (${[p.role, p.agency].filter(Boolean).join(', ')})` : ''}`,
      position: p.position === 'dissent' ? 'Disagrees' : 'Agrees',
      dissent: p.position === 'dissent',
      reason: p.reason ?? null,
    })),
    disputed: d.disputed,
    supersededBy: d.superseded_by,
    supersedes: d.supersedes_id ? { id: d.supersedes_id, reason: d.supersede_reason } : null,
    replaceHref: open ? `${base}/decisions/new?supersedes=${d.id}` : null,
    positionHref: open && d.participants.some((p) => p.practitioner_id === me) ? `${base}/decisions/${d.id}/position` : null,
    disagreeHref: open && d.maker.id !== me ? `${base}/disagreements/new?decision=${d.id}` : null,
  };
}

function disagreementItem(d: DisagreementView & { child_id: string }, names: Map<string, Named>, base: string, mergedLabels: Map<string, string>) {
  return {
    id: d.id,
    from: mergedLabels.get(d.child_id) ?? null,
    href: `${base}/disagreements/${d.id}`,
    matter: d.matter,
    stage: d.stage_name,
    urgent: d.urgent,
    raiser: labelOf(names, d.raiser_id),
    respondent: labelOf(names, d.respondent_id),
    openedAt: formatDateTime(d.opened_at),
    decisionId: d.decision_id,
  };
}
