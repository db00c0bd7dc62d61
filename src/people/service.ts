import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { actorKey } from '../access/actor.js';
import type { Access, ChildDoor } from '../access/door.js';
import { mayWriteWithoutRelationship, strongest } from '../access/policy.js';
import { relationshipsOf, writeAudit } from '../access/store.js';
import { once, type Stored } from '../db/idempotency.js';
import type { DB } from '../db/schema.js';
import { conflict, DomainError, forbidden, invalid, notFound } from '../errors.js';
import type { Sealer } from '../record/chain.js';
import { RecordService, draftFrom } from '../record/service.js';
import { appendEntries, startChain } from '../record/store.js';
import { toEntryView, type EntryView } from '../record/view.js';
import { splitHousehold, startsAfter, ukDate } from './history.js';
import { isChildOrRelatedAdult, personView, relationshipsOfChild, currentAllocation, currentGroupMembers } from './read-store.js';
import {
  addressInput, adultInput, createChildInput, endRelationshipInput, identifierInput, nameInput, newPersonInput, relationshipInput,
  type CreateChildInput, type PersonInput,
} from './schemas.js';
import { searchChildren, type SearchResult } from './search.js';
import { assertIdentifierFree, assertIdentifiersFree } from './identifiers.js';
import {
  insertAddress, insertIdentifier, insertName, insertPerson, insertRelationship, openAddresses, openLegalNames, personKind,
  relationshipRow, setRelationshipEnd,
} from './store.js';
import type { ChildSummary, HouseholdMember, PersonView } from './views.js';

export interface CreatedChild {
  child: PersonView;
  first_entry: EntryView;
}

/**
 * Told, inside the recording transaction, that people were just linked to a child (a relationship, or
 * an address: not entries, so the record's listeners do not hear of them). The red flags listen.
 */
export type LinkListener = (tx: Transaction<DB>, childId: string, personIds: string[]) => Promise<void>;

const recorder = (actor: Actor) => (actor.type === 'practitioner' ? actor.id : null);

/** A child's people data is for practitioners; agency systems see only their own agency's entries. */
function practitionersOnly(actor: Actor) {
  if (actor.type !== 'practitioner') throw forbidden('Agency systems see only their own agency’s entries, not a child’s people record.');
}

/** Validation errors from a nested part of the input, named by where they are in the whole. */
function under<T>(prefix: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof z.ZodError) throw new z.ZodError(e.issues.map((i) => ({ ...i, path: [prefix, ...i.path] })));
    if (e instanceof DomainError && e.fields) throw new DomainError(e.message, e.status, e.title, e.fields.map((f) => ({ ...f, path: `${prefix}.${f.path}` })));
    throw e;
  }
}

/** Children and adults: who they are, where they live, and who they live with. */
export class PeopleService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly door: ChildDoor,
    private readonly sealer: Sealer,
    private readonly clock: () => Date = () => new Date(),
    /** Set by `within`: creates inside this transaction (the person index creates and links in one). */
    private readonly outer?: Transaction<DB>,
    private readonly linkListeners: LinkListener[] = [],
  ) {}

  /** Runs `l` after each relationship or address is recorded, in the same transaction. */
  onLinked(l: LinkListener): void {
    this.linkListeners.push(l);
  }

  private async linked(tx: Transaction<DB>, childId: string, personIds: string[]): Promise<void> {
    for (const l of this.linkListeners) await l(tx, childId, personIds);
  }

  /** The same service inside a transaction the caller holds, like `ChildDoor.within`. */
  within(tx: Transaction<DB>): PeopleService {
    return new PeopleService(this.db, this.door, this.sealer, this.clock, tx, this.linkListeners);
  }

  private inTransaction<R>(f: (tx: Transaction<DB>) => Promise<R>): Promise<R> {
    return this.outer ? f(this.outer) : this.db.transaction().execute(f);
  }

  /**
   * A new child, their chain and the first entry in their record, in one transaction. The first entry
   * goes through the door, so its writer becomes an author and can see the child afterwards.
   */
  async createChild(actor: Actor, raw: CreateChildInput, idempotencyKey?: string): Promise<Stored<CreatedChild>> {
    const input = createChildInput.parse(raw);
    const entry = under('first_entry', () => RecordService.parse(input.first_entry));
    if (entry.supersedes_id) throw invalid('A new child’s first entry cannot correct another entry', [{ path: 'first_entry.supersedes_id', message: 'Leave this out for a new child' }]);
    if (!mayWriteWithoutRelationship(actor, entry.kind)) {
      if (actor.type === 'token') throw forbidden(`This API token may not record entries of kind "${entry.kind}".`);
      throw invalid('The first entry about a new child must be a contact or referral', [{ path: 'first_entry.kind', message: 'Choose contact or referral' }]);
    }
    return this.inTransaction((tx) =>
      once(tx, actorKey(actor), idempotencyKey, { create: 'child', input }, async () => {
        await assertIdentifiersFree(tx, input.person, 'person.');
        const childId = await insertPerson(tx, input.person, recorder(actor));
        await startChain(tx, this.sealer, childId);
        const first = await this.door.within(tx).write(actor, childId, 'create_child', async (a) => {
          const [row] = await appendEntries(a.tx, this.sealer, [draftFrom(actor, childId, entry)]);
          a.audit = { entry_id: row.id };
          return toEntryView(row);
        }, entry.kind);
        return { status: 201, body: { child: await personView(tx, childId, ukDate(this.clock())), first_entry: first } };
      }),
    );
  }

  /** An adult, to be linked to a child by a relationship. Audited, though not yet about any child. */
  async createAdult(actor: Actor, raw: z.input<typeof adultInput>, idempotencyKey?: string): Promise<Stored<PersonView>> {
    const person: PersonInput = adultInput.parse(raw);
    return this.inTransaction((tx) =>
      once(tx, actorKey(actor), idempotencyKey, { create: 'adult', person }, async () => {
        await assertIdentifiersFree(tx, person);
        const id = await insertPerson(tx, person, recorder(actor));
        await writeAudit(tx, {
          actorPractitionerId: recorder(actor),
          actorTokenId: actor.type === 'token' ? actor.id : null,
          childId: null,
          action: 'create_adult',
          basis: 'none',
          detail: { person_id: id },
        });
        return { status: 201, body: await personView(tx, id, ukDate(this.clock())) };
      }),
    );
  }

  async childSummary(actor: Actor, childId: string): Promise<ChildSummary> {
    practitionersOnly(actor);
    return this.door.read(actor, childId, 'read_summary', async (a) => {
      const today = ukDate(a.now);
      const child = await personView(a.tx, childId, today);
      const { household, relationships } = splitHousehold(await relationshipsOfChild(a.tx, childId, today), today);
      const allocation = await currentAllocation(a.tx, childId, a.now);
      const group_members = await currentGroupMembers(a.tx, childId, a.now);
      return { child, household, relationships, allocation, group_members, basis: a.basis };
    });
  }

  async household(actor: Actor, childId: string): Promise<Pick<ChildSummary, 'household' | 'relationships' | 'basis'>> {
    practitionersOnly(actor);
    return this.door.read(actor, childId, 'read_household', async (a) => {
      const today = ukDate(a.now);
      return { ...splitHousehold(await relationshipsOfChild(a.tx, childId, today), today), basis: a.basis };
    });
  }

  /** A new name. A new legal name ends the current legal name on the day it starts. */
  async addName(actor: Actor, childId: string, personId: string, raw: z.input<typeof nameInput>, idempotencyKey?: string): Promise<Stored<PersonView>> {
    const n = nameInput.parse(raw);
    return this.change(actor, childId, 'add_name', idempotencyKey, { personId, n }, async (a, today) => {
      await this.mustBeChildOrRelatedAdult(a, personId);
      const from = n.valid_from ?? (n.name_type === 'legal' ? today : null);
      const open = n.name_type === 'legal' ? await openLegalNames(a.tx, personId) : [];
      if (from && open.some((o) => !startsAfter(from, o.valid_from))) {
        throw invalid('A new legal name cannot start before the current legal name did', [{ path: 'valid_from', message: 'Must be on or after the date the current legal name started' }]);
      }
      a.audit = { person_id: personId, name_id: await insertName(a.tx, personId, { ...n, valid_from: from }, open.map((o) => o.id), recorder(actor)) };
      return personView(a.tx, personId, today);
    });
  }

  /** A new current address, which ends the previous one on the day it starts. */
  async addAddress(actor: Actor, childId: string, personId: string, raw: z.input<typeof addressInput>, idempotencyKey?: string): Promise<Stored<PersonView>> {
    const address = addressInput.parse(raw);
    return this.change(actor, childId, 'add_address', idempotencyKey, { personId, address }, async (a, today) => {
      await this.mustBeChildOrRelatedAdult(a, personId);
      const open = await openAddresses(a.tx, personId);
      if (open.some((o) => !startsAfter(address.valid_from, o.valid_from))) {
        throw invalid('A new address cannot start before the current address did', [{ path: 'valid_from', message: 'Must be on or after the date the current address started' }]);
      }
      a.audit = { person_id: personId, address_id: await insertAddress(a.tx, personId, address, open.map((o) => o.id), recorder(actor)) };
      await this.linked(a.tx, childId, [personId]);
      return personView(a.tx, personId, today);
    });
  }

  /** An NHS number (check digit validated; one per person) or an agency's local id. */
  async addIdentifier(actor: Actor, childId: string, personId: string, raw: z.input<typeof identifierInput>, idempotencyKey?: string): Promise<Stored<PersonView>> {
    const identifier = identifierInput.parse(raw);
    return this.change(actor, childId, 'add_identifier', idempotencyKey, { personId, identifier }, async (a, today) => {
      await this.mustBeChildOrRelatedAdult(a, personId);
      await assertIdentifierFree(a.tx, identifier, personId);
      a.audit = { person_id: personId, identifier_id: await insertIdentifier(a.tx, personId, identifier, recorder(actor)), scheme: identifier.scheme };
      return personView(a.tx, personId, today);
    });
  }

  /** Links a person to the child. Linking another child needs a relationship with that child too. */
  async addRelationship(actor: Actor, childId: string, raw: z.input<typeof relationshipInput>, idempotencyKey?: string): Promise<Stored<HouseholdMember>> {
    const r = relationshipInput.parse(raw);
    return this.change(actor, childId, 'add_relationship', idempotencyKey, { r }, async (a, today) => {
      const kind = r.other_person_id === childId ? undefined : await personKind(a.tx, r.other_person_id);
      const mayLink = kind === 'adult' || (kind === 'child' && !!strongest(await relationshipsOf(a.tx, a.actor.id, r.other_person_id, a.now)));
      if (!mayLink) throw invalid('That person was not found', [{ path: 'other_person_id', message: 'Choose a person recorded in Sightline whom you may see (not the child themselves)' }]);
      const id = await insertRelationship(a.tx, childId, r, recorder(actor));
      a.audit = { relationship_id: id, person_id: r.other_person_id };
      await this.linked(a.tx, childId, [r.other_person_id]);
      return (await relationshipsOfChild(a.tx, childId, today, id))[0];
    });
  }

  /** Records a new adult and links them to the child in one transaction, through the door. */
  async addNewPerson(actor: Actor, childId: string, raw: z.input<typeof newPersonInput>, idempotencyKey?: string): Promise<Stored<HouseholdMember>> {
    const { person, relationship } = newPersonInput.parse(raw);
    return this.change(actor, childId, 'add_new_person', idempotencyKey, { person, relationship }, async (a, today) => {
      await assertIdentifiersFree(a.tx, person);
      const personId = await insertPerson(a.tx, person, recorder(actor));
      const id = await insertRelationship(a.tx, childId, { ...relationship, other_person_id: personId }, recorder(actor));
      a.audit = { relationship_id: id, person_id: personId, created: true };
      await this.linked(a.tx, childId, [personId]);
      return (await relationshipsOfChild(a.tx, childId, today, id))[0];
    });
  }

  /** Ends a relationship (for a household member, the day they stopped living with the child). */
  async endRelationship(actor: Actor, childId: string, relationshipId: string, valid_to: string): Promise<HouseholdMember> {
    const end = endRelationshipInput.parse({ valid_to });
    const res = await this.change(actor, childId, 'end_relationship', undefined, {}, async (a, today) => {
      const row = await relationshipRow(a.tx, childId, relationshipId);
      if (!row) throw notFound('The relationship');
      if (row.valid_to !== null && row.valid_to <= today) throw conflict('This relationship has already ended.');
      if (end.valid_to < row.valid_from) throw invalid('A relationship cannot end before it began', [{ path: 'valid_to', message: `Must be on or after ${row.valid_from}` }]);
      await setRelationshipEnd(a.tx, relationshipId, end.valid_to);
      a.audit = { relationship_id: relationshipId };
      return (await relationshipsOfChild(a.tx, childId, today, relationshipId))[0];
    });
    return res.body;
  }

  /** Exact-identifier search; see search.ts for what a caller without a relationship is told. */
  async search(actor: Actor, raw: { given_name?: string; family_name?: string; date_of_birth?: string; nhs_number?: string }): Promise<{ results: SearchResult[] }> {
    return searchChildren(this.db, actor, raw, this.clock());
  }

  /** A change to a child's people data: through the door (audited), once per Idempotency-Key. */
  private change<T>(actor: Actor, childId: string, action: string, key: string | undefined, request: unknown, fn: (a: Access, today: string) => Promise<T>): Promise<Stored<T>> {
    practitionersOnly(actor);
    return this.door.write(actor, childId, action, async (a) => {
      const res = await once(a.tx, actorKey(actor), key, { action, childId, request }, async () => ({ status: 201, body: await fn(a, ukDate(a.now)) }));
      a.audit = { ...a.audit, replayed: res.replayed };
      return res;
    });
  }

  private async mustBeChildOrRelatedAdult(a: Access, personId: string) {
    if (!(await isChildOrRelatedAdult(a.tx, a.childId, personId))) throw notFound('The person');
  }
}
