import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Services } from '../../src/app.js';
import { actorFromToken, createApiToken } from '../../src/auth/store.js';
import { insertPerson } from '../../src/people/store.js';
import type { PersonInput } from '../../src/people/schemas.js';
import { chainOf } from '../../src/record/store.js';
import type { StoredLink } from '../../src/record/chain.js';
import { testServices } from '../support/db.js';
import { homeVisit, newChild, world, type World } from '../support/fixtures.js';

// Migration 0013 checks what an entry names once per statement instead of with four row-by-row
// foreign keys, and keeps the named agencies, practitioners and tokens from being removed.

let s: Services;
let w: World;
let tokenId: string;
let stored: StoredLink;
beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  tokenId = randomUUID();
  await createApiToken(s.database.db, { agencyId: w.police, name: 'Police case system', entryKinds: ['police_incident'], createdBy: w.actors.admin.id, id: tokenId });
  await s.record.append(w.actors.worker, w.child, homeVisit());
  [stored] = await chainOf(s.database.db, w.child);
});
afterAll(() => s.database.close());

/** A direct INSERT of `rows` (as someone with database access, but without bypassing triggers), rolled back if it succeeds. */
async function insertDirectly(rows: Partial<StoredLink>[]): Promise<string> {
  const rolledBack = new Error('rolled back');
  try {
    await s.database.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('entries')
        .values(rows.map((r, i) => ({ ...stored, id: randomUUID(), seq: 100 + i, ...r, data: JSON.stringify(stored.data) })))
        .execute();
      throw rolledBack;
    });
  } catch (e) {
    if (e === rolledBack) return 'inserted';
    expect(e).toMatchObject({ code: '23503' });
    return (e as Error).message;
  }
  return 'committed';
}

const entries = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM entries`.execute(s.database.db)).rows[0].n;

describe('what an entry names must exist', () => {
  it('accepts an entry naming a child with a chain, an agency, a practitioner and a token', async () => {
    expect(await insertDirectly([{}, { via_token_id: tokenId, author_id: null }])).toBe('inserted');
  });

  it('refuses a child without a chain (an adult, or no one), naming it', async () => {
    const adult = await s.database.db.transaction().execute((tx) =>
      insertPerson(tx, { kind: 'adult', given_name: 'Pat', family_name: 'Adult', sex: 'unknown', local_ids: [] } as unknown as PersonInput, null));
    expect(await insertDirectly([{ child_id: adult }])).toMatch(`missing child ${adult}`);
    const nobody = randomUUID();
    expect(await insertDirectly([{}, { child_id: nobody }])).toMatch(`missing child ${nobody}`);
  });

  it('refuses a missing agency, practitioner or API token, even in one row of many', async () => {
    const missing = randomUUID();
    expect(await insertDirectly([{}, { author_agency_id: missing }])).toMatch(`missing agency ${missing}`);
    expect(await insertDirectly([{ author_id: missing }, {}])).toMatch(`missing practitioner ${missing}`);
    expect(await insertDirectly([{}, {}, { via_token_id: missing }])).toMatch(`missing API token ${missing}`);
    expect(await entries()).toBe(1);
  });

  it('keeps the agencies, practitioners and tokens the record names', async () => {
    const refused = (q: ReturnType<typeof sql.raw>) => expect(q.execute(s.database.db)).rejects.toMatchObject({ code: '42501' });
    await refused(sql.raw(`DELETE FROM agencies WHERE id = '${w.la}'`));
    await refused(sql.raw(`DELETE FROM practitioners WHERE id = '${w.actors.worker.id}'`));
    await refused(sql.raw(`DELETE FROM api_tokens WHERE id = '${tokenId}'`));
    await refused(sql.raw(`UPDATE agencies SET id = gen_random_uuid() WHERE id = '${w.la}'`));
    await refused(sql.raw(`UPDATE practitioners SET id = gen_random_uuid() WHERE id = '${w.actors.worker.id}'`));
    await refused(sql.raw(`UPDATE api_tokens SET id = gen_random_uuid() WHERE id = '${tokenId}'`));
    for (const table of ['agencies', 'practitioners', 'api_tokens']) {
      await expect(sql.raw(`TRUNCATE ${table} CASCADE`).execute(s.database.db)).rejects.toThrow(/append-only/);
    }
    // Other changes still work: an agency is renamed, a practitioner deactivated, a token revoked.
    await sql`UPDATE agencies SET name = 'Northmoor Borough Council' WHERE id = ${w.la}`.execute(s.database.db);
    await sql`UPDATE api_tokens SET revoked_at = now() WHERE id = ${tokenId}`.execute(s.database.db);
    expect(await s.integrity.verifyOne(null, w.child)).toMatchObject({ ok: true, entries: 1 });
  });
});

describe('every state of every head is checkpointed, one statement per batch', () => {
  it('keeps a checkpoint for each entry a batch appends to each child', async () => {
    const db = s.database.db;
    const kids = [await newChild(s, { given_name: 'Robin' }), await newChild(s, { given_name: 'Kit' })];
    const secret = await createApiToken(db, { agencyId: w.police, name: 'Police batch system', entryKinds: ['police_incident'], createdBy: w.actors.admin.id, id: randomUUID() });
    const actor = (await actorFromToken(db, secret))!;
    const items = [0, 1, 2].flatMap((n) => kids.map((child_id) => ({
      child_id, kind: 'police_incident', occurred_at: '2026-02-01T22:15:00Z', narrative: `Incident ${n}.`, data: { incident_type: 'domestic_abuse', reference: `NMP-${n}` },
    })));
    await s.record.appendBatch(actor, items);
    await s.record.appendBatch(actor, items.slice(0, 2));
    for (const child of kids) {
      const seqs = (await sql<{ seq: number }>`SELECT seq FROM chain_checkpoints WHERE child_id = ${child} ORDER BY seq`.execute(db)).rows;
      // 0 when the chain started, then each state the head held: 3 after the first batch, 4 after the second.
      expect(seqs.map((r) => r.seq)).toEqual([0, 3, 4]);
      expect(await s.integrity.verifyOne(null, child)).toMatchObject({ ok: true, entries: 4 });
    }
  });
});
