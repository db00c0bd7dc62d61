import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { fold } from '../process/machine.js';
import { recordedSource, rulesSource } from '../process/deadlines.js';
import { rulesAndCalendar } from '../process/rules-store.js';
import type { Jurisdiction } from '../process/rules.js';
import type { ProcessState } from '../process/state.js';
import { toEvent } from '../process/store.js';
import { factEntries, linkedAdults, placeOf } from './facts-store.js';
import type { ChildHistory } from './trial.js';

/** How many children one trial reads at most (the newest records first are the demo's and the trial's point). */
export const TRIAL_CHILDREN = 500;

/** The children of a local authority: allocated to one of its teams (ever), or whose process it holds. */
export async function childrenOfAuthority(tx: Transaction<DB>, laId: string): Promise<{ id: string; name: string }[]> {
  const r = await sql<{ id: string; name: string }>`
    SELECT p.id, coalesce((SELECT n.given_name || ' ' || n.family_name FROM person_names n WHERE n.person_id = p.id AND n.name_type = 'legal'
      ORDER BY n.valid_to DESC NULLS FIRST, n.recorded_at DESC LIMIT 1), 'Name not recorded') AS name
    FROM persons p
    WHERE p.kind = 'child' AND (
      EXISTS (SELECT 1 FROM allocations al JOIN teams t ON t.id = al.team_id WHERE al.child_id = p.id AND t.agency_id = ${laId})
      OR EXISTS (SELECT 1 FROM process_children pc WHERE pc.child_id = p.id AND pc.la_id = ${laId}))
    ORDER BY p.created_at DESC, p.id LIMIT ${TRIAL_CHILDREN}`.execute(tx);
  return r.rows;
}

/**
 * One child's whole history for a replay. The process at each point is folded from the entries up to
 * it, with the deadlines each step recorded (as the child's page folds it).
 */
export async function childHistory(tx: Transaction<DB>, child: { id: string; name: string }, now: Date): Promise<ChildHistory | undefined> {
  const place = await placeOf(tx, child.id, now);
  if (!place) return undefined;
  const entries = await factEntries(tx, child.id);
  const adults = await linkedAdults(tx, child.id);
  const { rules, calendar } = await rulesAndCalendar(tx, place.jurisdiction as Jurisdiction);
  const source = recordedSource(rulesSource(rules, calendar, place.jurisdiction as Jurisdiction, place.locality));
  const events = entries.filter((e) => e.kind === 'process_step' || e.kind === 'home_visit')
    .map((e) => ({ seq: e.seq, ev: toEvent({ id: e.id, kind: e.kind, occurred_at: e.occurred_at, data: e.data, author_id: null, author_agency_id: e.agency_id }) }));
  const folded = new Map<number, ProcessState | undefined>();
  return {
    childId: child.id, childName: child.name, dateOfBirth: place.dob, expectedDateOfBirth: place.edob, entries, adults,
    processAt(seq) {
      // Only a step or a visit changes the process: fold once per number of them seen.
      const upTo = events.filter((e) => e.seq <= seq);
      if (!folded.has(upTo.length)) folded.set(upTo.length, upTo.length ? fold(upTo.map((e) => e.ev), source) : undefined);
      return folded.get(upTo.length);
    },
  };
}
