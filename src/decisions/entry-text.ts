import { formatDate, formatDateTime, londonParts } from '../web/dates.js';
import { stageNames } from './schemas.js';

/**
 * How the chronology shows `decision` and `disagreement` entries: a readable label and the few facts
 * beside the narrative. Pure; the data is what decision-service.ts and disagreement-service.ts append.
 */
type Data = Record<string, unknown>;

/**
 * When a stage's response is due, from the instant it becomes overdue: a working-day deadline runs
 * to the end of its last day (overdue from midnight), an urgent one to the minute.
 */
export function dueText(overdueAt: string | Date): string {
  const at = new Date(overdueAt);
  const p = londonParts(at);
  return p.hour === '00' && p.minute === '00' ? `the end of ${formatDate(new Date(at.getTime() - 1))}` : `${formatDateTime(at)} (UK time)`;
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v : undefined);
const stage = (n: unknown) => stageNames[Number(n)] ?? `Stage ${String(n)}`;

const disagreementLabels: Record<string, string> = {
  opened: 'Disagreement raised',
  responded: 'Disagreement: response',
  accepted: 'Disagreement resolved',
  escalated: 'Disagreement escalated',
  closed: 'Disagreement closed',
};

export function decisionEntryLabel(kind: 'decision' | 'disagreement', data: Data): string {
  if (kind === 'decision') return data.action === 'position' ? 'Position on a decision' : 'Decision';
  return disagreementLabels[String(data.action)] ?? 'Disagreement';
}

interface Person { name?: string; agency?: string; position?: string; reason?: string }

const positionLine = (p: Person) =>
  `${p.name ?? 'A participant'}${p.agency ? ` (${p.agency})` : ''}: ${p.position === 'dissent' ? `disagrees${p.reason ? `: ${p.reason}` : ''}` : 'agrees'}`;

function decisionFacts(d: Data): string[] {
  if (d.action === 'position') return [`Position: ${d.position === 'dissent' ? 'disagrees' : 'agrees'}`, ...(text(d.reason) ? [`Why: ${d.reason}`] : [])];
  const facts = [`Question: ${String(d.question)}`, `Decision: ${String(d.outcome)}`];
  const options = (d.options as string[] | undefined) ?? [];
  if (options.length) facts.push(`Options considered: ${options.join('; ')}`);
  for (const p of (d.participants as Person[] | undefined) ?? []) facts.push(positionLine(p));
  if (text(d.supersede_reason)) facts.push(`Replaces an earlier decision: ${d.supersede_reason}`);
  return facts;
}

const deadlineFact = (d: unknown) => {
  const at = (d as { escalates_at?: string } | null)?.escalates_at;
  return at ? [`Response due by ${dueText(at)}`] : [];
};

function disagreementFacts(d: Data): string[] {
  switch (d.action) {
    case 'opened': return [stage(1), ...(d.urgent ? ['Urgent: each stage runs in hours'] : []), ...deadlineFact(d.deadline)];
    case 'responded':
    case 'accepted': return [stage(d.stage)];
    case 'escalated': return [
      `From ${stage(d.from_stage).toLowerCase()} to ${stage(d.to_stage).toLowerCase()}`,
      d.why === 'no_response' ? 'Why: no response by the deadline' : `Why: response not accepted${text(d.reason) ? ` (${d.reason})` : ''}`,
      ...deadlineFact(d.deadline),
    ];
    case 'closed': return [stage(d.stage), `Outcome: ${d.outcome === 'withdrawn' ? 'withdrawn by the raiser' : 'the partnership’s decision stands'}`];
    default: return [];
  }
}

export function decisionEntryFacts(kind: 'decision' | 'disagreement', data: Data): string[] {
  return kind === 'decision' ? decisionFacts(data) : disagreementFacts(data);
}
