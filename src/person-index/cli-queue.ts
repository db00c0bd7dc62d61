import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { explain, features, type Nicknames, type PersonRecord } from '../matching/index.js';
import { CERTAIN_THRESHOLD, MATCH_THRESHOLD } from '../matching/linker.js';
import { QueueError, type LinkRunResult } from '../matching/cli-link.js';
import { queueReview } from './reviews-store.js';
import { insertAgencyRecord } from './store.js';
import type { AgencyRecordInput } from './schemas.js';

const nobody = { practitionerId: null, tokenId: null };
const sexes: Record<string, AgencyRecordInput['sex']> = { f: 'female', female: 'female', '2': 'female', m: 'male', male: 'male', '1': 'male' };

/** A CSV row as an agency record: what the file holds, missing names left blank. */
const asInput = (r: PersonRecord): AgencyRecordInput => ({
  local_id: r.id, kind: 'child', given_name: r.given_name ?? '', family_name: r.surname ?? '', date_of_birth: r.date_of_birth, nhs_number: r.nhs_number,
  address: r.address ?? [], town: r.town, postcode: r.postcode, sex: sexes[(r.sex ?? '').trim().toLowerCase()] ?? 'unknown',
});

/**
 * `sightline link --review-queue --agency ID`: every row stored as that agency's record (a new
 * version where the local id is known), and each pair linked directly between the thresholds queued
 * as record against record, with its explanation. One transaction: all or nothing.
 */
export async function queueUncertain(db: Kysely<DB>, run: { result: LinkRunResult; nicknames: Nicknames }, agencyId: string): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const agency = await tx.selectFrom('agencies').select('id').where('id', '=', agencyId).executeTakeFirst();
    if (!agency) throw new QueueError(`No agency has the id ${agencyId}.`);
    const stored = new Map<string, { id: string; record: PersonRecord }>();
    for (const file of run.result.files) {
      for (const r of file) stored.set(r.id, { id: (await insertAgencyRecord(tx, agencyId, asInput(r), 'bulk', nobody)).id, record: r });
    }
    const uncertain = run.result.pairs.filter((p) => p.direct && p.probability >= MATCH_THRESHOLD && p.probability < CERTAIN_THRESHOLD);
    for (const p of uncertain) {
      const [a, b] = [stored.get(p.left)!, stored.get(p.right)!];
      const explanation = explain(run.result.model, features(a.record, run.nicknames), features(b.record, run.nicknames));
      await queueReview(tx, { recordId: a.id, otherRecordId: b.id, candidate: { ...b.record, id: b.id }, explanation, by: nobody });
    }
    return uncertain.length;
  });
}

/** The same against the database the environment names (DATABASE_URL or DATA_DIR), migrated first like `sightline migrate`. */
export async function queueUncertainFromEnv(run: { result: LinkRunResult; nicknames: Nicknames }, agencyId: string): Promise<number> {
  const { loadConfig } = await import('../config.js');
  const { openDatabase } = await import('../db/connect.js');
  const { migrate } = await import('../db/migrate.js');
  const d = await openDatabase(loadConfig());
  try {
    await migrate(d.db);
    return await queueUncertain(d.db, run, agencyId);
  } finally {
    await d.close();
  }
}
