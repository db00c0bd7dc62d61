import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Services } from '../../src/app.js';
import { testServices } from '../support/db.js';
import { homeVisit, world, type World } from '../support/fixtures.js';

let s: Services;
let w: World;
beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  await s.record.append(w.actors.worker, w.child, homeVisit());
  await s.record.append(w.actors.worker, w.child, homeVisit({ narrative: 'Second visit.' }));
  await s.door.grantEmergency(w.actors.hv, w.child, 'Out-of-hours call about the child', 4);
  await s.record.chronology(w.actors.worker, w.child, {});
});
afterAll(() => s.database.close());

const refused = (statement: ReturnType<typeof sql.raw>) => expect(statement.execute(s.database.db)).rejects.toMatchObject({ message: expect.stringMatching(/append-only|only moves forward/), code: '42501' });
const rows = async (table: string) => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(s.database.db)).rows[0].n;

describe('the database keeps the record append-only', () => {
  for (const table of ['entries', 'audit_events', 'emergency_access', 'chain_checkpoints']) {
    it(`refuses UPDATE, DELETE and TRUNCATE on ${table}`, async () => {
      const before = await rows(table);
      expect(before).toBeGreaterThan(0);
      const column = table === 'audit_events' ? 'action' : table === 'entries' ? 'narrative' : table === 'emergency_access' ? 'reason' : 'hash';
      await refused(sql.raw(`UPDATE ${table} SET ${column} = 'changed by hand'`));
      await refused(sql.raw(`DELETE FROM ${table}`));
      await refused(sql.raw(`TRUNCATE ${table} CASCADE`));
      expect(await rows(table)).toBe(before);
    });
  }

  it('refuses removing or rolling back a chain head, but lets it advance', async () => {
    await refused(sql.raw(`DELETE FROM chain_heads`));
    await refused(sql.raw(`TRUNCATE chain_heads CASCADE`));
    await refused(sql.raw(`UPDATE chain_heads SET seq = seq - 1 WHERE seq > 0`));
    const appended = await s.record.append(w.actors.worker, w.child, homeVisit({ narrative: 'Third visit.' }));
    expect(appended.body.seq).toBe(3);
    expect(await s.integrity.verifyOne(null, w.child)).toMatchObject({ ok: true, entries: 3 });
  });

  it('refuses a TRUNCATE that would reach the record through CASCADE', async () => {
    await refused(sql.raw(`TRUNCATE persons CASCADE`));
    await refused(sql.raw(`TRUNCATE practitioners CASCADE`));
    expect(await rows('entries')).toBe(3);
  });
});
