import type { Actor } from './actor.js';
import { actorKey } from './actor.js';
import type { Access, ChildDoor } from './door.js';
import type { Kysely, Transaction } from 'kysely';
import { mergedIntoThis } from '../person-index/group.js';
import type { DB } from '../db/schema.js';
import { fingerprint, once, type Stored } from '../db/idempotency.js';
import { conflict, forbidden, invalid, notFound } from '../errors.js';
import { relationshipRefusal, type AllocationInput, type GroupMemberInput } from './relationships-schemas.js';
import {
  allocationsOf, endAllocations, endGroupMember, groupMembersOf, insertAllocation, insertGroupMember, lockChildRelationships,
  practitionerFacts, storedResponse, type AllocationView, type GroupMemberView,
} from './relationships-store.js';

export interface Allocations {
  current: AllocationView | null;
  history: AllocationView[];
  /** The current allocations of records merged into the child: they still reach the child, and are ended from here. */
  merged: AllocationView[];
}
export interface GroupMembers {
  current: GroupMemberView[];
  past: GroupMemberView[];
}

/** How `endOne` finds, ends and audits one kind of dated relationship. */
interface Ending<V> {
  missing: string;
  ended: string;
  read: (tx: Transaction<DB>, records: string[], id: string) => Promise<V | undefined>;
  end: (tx: Transaction<DB>, id: string, me: string, at: Date) => Promise<unknown>;
  audit: (found: V) => Record<string, unknown>;
}

/**
 * Allocations and core-group / strategy-discussion membership: the relationships that let a
 * practitioner reach a child. Each change passes through the door (access check and audit row in
 * the same transaction) and is kept as dated history (valid_from/valid_to, recorded_by/ended_by);
 * no chronology entry is written for it.
 */
export class RelationshipService {
  constructor(
    private readonly door: ChildDoor,
    private readonly db: Kysely<DB>,
  ) {}

  allocations(actor: Actor, childId: string): Promise<Allocations> {
    refuseTokens(actor);
    return this.door.read(actor, childId, 'read_allocations', async (a) => {
      const history = await allocationsOf(a.tx, childId);
      const [current] = await allocationsOf(a.tx, childId, { currentAt: a.now });
      const others = await mergedIntoThis(a.tx, childId);
      return { current: current ?? null, history, merged: others.length ? await allocationsOf(a.tx, others, { currentAt: a.now }) : [] };
    });
  }

  /**
   * Ends one current allocation: the child's own, or one of a record merged into the child (which
   * otherwise could not be ended while merged). The audit row names the child whose door it went
   * through, with `merged_record_id` for a merged record's.
   */
  endAllocationById(actor: Actor, childId: string, allocationId: string): Promise<AllocationView> {
    refuseTokens(actor);
    return this.endOne(actor, childId, 'allocation_ended', allocationId, {
      missing: 'The allocation', ended: 'This allocation has already ended.',
      read: async (tx, records, id) => (await allocationsOf(tx, records, { id }))[0],
      end: (tx, id, me, at) => endAllocations(tx, [id], me, at),
      audit: (found) => ({ ended: [found.id] }),
    });
  }

  /** Allocates the child to a worker and team, ending the allocation before it. */
  async allocate(actor: Actor, childId: string, input: AllocationInput, key?: string): Promise<Stored<AllocationView>> {
    refuseTokens(actor);
    const request = { op: 'allocate', childId, input };
    const replay = await this.replay<AllocationView>(actor, key, request);
    if (replay) return replay;
    return this.door.write(actor, childId, 'allocation_changed', async (a) => {
      const me = await this.mayManage(a);
      const res = await once(a.tx, actorKey(actor), key, request, async () => {
        const worker = await practitionerFacts(a.tx, input.practitioner_id);
        if (!worker || !worker.active || worker.agency_id !== actor.agencyId) {
          throw invalid('Choose an active worker in your own local authority', [{ path: 'practitioner_id', message: 'Choose an active worker in your own local authority' }]);
        }
        const teamId = input.team_id ?? worker.team_id;
        const team = teamId ? await a.tx.selectFrom('teams').select('agency_id').where('id', '=', teamId).executeTakeFirst() : undefined;
        if (!teamId || team?.agency_id !== worker.agency_id) {
          throw invalid('Choose a team in your own local authority', [{ path: 'team_id', message: 'Choose a team in your own local authority' }]);
        }
        const current = await allocationsOf(a.tx, childId, { currentAt: a.now });
        if (current.length === 1 && current[0].practitioner_id === worker.id && current[0].team_id === teamId) {
          throw conflict('The child is already allocated to this worker and team.');
        }
        await endAllocations(a.tx, current.map((c) => c.id), me, a.now);
        const id = await insertAllocation(a.tx, { childId, practitionerId: worker.id, teamId, by: me, from: a.now });
        a.audit = { ended: current.map((c) => c.id) };
        const [view] = await allocationsOf(a.tx, childId, { id });
        return { status: 201, body: view };
      });
      a.audit = { ...a.audit, allocation_id: res.body.id, practitioner_id: res.body.practitioner_id, team_id: res.body.team_id, replayed: res.replayed };
      return res;
    });
  }

  /** Ends the current allocation, leaving the child unallocated. */
  endAllocation(actor: Actor, childId: string): Promise<AllocationView> {
    refuseTokens(actor);
    return this.door.write(actor, childId, 'allocation_ended', async (a) => {
      const me = await this.mayManage(a);
      const current = await allocationsOf(a.tx, childId, { currentAt: a.now });
      if (!current.length) throw conflict('This child has no current allocation to end.');
      await endAllocations(a.tx, current.map((c) => c.id), me, a.now);
      a.audit = { ended: current.map((c) => c.id) };
      const [view] = await allocationsOf(a.tx, childId, { id: current[0].id });
      return view;
    });
  }

  /** The child's group members, and those of any record merged into the child (each names its record in `child_id`). */
  groupMembers(actor: Actor, childId: string): Promise<GroupMembers> {
    refuseTokens(actor);
    return this.door.read(actor, childId, 'read_group_members', async (a) => {
      const records = [childId, ...(await mergedIntoThis(a.tx, childId))];
      const all = await groupMembersOf(a.tx, records);
      const currentIds = new Set((await groupMembersOf(a.tx, records, { currentAt: a.now })).map((m) => m.id));
      return { current: all.filter((m) => currentIds.has(m.id)), past: all.filter((m) => !currentIds.has(m.id)) };
    });
  }

  async addGroupMember(actor: Actor, childId: string, input: GroupMemberInput, key?: string): Promise<Stored<GroupMemberView>> {
    refuseTokens(actor);
    const request = { op: 'add_group_member', childId, input };
    const replay = await this.replay<GroupMemberView>(actor, key, request);
    if (replay) return replay;
    return this.door.write(actor, childId, 'group_member_added', async (a) => {
      const me = await this.mayManage(a);
      const res = await once(a.tx, actorKey(actor), key, request, async () => {
        const member = await practitionerFacts(a.tx, input.practitioner_id);
        if (!member || !member.active) {
          throw invalid('Choose a practitioner with an active account', [{ path: 'practitioner_id', message: 'Choose a practitioner with an active account' }]);
        }
        const already = await groupMembersOf(a.tx, childId, { currentAt: a.now, practitionerId: member.id, groupKind: input.group_kind });
        if (already.length) throw conflict('This practitioner is already a member of that group for this child.');
        const id = await insertGroupMember(a.tx, { childId, practitionerId: member.id, groupKind: input.group_kind, by: me, from: a.now });
        const [view] = await groupMembersOf(a.tx, childId, { id });
        return { status: 201, body: view };
      });
      a.audit = { group_member_id: res.body.id, practitioner_id: res.body.practitioner_id, group_kind: res.body.group_kind, replayed: res.replayed };
      return res;
    });
  }

  /**
   * Ends a membership of the child's, or of a record merged into the child: the audit row names the
   * child whose door it went through (the survivor), with `merged_record_id` for a merged record's.
   */
  removeGroupMember(actor: Actor, childId: string, memberId: string): Promise<GroupMemberView> {
    refuseTokens(actor);
    return this.endOne(actor, childId, 'group_member_removed', memberId, {
      missing: 'The group membership', ended: 'This membership has already ended.',
      read: async (tx, records, id) => (await groupMembersOf(tx, records, { id }))[0],
      end: (tx, id, me, at) => endGroupMember(tx, id, me, at),
      audit: (m) => ({ group_member_id: m.id, practitioner_id: m.practitioner_id, group_kind: m.group_kind }),
    });
  }

  /** Ends one dated relationship found on the child's record or on a record merged into the child, through the child's door. */
  private endOne<V extends { id: string; child_id: string; valid_to: string | null }>(actor: Actor, childId: string, action: string, id: string, how: Ending<V>): Promise<V> {
    return this.door.write(actor, childId, action, async (a) => {
      const me = await this.mayManage(a);
      const records = [childId, ...(await mergedIntoThis(a.tx, childId))];
      const found = await how.read(a.tx, records, id);
      if (!found) throw notFound(how.missing);
      if (found.valid_to && new Date(found.valid_to) <= a.now) throw conflict(how.ended);
      await how.end(a.tx, id, me, a.now);
      a.audit = { ...how.audit(found), ...(found.child_id === childId.toLowerCase() ? {} : { merged_record_id: found.child_id }) };
      return (await how.read(a.tx, records, id))!;
    });
  }

  /**
   * A retry of a change already made answers with the first response before the door is asked
   * again: allocating a child to another team often ends the manager's own access, and the retry
   * must not turn into a 404. It reveals only what the first response already told this caller.
   * A different request under the same key goes on to the door, where `once` refuses it.
   */
  private async replay<T>(actor: Actor, key: string | undefined, request: unknown): Promise<Stored<T> | undefined> {
    if (!key) return undefined;
    const prior = await storedResponse(this.db, actorKey(actor), key);
    if (!prior || prior.fingerprint !== fingerprint(request)) return undefined;
    return { status: prior.status_code, body: prior.response as T, replayed: true };
  }

  /** Inside the door: checks the caller may decide, then holds the child's relationship lock. Returns their id. */
  private async mayManage(a: Access): Promise<string> {
    const agency = await a.tx.selectFrom('agencies').select('kind').where('id', '=', a.actor.agencyId).executeTakeFirst();
    const refusal = relationshipRefusal(a.actor, agency?.kind, a.basis);
    if (refusal) throw forbidden(refusal);
    await lockChildRelationships(a.tx, a.childId);
    return a.actor.id;
  }
}

function refuseTokens(actor: Actor): asserts actor is Extract<Actor, { type: 'practitioner' }> {
  if (actor.type !== 'practitioner') throw forbidden('Agency systems cannot see or change who works with a child.');
}
