import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { notify } from '../notifications/store.js';
import { formatDate } from '../web/dates.js';
import type { ConcernEvent, ConcernState, Deadline } from './machine.js';
import { categoryLabels, stageLabels } from './schemas.js';
import type { ConcernRow, Person } from './store.js';
import { deadlineText, eventText } from './view.js';

/**
 * Notices about a concern, written in the transaction of the step they report. They name the
 * accountable people and say what happened, but never the raiser: a notice is read on the home page,
 * outside the concern's own view, and a sealed identity must not leak there.
 */

/** Who is told of a step: the raiser and everyone accountable so far, but not whoever took it. */
export function toldOf(row: ConcernRow, state: ConcernState, e: Pick<ConcernEvent, 'actorId' | 'byRaiser' | 'type'>): string[] {
  const actor = e.byRaiser ? row.raiser_id : e.actorId;
  const everyone = e.type === 'raised' ? state.accountable : [row.raiser_id, ...state.everAccountable];
  return [...new Set(everyone)].filter((id) => id !== actor);
}

export async function tellStep(tx: Transaction<DB>, row: ConcernRow, state: ConcernState, e: ConcernEvent, people: Map<string, Person>): Promise<void> {
  const ref = `WB-${row.number}`;
  const who = e.byRaiser ? 'The raiser' : e.actorId ? (people.get(e.actorId)?.name ?? 'A practitioner') : 'Sightline';
  const text = noticeText(e, ref, who, people);
  await notify(tx, await activeAmong(tx, toldOf(row, state, e)), { kind: `concern_${e.type}`, childId: null, title: text.title, body: `${where(row)}: ${text.body} Open /concerns/${row.id} to see its trail.`, at: e.at });
}

/** At the last stage a missed deadline cannot escalate: the chair and the raiser are told instead. */
export async function tellOverdue(tx: Transaction<DB>, row: ConcernRow, state: ConcernState, d: Deadline, at: Date): Promise<void> {
  const what = d.code === 'WB1' ? 'acknowledgement' : 'action plan';
  await notify(tx, await activeAmong(tx, [...new Set([...state.accountable, row.raiser_id])]), {
    kind: 'concern_overdue',
    childId: null,
    title: `WB-${row.number}: ${what} overdue at the ${stageLabels[state.stage].toLowerCase()}`,
    body: `${where(row)}: the ${what} was due by ${formatDate(d.due_on)} and has not been given. Open /concerns/${row.id} to see its trail.`,
    at,
  });
}

const where = (row: ConcernRow) => `Concern WB-${row.number} about ${row.agency_name}${row.service ? ` (${row.service})` : ''}, ${categoryLabels[row.category].toLowerCase()}`;

function noticeText(e: ConcernEvent, ref: string, who: string, people: Map<string, Person>): { title: string; body: string } {
  switch (e.type) {
    case 'raised':
      return { title: `${ref}: a concern about a service for you to answer`, body: `raised with you as the ${stageLabels[e.data.stage].toLowerCase()}.${deadlineText(e.data.deadlines)}` };
    case 'escalated':
      return { title: `${ref} escalated to the ${stageLabels[e.data.stage].toLowerCase()}`, body: eventText(e, people) };
    case 'acknowledged':
      return { title: `${ref} acknowledged`, body: `${who} acknowledged it.` };
    case 'action_plan':
      return { title: `${ref}: action plan given`, body: `${who} gave an action plan: ${e.data.plan}` };
    case 'update':
      return { title: `${ref}: an update`, body: `${who} added an update: ${e.data.text}` };
    case 'closed':
      return { title: `${ref} closed`, body: `${who} closed it. Resolution: ${e.data.resolution}` };
  }
}

/** Practitioners who have left are not told. */
async function activeAmong(tx: Transaction<DB>, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const r = await sql<{ id: string }>`SELECT id FROM practitioners WHERE active AND id = ANY(${ids}::uuid[]) ORDER BY id`.execute(tx);
  return r.rows.map((x) => x.id);
}
