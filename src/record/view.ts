import type { StoredLink } from './chain.js';

/** What the API and pages show of an entry; the seal stays server-side. */
export interface EntryView {
  id: string;
  child_id: string;
  seq: number;
  kind: string;
  occurred_at: string;
  recorded_at: string;
  author: { id: string | null; name: string; role: string; agency_id: string; agency_name?: string; agency_kind?: string; via_token_id: string | null };
  concerns: string[];
  narrative: string;
  data: Record<string, unknown>;
  supersedes_id: string | null;
  correction_reason: string | null;
  superseded_by: string | null;
  hash: string;
  prev_hash: string;
}

export function toEntryView(r: StoredLink & { agency_name?: string; agency_kind?: string; superseded_by?: string | null }): EntryView {
  return {
    id: r.id,
    child_id: r.child_id,
    seq: r.seq,
    kind: r.kind,
    occurred_at: r.occurred_at.toISOString(),
    recorded_at: r.recorded_at.toISOString(),
    author: {
      id: r.author_id,
      name: r.author_name,
      role: r.author_role,
      agency_id: r.author_agency_id,
      agency_name: r.agency_name,
      agency_kind: r.agency_kind,
      via_token_id: r.via_token_id,
    },
    concerns: r.concerns,
    narrative: r.narrative,
    data: r.data as Record<string, unknown>,
    supersedes_id: r.supersedes_id,
    correction_reason: r.correction_reason,
    superseded_by: r.superseded_by ?? null,
    hash: r.hash,
    prev_hash: r.prev_hash,
  };
}
