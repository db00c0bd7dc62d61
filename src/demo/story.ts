import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Services } from '../app.js';
import type { EntryKind } from '../record/kinds.js';
import { startChain } from '../record/store.js';
import { allocate, insertPerson } from '../people/store.js';
import { endAllocations } from '../access/relationships-store.js';
import { personInput } from '../people/schemas.js';
import type { PractitionerActor } from './practitioners.js';

/** Helpers the demo families share: people are made in one transaction, entries go through the record's one door. */

export interface Entry {
  kind: EntryKind;
  /** ISO instant, from `day()` in ./time.ts. */
  at: string;
  narrative: string;
  data?: Record<string, unknown>;
  concerns?: string[];
}

/**
 * Writes one entry as the practitioner who made it, through RecordService (so the kind is validated,
 * the access checked, the chain extended and the write audited exactly as a real entry would be).
 */
export async function write(s: Services, by: PractitionerActor, childId: string, e: Entry): Promise<string> {
  const res = await s.record.append(by, childId, { kind: e.kind, occurred_at: e.at, narrative: e.narrative, data: e.data ?? {}, concerns: e.concerns ?? [] });
  return res.body.id;
}

/** One entry in a family's timeline: who wrote it, about which child, and what. */
export type Step = [by: PractitionerActor, childId: string, entry: Entry];

/** Writes a timeline in order; each entry is its own transaction, as when practitioners record them. */
export async function writeAll(s: Services, steps: Step[]): Promise<void> {
  for (const [by, childId, e] of steps) await write(s, by, childId, e);
}

type PersonFields = Record<string, unknown> & { given_name: string; family_name: string };

/** A child with a started chain. Validated like the API's input, so NHS numbers must pass their check digit. */
export async function addChild(tx: Transaction<DB>, s: Services, p: PersonFields, by: string): Promise<string> {
  const id = await insertPerson(tx, personInput.parse({ kind: 'child', ...p }), by);
  await startChain(tx, s.sealer, id);
  return id;
}

export async function addAdult(tx: Transaction<DB>, p: PersonFields, by: string): Promise<string> {
  return insertPerson(tx, personInput.parse({ kind: 'adult', ...p }), by);
}

/** The household's address, shared by everyone living there. */
export const address = (line1: string, postcode: string, valid_from: string) => ({ line1, town: 'Northmoor', postcode, valid_from });

/**
 * A contact screened at the front door: the worker holds the case only while screening it, so
 * afterwards they see the child as the author of the screening note, not as its allocated worker.
 */
export async function screenContact(s: Services, worker: PractitionerActor, teamId: string, childId: string, note: Entry): Promise<void> {
  const db = s.database.db;
  const from = new Date(Date.parse(note.at) - 3_600_000);
  const allocationId = await allocate(db, childId, worker.id, teamId, worker.id, from);
  await write(s, worker, childId, note);
  await db.transaction().execute((tx) => endAllocations(tx, [allocationId], worker.id, new Date(Date.parse(note.at) + 60_000)));
}
