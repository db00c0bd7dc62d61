import type { EntryRow } from './store.js';

/** A decision folded from its `decision` entries: made once, never edited; positions and supersession added later. */
export interface Participant { practitioner_id?: string; name: string; role?: string; agency?: string; position: 'agree' | 'dissent'; reason?: string; stated_at?: string }

export interface Decision {
  id: string;
  at: string;
  question: string;
  options: string[];
  outcome: string;
  rationale: string;
  maker: { id: string | null; name: string; role: string; agency_id: string };
  participants: Participant[];
  supersedes_id: string | null;
  supersede_reason: string | null;
  superseded_by: string | null;
  process_step_id: string | null;
  disputed: boolean;
}

export function foldDecisions(rows: EntryRow[], disputed: Set<string>): Decision[] {
  const byId = new Map<string, Decision>();
  for (const r of rows) {
    const x = r.data;
    if (x.action === 'made') {
      byId.set(r.id, {
        id: r.id, at: r.occurred_at.toISOString(), question: String(x.question), options: (x.options as string[]) ?? [], outcome: String(x.outcome),
        rationale: String(x.rationale), maker: { id: r.author_id, name: r.author_name, role: r.author_role, agency_id: r.author_agency_id },
        participants: (x.participants as Participant[]) ?? [], supersedes_id: (x.supersedes_id as string) ?? null, supersede_reason: (x.supersede_reason as string) ?? null,
        superseded_by: null, process_step_id: (x.process_step_id as string) ?? null, disputed: disputed.has(r.id),
      });
      const earlier = x.supersedes_id ? byId.get(String(x.supersedes_id)) : undefined;
      if (earlier) earlier.superseded_by = r.id;
    }
    if (x.action === 'position') {
      const d = byId.get(String(x.decision_id));
      const p = d?.participants.find((q) => q.practitioner_id === r.author_id);
      if (p) Object.assign(p, { position: x.position, reason: x.reason ?? undefined, stated_at: r.occurred_at.toISOString() });
    }
  }
  return [...byId.values()];
}
