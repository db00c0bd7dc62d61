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
// Migration 0025 does the same for audit rows and chain checkpoints, and keeps persons.

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

/** A direct INSERT of entries (as someone with database access, but without bypassing triggers), rolled back if it succeeds. */
function insertDirectly(rows: Partial<StoredLink>[]): Promise<string> {
  return insertInto('entries', rows.map((r, i) => ({ ...stored, id: randomUUID(), seq: 100 + i, ...r, data: JSON.stringify(stored.data) })));
}

/** A direct INSERT (triggers not bypassed), rolled back if it succeeds; the refusal's message otherwise. */
async function insertInto(table: string, rows: Record<string, unknown>[]): Promise<string> {
  const rolledBack = new Error('rolled back');
  try {
    await s.database.db.transaction().execute(async (tx) => {
      await tx.insertInto(table as never).values(rows as never).execute();
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

describe('what an audit row or a checkpoint names must exist (migration 0025)', () => {
  const audit = (r: Record<string, unknown> = {}) => ({
    actor_practitioner_id: w.actors.worker.id, actor_token_id: null, child_id: w.child, action: 'read', basis: 'allocated_worker', detail: '{}', ...r,
  });

  it('accepts audit rows naming a practitioner, a token, a person and an emergency grant', async () => {
    const grant = randomUUID();
    await sql`INSERT INTO emergency_access (id, child_id, practitioner_id, reason, granted_at, expires_at)
      VALUES (${grant}, ${w.child}, ${w.actors.worker.id}, 'A test grant', now(), now() + interval '1 hour')`.execute(s.database.db);
    const rows = [audit(), audit({ actor_practitioner_id: null, actor_token_id: tokenId }), audit({ child_id: null }), audit({ emergency_access_id: grant })];
    expect(await insertInto('audit_events', rows)).toBe('inserted');
  });

  it('refuses a missing practitioner, token, person or emergency grant, even in one row of many', async () => {
    const missing = randomUUID();
    expect(await insertInto('audit_events', [audit(), audit({ actor_practitioner_id: missing })])).toMatch(`missing practitioner ${missing}`);
    expect(await insertInto('audit_events', [audit({ actor_practitioner_id: null, actor_token_id: missing }), audit()])).toMatch(`missing API token ${missing}`);
    expect(await insertInto('audit_events', [audit(), audit(), audit({ child_id: missing })])).toMatch(`missing person ${missing}`);
    expect(await insertInto('audit_events', [audit({ emergency_access_id: missing }), audit()])).toMatch(`missing emergency grant ${missing}`);
  });

  it('refuses a checkpoint for a missing person, even in one row of many', async () => {
    const missing = randomUUID();
    const cp = (child_id: string, seq: number) => ({ child_id, seq, hash: 'h', seal: 's' });
    expect(await insertInto('chain_checkpoints', [cp(w.child, 900), cp(w.child, 901)])).toBe('inserted');
    expect(await insertInto('chain_checkpoints', [cp(w.child, 900), cp(missing, 1)])).toMatch(`missing person ${missing}`);
  });

  it('keeps persons: no DELETE, no change of id, no TRUNCATE', async () => {
    const refused = (q: ReturnType<typeof sql.raw>) => expect(q.execute(s.database.db)).rejects.toMatchObject({ code: '42501' });
    await refused(sql.raw(`DELETE FROM persons WHERE id = '${w.child}'`));
    await refused(sql.raw(`UPDATE persons SET id = gen_random_uuid() WHERE id = '${w.child}'`));
    await expect(sql.raw('TRUNCATE persons CASCADE').execute(s.database.db)).rejects.toThrow(/append-only/);
    // Other changes still work.
    await sql`UPDATE persons SET sex = sex WHERE id = ${w.child}`.execute(s.database.db);
  });
});
