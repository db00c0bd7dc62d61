import type { Kysely } from 'kysely';
import type { Actor } from '../access/actor.js';
import { strongest, type Found } from '../access/policy.js';
import { relationshipsOf, writeAudit } from '../access/store.js';
import type { DB } from '../db/schema.js';
import { ukDate } from './history.js';
import { findChildren, personViews } from './read-store.js';
import { searchInput, type SearchInput } from './schemas.js';

export interface SearchResult {
  child_id: string;
  /** False: the caller has no relationship with the child; they learn only that the record exists. */
  accessible: boolean;
  name: string | null;
  date_of_birth: string | null;
  basis?: string;
}

/** Enough to find one child, never to browse: beyond this, refine the search. */
const MAX_RESULTS = 50;

/**
 * Finds children by exact identifiers. A caller with a relationship sees the match; anyone else
 * learns only that a record exists with the name and date of birth they typed themselves (so they
 * can make a referral or use emergency access). Every match is audited in the same transaction.
 */
export async function searchChildren(db: Kysely<DB>, actor: Actor, raw: unknown, now: Date): Promise<{ results: SearchResult[] }> {
  const s = searchInput.parse(raw);
  return db.transaction().execute(async (tx) => {
    const ids = await findChildren(tx, s, MAX_RESULTS);
    const reach = new Map<string, Found | undefined>();
    for (const id of ids) {
      reach.set(id, actor.type === 'practitioner' ? strongest(await relationshipsOf(tx, actor.id, id, now)) : undefined);
    }
    const views = await personViews(tx, ids.filter((id) => reach.get(id)), ukDate(now));
    const results = ids.map((id): SearchResult => {
      const view = views.get(id);
      if (!view) return { child_id: id, ...whatTheyTyped(s), accessible: false };
      return {
        child_id: id,
        accessible: true,
        name: `${view.name.given_name} ${view.name.family_name}`,
        date_of_birth: view.date_of_birth ?? view.expected_date_of_birth,
        basis: reach.get(id)!.basis,
      };
    });
    for (const id of ids) {
      const found = reach.get(id);
      await writeAudit(tx, {
        actorPractitionerId: actor.type === 'practitioner' ? actor.id : null,
        actorTokenId: actor.type === 'token' ? actor.id : null,
        childId: id,
        action: 'search_match',
        basis: found?.basis ?? 'none',
        emergencyAccessId: found?.emergencyAccessId,
        detail: { by: Object.keys(s).filter((k) => s[k as keyof SearchInput]).sort(), matches: ids.length },
      });
    }
    return { results };
  });
}

function whatTheyTyped(s: SearchInput): Pick<SearchResult, 'name' | 'date_of_birth'> {
  const name = [s.given_name, s.family_name].filter(Boolean).join(' ');
  return { name: name || null, date_of_birth: s.date_of_birth ?? null };
}
