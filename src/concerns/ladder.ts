import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { rulesAndCalendar } from '../process/rules-store.js';
import { stageDeadlines } from './deadlines.js';
import { landing, type StageStart } from './machine.js';
import type { Stage } from './schemas.js';
import { laddersAbove, type ConcernRow } from './store.js';

/**
 * Starts the first stage of `from` that has someone to answer, as of `at`: who is accountable there
 * (never the person the concern is about, nor its raiser) and its deadlines from the rules in force,
 * the local authority's own when the service is a local authority's.
 */
export async function startStage(tx: Transaction<DB>, row: ConcernRow, from: Stage[], at: Date): Promise<StageStart> {
  const above = await laddersAbove(tx, row.agency_id);
  const candidates = { head: row.head_id ? [row.head_id] : [], ...above };
  const landed = landing(from, candidates, [row.subject_id, row.raiser_id]);
  const locality = row.agency_kind === 'local_authority' ? row.agency_id : null;
  const { rules, calendar } = await rulesAndCalendar(tx, row.jurisdiction);
  const deadlines = stageDeadlines(rules, calendar, row.jurisdiction, locality, at);
  return { stage: landed.stage, accountable: landed.accountable, deadlines, ...(landed.skipped.length ? { skipped: landed.skipped } : {}) };
}
