import { roleLabels, type Role } from '../agencies/schemas.js';
import { factsOf } from './entry-form.js';
import { entryKindLabels, type EntryKind } from './kinds.js';
import type { EntryView } from './view.js';
import { stepFacts, stepLabelOf } from '../process/step-text.js';
import { decisionEntryFacts, decisionEntryLabel } from '../decisions/entry-text.js';
import { checkEntryFacts } from '../unscheduled-care/schemas.js';
import { alertEntryFacts, alertEntryLabel } from '../signals/alert-text.js';

/** One item of the chronology as the child's page shows it. */
export interface TimelineItem {
  entry: EntryView;
  label: string;
  byline: string;
  facts: string[];
  /** `correction`: the latest word, correcting the entry shown below it. `corrected`: kept visible, but superseded. */
  state: 'entry' | 'correction' | 'corrected';
  /** False for kinds corrected by their own later steps (process steps, decisions, disagreements), not by the generic form. */
  correctable: boolean;
}

/** Kinds with their own label and facts, written by their own capability's steps. */
const ownText: Record<string, { label: (d: Record<string, unknown>) => string; facts: (d: Record<string, unknown>) => string[] }> = {
  process_step: { label: stepLabelOf, facts: stepFacts },
  decision: { label: (d) => decisionEntryLabel('decision', d), facts: (d) => decisionEntryFacts('decision', d) },
  disagreement: { label: (d) => decisionEntryLabel('disagreement', d), facts: (d) => decisionEntryFacts('disagreement', d) },
  unscheduled_care_check: { label: () => 'Unscheduled-care check', facts: checkEntryFacts },
  alert: { label: alertEntryLabel, facts: alertEntryFacts },
};

export const authorLine = (a: EntryView['author']) =>
  `${a.name} (${a.role === 'agency_system' ? 'Agency system' : roleLabels[a.role as Role] ?? a.role}${a.agency_name ? `, ${a.agency_name}` : ''})`;

/**
 * The chronology with each correction beside what it corrects: an entry and all its corrections form
 * one group, newest version first, placed where the newest version falls in time.
 */
export function timeline(entries: EntryView[]): TimelineItem[] {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const rootOf = (e: EntryView) => {
    let r = e;
    for (let hops = 0; r.supersedes_id && byId.has(r.supersedes_id) && hops < 1000; hops++) r = byId.get(r.supersedes_id)!;
    return r.id;
  };
  const groups = new Map<string, EntryView[]>();
  for (const e of entries) groups.set(rootOf(e), [...(groups.get(rootOf(e)) ?? []), e]);
  const ordered = [...groups.values()].map((g) => g.sort((a, b) => b.seq - a.seq));
  ordered.sort((a, b) => b[0].occurred_at.localeCompare(a[0].occurred_at) || b[0].seq - a[0].seq);
  return ordered.flat().map((e) => {
    const own = ownText[e.kind];
    return {
      entry: e,
      label: own ? own.label(e.data) : entryKindLabels[e.kind as EntryKind] ?? e.kind,
      byline: authorLine(e.author),
      facts: own ? own.facts(e.data) : factsOf(e.kind, e.data),
      state: e.superseded_by ? 'corrected' : e.supersedes_id ? 'correction' : 'entry',
      correctable: !own,
    };
  });
}
