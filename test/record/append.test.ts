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
});
afterAll(() => s.database.close());

describe('appending to a child record', () => {
  it('chains entries and verifies them', async () => {
    const a = await s.record.append(w.actors.worker, w.child, homeVisit());
    const b = await s.record.append(w.actors.worker, w.child, homeVisit({ narrative: 'Second visit.' }));
    expect(a.body.seq).toBe(1);
    expect(b.body.seq).toBe(2);
    expect(b.body.prev_hash).toBe(a.body.hash);
    const v = await s.integrity.verifyOne(null, w.child);
    expect(v).toMatchObject({ ok: true, entries: 2 });
  });

  it('the database refuses UPDATE and DELETE on entries', async () => {
    await expect(sql`UPDATE entries SET narrative = 'changed'`.execute(s.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM entries`.execute(s.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE entries CASCADE`.execute(s.database.db)).rejects.toThrow(/append-only/);
  });

  it('an idempotent retry creates one entry', async () => {
    const first = await s.record.append(w.actors.worker, w.child, homeVisit({ narrative: 'Retry me' }), 'key-12345678');
    const again = await s.record.append(w.actors.worker, w.child, homeVisit({ narrative: 'Retry me' }), 'key-12345678');
    expect(again.replayed).toBe(true);
    expect(again.body.id).toBe(first.body.id);
    const chron = await s.record.chronology(w.actors.worker, w.child, {});
    expect(chron.entries.filter((e) => e.narrative === 'Retry me')).toHaveLength(1);
  });
});
