import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { awaitedMeeting } from './legal-planning.js';
import type { ProcessState } from './state.js';

/** Who asked for the meeting still awaited, as the request step recorded it; null when none is awaited. Read inside the door's transaction. */
export async function meetingRequestedBy(q: Kysely<DB> | Transaction<DB>, s: ProcessState): Promise<string | null> {
  const lp = awaitedMeeting(s);
  if (!lp) return null;
  const row = await q.selectFrom('entries').select('data').where('id', '=', lp.requestId).executeTakeFirst();
  const by = (row?.data as Record<string, unknown> | undefined)?.requested_by;
  return typeof by === 'string' ? by : null;
}
