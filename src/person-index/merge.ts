import { sql, type Kysely, type Transaction } from 'kysely';
import type { Actor } from '../access/actor.js';
import { actorKey } from '../access/actor.js';
import type { ChildDoor } from '../access/door.js';
import { once, type Stored } from '../db/idempotency.js';
import type { DB } from '../db/schema.js';
import { conflict, forbidden, notFound } from '../errors.js';
import { mergedIntoThis } from './group.js';
import { submitterOf } from './linking.js';
import { mergerRoles } from './reviewers.js';
import { mergeInput, unmergeInput } from './schemas.js';
import { insertEvent } from './store.js';

export interface MergeAnswer { merge_id: string; merged_id: string; into: string; at: string; action: 'merged' | 'unmerged' }

/**
 * Merging two records of one child, and undoing it. Entries are hash-chained per child, so a merge
 * moves nothing: it is an event, and while it stands the reads of the survivor include the merged
 * record (person-index/group.ts). Unmerging is another event; everything is where it was.
 */
export class MergeService {
  constructor(private readonly db: Kysely<DB>, private readonly door: ChildDoor) {}

  async merge(actor: Actor, mergedId: string, raw: unknown, key?: string): Promise<Stored<MergeAnswer>> {
    const input = mergeInput.parse(raw);
    const merger = mustMerge(actor);
    if (input.into.toLowerCase() === mergedId.toLowerCase()) throw conflict('A record cannot be merged into itself.');
    return this.db.transaction().execute(async (tx) => {
      await serialise(tx);
      const door = this.door.within(tx);
      // The key first: a replay answers as the first time, though the merged id no longer opens.
      return once(tx, actorKey(merger), key, { merge: mergedId, input }, () =>
        door.write(merger, input.into, 'merge_person', (a) => door.read(merger, mergedId, 'merge_person', async () => {
          Object.assign(a.audit, { merged_id: mergedId });
          if ((await mergedIntoThis(tx, mergedId)).length) throw conflict('Other records are merged into this one: merge the other child into it instead, or unmerge those first.');
          await mustBeAllocatedTo(tx, merger.agencyId, [mergedId, input.into]);
          const id = await insertEvent(tx, { action: 'merged', by: submitterOf(merger), reason: input.reason, personId: mergedId, otherPersonId: input.into });
          const at = new Date();
          await sql`INSERT INTO person_merges (id, merged_id, survivor_id, merged_at) VALUES (${id}, ${mergedId}, ${input.into}, ${at})`.execute(tx);
          return { status: 201, body: { merge_id: id, merged_id: mergedId, into: input.into, at: at.toISOString(), action: 'merged' as const } };
        })));
    });
  }

  async unmerge(actor: Actor, mergedId: string, raw: unknown, key?: string): Promise<Stored<MergeAnswer>> {
    const input = unmergeInput.parse(raw);
    const merger = mustMerge(actor);
    return this.db.transaction().execute(async (tx) => {
      await serialise(tx);
      return once(tx, actorKey(merger), key, { unmerge: mergedId, input }, async () => {
        const m = (await sql<{ id: string; survivor_id: string }>`SELECT id, survivor_id FROM person_merges WHERE merged_id = ${mergedId} AND unmerged_at IS NULL`.execute(tx)).rows[0];
        if (!m) throw notFound('A merge of that record');
        return this.door.within(tx).write(merger, m.survivor_id, 'unmerge_person', async (a) => {
          Object.assign(a.audit, { merged_id: mergedId });
          await mustBeAllocatedTo(tx, merger.agencyId, [mergedId, m.survivor_id]);
          const id = await insertEvent(tx, { action: 'unmerged', by: submitterOf(merger), reason: input.reason, personId: mergedId, otherPersonId: m.survivor_id, detail: { merge_id: m.id } });
          const at = new Date();
          await sql`UPDATE person_merges SET unmerged_at = ${at}, unmerge_event_id = ${id} WHERE id = ${m.id}`.execute(tx);
          return { status: 201, body: { merge_id: m.id, merged_id: mergedId, into: m.survivor_id, at: at.toISOString(), action: 'unmerged' as const } };
        });
      });
    });
  }
}

function mustMerge(actor: Actor) {
  if (actor.type !== 'practitioner' || !mergerRoles.includes(actor.role)) throw forbidden('Records are merged and unmerged by team managers and heads of service of the local authority the child is allocated to.');
  return actor;
}

/** One merge or unmerge at a time: two crossing merges (A into B, B into A) must not both pass the checks. */
const serialise = (tx: Transaction<DB>) => sql`SELECT pg_advisory_xact_lock(hashtext('person_merges'))`.execute(tx);

/** The caller's local authority holds a current allocation of one of the two children. */
async function mustBeAllocatedTo(tx: Transaction<DB>, agencyId: string, children: string[]): Promise<void> {
  const r = await sql`SELECT 1 FROM allocations al JOIN teams t ON t.id = al.team_id
    WHERE al.child_id = ANY(${children}::uuid[]) AND t.agency_id = ${agencyId} AND al.valid_from <= now() AND (al.valid_to IS NULL OR al.valid_to > now()) LIMIT 1`.execute(tx);
  if (!r.rows.length) throw forbidden('Only managers of the local authority the child is allocated to may merge or unmerge the records.');
}
