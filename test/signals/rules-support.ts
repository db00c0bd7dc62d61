import { sql } from 'kysely';
import { expect } from 'vitest';
import { addGroupMember } from '../../src/people/store.js';
import type { PersonInput } from '../../src/people/schemas.js';
import { SignalEngine } from '../../src/signals/engine.js';
import type { Hit } from '../../src/signals/hit.js';
import { processWorld, type Body, type ProcessWorld } from '../process/steps-support.js';

/**
 * The world for red-flag rule tests: the real app (entries and steps go through the API), a child
 * allocated to the worker with the health visitor, police officer and school lead in the core group,
 * and the engine run on what was written, as the append listener runs it.
 */
export async function signalsWorld() {
  const pw = await processWorld();
  const engine = new SignalEngine();
  const db = pw.s.database.db;
  return {
    ...pw,
    engine,
    /** A child allocated to the worker, whom every test practitioner may write about. */
    async child(p: Partial<PersonInput> = {}): Promise<string> {
      const id = await pw.child(p);
      for (const who of ['hv', 'police', 'dsl']) await addGroupMember(db, id, pw.w.actors[who].id, 'core_group', null);
      return id;
    },
    /** Appends an entry through the API and answers its id. */
    async entry(child: string, who: string, body: Body): Promise<string> {
      const res = await pw.call('POST', `/api/children/${child}/entries`, who, body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id;
    },
    /** Records a step through the API and answers its entry id. */
    async stepOk(child: string, body: Body, who = 'worker'): Promise<string> {
      const res = await pw.step(child, body, who);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.entry.id;
    },
    /** What the rules find when `entryId` has just been appended (the engine reads the entry back as the listener gets it). */
    async onEntry(child: string, entryId: string): Promise<Hit[]> {
      return db.transaction().execute(async (tx) => {
        const rows = await sql<{ id: string; child_id: string; kind: string; data: Record<string, unknown>; concerns: string[] }>`
          SELECT id, child_id, kind, data, concerns FROM entries WHERE id = ${entryId}`.execute(tx);
        return engine.evaluate(tx, child, { entries: rows.rows });
      });
    },
    /** Records a new adult in the child's life through the API (a relationship, not an entry) and answers their id. */
    async adult(child: string, relationship: Body, person: Body = {}, who = 'worker'): Promise<string> {
      const res = await pw.call('POST', `/api/children/${child}/people`, who, {
        person: { given_name: 'Dan', family_name: 'Unchecked', sex: 'male', ...person },
        relationship: { lives_with_child: false, valid_from: '2026-01-05', ...relationship },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.person.id;
    },
    /** What the rules about adults find when their link to the child has just been recorded. */
    onPeople: (child: string, people: string[]) => db.transaction().execute((tx) => engine.evaluate(tx, child, { people })),
    /** What the absence rules find at `at`. */
    onSchedule: (child: string, at: Date) => db.transaction().execute((tx) => engine.evaluate(tx, child, { at })),
  };
}
export type SignalsWorld = Awaited<ReturnType<typeof signalsWorld>>;

export const rulesOf = (hits: Hit[]) => hits.map((h) => h.rule_id);
export type { ProcessWorld };
