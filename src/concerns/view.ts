import { roleLabels, type Role } from '../agencies/schemas.js';
import { formatDate } from '../web/dates.js';
import { allowedSteps, isMet, type ConcernEvent, type ConcernState, type Deadline, type StageStart } from './machine.js';
import { identityShown, type ConcernBasis } from './policy.js';
import { categoryLabels, SEALED_TEXT, stageLabels, type ConcernView } from './schemas.js';
import type { ConcernRow, Person } from './store.js';

/** What one caller may see of one concern; pure, so every API answer and page shares it. */
export interface ViewInput {
  row: ConcernRow;
  events: ConcernEvent[];
  state: ConcernState;
  viewerId: string;
  basis: ConcernBasis;
  people: Map<string, Person>;
  now: Date;
}

const DAY_MS = 86_400_000;
const roleLabel = (r: string) => roleLabels[r as Role] ?? r;

export function concernView(v: ViewInput): ConcernView {
  const { row, state, now } = v;
  const shown = identityShown(row.sealed, v.basis);
  const raiser = shown ? v.people.get(row.raiser_id) : undefined;
  const you = row.raiser_id === v.viewerId;
  const raisedBy = raiser ? `${raiser.name}${you ? ' (you)' : ''}` : SEALED_TEXT;
  const person = (id: string | null) => {
    const p = id ? v.people.get(id) : undefined;
    return p ? { id: p.id, name: p.name, role: roleLabel(p.role) } : null;
  };
  const by = (e: { byRaiser: boolean; actorId: string | null }) =>
    e.byRaiser ? (raiser ? raisedBy : `The raiser (${SEALED_TEXT.toLowerCase()})`) : e.actorId ? (v.people.get(e.actorId)?.name ?? 'A practitioner') : 'Sightline (automatic)';
  const deadlines = state.deadlines.map((d) => {
    const met = isMet(state, d.code);
    return { code: d.code, label: d.label, due_on: d.due_on, overdue_at: d.overdue_at, met, overdue: state.open && !met && Date.parse(d.overdue_at) <= now.getTime() };
  });
  return {
    id: row.id,
    reference: `WB-${row.number}`,
    agency: { id: row.agency_id, name: row.agency_name },
    service: row.service,
    category: row.category,
    category_label: categoryLabels[row.category],
    what: row.what,
    about: person(row.subject_id),
    raised_at: row.raised_at.toISOString(),
    raised_by: raisedBy,
    raiser: raiser ? { id: raiser.id, name: raiser.name, role: roleLabel(raiser.role), agency: raiser.agency } : null,
    identity_sealed: row.sealed,
    raised_by_you: you,
    status: state.open ? 'open' : 'closed',
    stage: state.stage,
    stage_label: stageLabels[state.stage],
    stage_since: state.stageSince.toISOString(),
    age_days: Math.max(0, Math.floor((now.getTime() - row.raised_at.getTime()) / DAY_MS)),
    accountable: state.accountable.map(person).filter((p) => p !== null),
    deadlines,
    overdue: deadlines.some((d) => d.overdue),
    resolution: state.closed ? { text: state.closed.resolution, at: state.closed.at.toISOString(), by: by(state.closed), stage: state.closed.stage } : null,
    trail: v.events.map((e) => ({ seq: e.seq, type: e.type, at: e.at.toISOString(), by: by(e), text: eventText(e, v.people) })),
    actions: allowedSteps(state, { id: v.viewerId, isRaiser: you, isSubject: row.subject_id === v.viewerId }),
  };
}

/** Everyone a concern's view names, so one query fetches them all. */
export function namedIn(row: ConcernRow, events: ConcernEvent[]): string[] {
  const ids = [row.raiser_id, row.subject_id, row.head_id, ...events.map((e) => e.actorId)];
  for (const e of events) if (e.type === 'raised' || e.type === 'escalated') ids.push(...e.data.accountable);
  return ids.filter((x): x is string => !!x);
}

/** One line of the trail, in words; it names accountable people, never the raiser. */
export function eventText(e: ConcernEvent, people: Map<string, Person>): string {
  switch (e.type) {
    case 'raised':
      return `Raised. ${stageText(e.data, people)}`;
    case 'acknowledged':
      return e.data.note ? `Acknowledged: ${e.data.note}` : 'Acknowledged.';
    case 'action_plan':
      return `Action plan: ${e.data.plan}`;
    case 'update':
      return e.data.text;
    case 'escalated': {
      const why = e.data.automatic
        ? `automatically: ${missedText(e.data.missed, e.data.from)}`
        : `because: ${e.data.reason ?? ''}`;
      return `Escalated ${why} ${stageText(e.data, people)}`;
    }
    case 'closed':
      return `Closed. Resolution: ${e.data.resolution}`;
  }
}

function missedText(code: string | undefined, from: StageStart['stage']): string {
  const what = code === 'WB1' ? 'acknowledgement' : 'action plan';
  return `the ${what} due from the ${stageLabels[from].toLowerCase()} was not given in time.`;
}

/** Where a stage started: with whom, by when, and which stages were passed over. */
export function stageText(d: StageStart, people: Map<string, Person>): string {
  const who = d.accountable.map((id) => people.get(id)?.name ?? 'a practitioner').join(', ');
  const skipped = d.skipped?.length ? ` Passed over (nobody else to answer there): ${d.skipped.map((s) => stageLabels[s].toLowerCase()).join(', ')}.` : '';
  return `Now with the ${stageLabels[d.stage].toLowerCase()}${who ? ` (${who})` : ' (nobody holds this role yet)'}.${skipped}${deadlineText(d.deadlines)}`;
}

export function deadlineText(ds: Deadline[]): string {
  const byCode = (c: string) => ds.find((d) => d.code === c);
  const ack = byCode('WB1');
  const plan = byCode('WB2');
  return `${ack ? ` Acknowledgement due by ${formatDate(ack.due_on)}.` : ''}${plan ? ` Action plan due by ${formatDate(plan.due_on)}.` : ''}`;
}
