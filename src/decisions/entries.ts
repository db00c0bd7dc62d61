import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import type { Sealer, StoredLink } from '../record/chain.js';
import { appendEntries } from '../record/store.js';

/** Who an entry of this capability is by: a signed-in practitioner, or Sightline acting on a deadline. */
export type Author = Extract<Actor, { type: 'practitioner' }> | { type: 'system'; agencyId: string };

/** One `decision` or `disagreement` entry in the child's chronology, in the caller's transaction. */
export async function appendOne(tx: Transaction<DB>, sealer: Sealer, childId: string, kind: 'decision' | 'disagreement', by: Author, at: Date, narrative: string, data: object): Promise<StoredLink> {
  const practitioner = by.type === 'practitioner';
  const [row] = await appendEntries(tx, sealer, [{
    child_id: childId, kind, occurred_at: at,
    author_id: practitioner ? by.id : null,
    author_name: practitioner ? by.name : 'Sightline (automatic escalation)',
    author_role: practitioner ? by.role : 'system',
    author_agency_id: by.agencyId, via_token_id: null, concerns: [], narrative, data: data as Record<string, unknown>,
    supersedes_id: null, correction_reason: null,
  }]);
  return row;
}
