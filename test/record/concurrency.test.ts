import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Transaction } from 'kysely';
import type { Services } from '../../src/app.js';
import type { DB } from '../../src/db/schema.js';
import { allocate } from '../../src/people/store.js';
import { draftFrom, RecordService } from '../../src/record/service.js';
import { appendEntries, verifyChild } from '../../src/record/store.js';
import { onPostgres, testServices } from '../support/db.js';
import { homeVisit, newChild, world, type World } from '../support/fixtures.js';

let s: Services;
let w: World;
beforeAll(async () => {
  s = await testServices();
  w = await world(s);
});
afterAll(() => s.database.close());

async function allocatedChild(): Promise<string> {
  const id = await newChild(s);
  await allocate(s.database.db, id, w.actors.worker.id, w.team, null);
  return id;
}

/**
 * Appends to `childId` through the door and keeps the transaction open (uncommitted) until `release`
 * is called; `inside` runs while it is open, on the same transaction.
 */
function holdAppend(childId: string, inside: (tx: Transaction<DB>) => Promise<unknown> = async () => {}) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let opened!: (v: unknown) => void;
  const open = new Promise<unknown>((r) => (opened = r));
  const done = s.door.write(w.actors.worker, childId, 'append_entry', async (a) => {
    await appendEntries(a.tx, s.sealer, [draftFrom(w.actors.worker, childId, RecordService.parse(homeVisit({ narrative: 'Held open.' })))]);
    opened(await inside(a.tx));
    await gate;
  }, 'home_visit');
  return { open, done, release };
}

/** Table-level lock modes that would make another child's append (RowShare + RowExclusive) wait. */
const blocking = ['ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'];

describe('an append locks only its own child', () => {
  it('holds no table-level lock that another child’s append would wait for, and only its own child’s head', async () => {
    const a = await allocatedChild();
    const b = await allocatedChild();
    const held = holdAppend(a, async (tx) => {
      const locks = await sql<{ locktype: string; relname: string | null; mode: string }>`
        SELECT l.locktype, c.relname, l.mode FROM pg_locks l LEFT JOIN pg_class c ON c.oid = l.relation
        WHERE l.pid = pg_backend_pid()`.execute(tx);
      const heads = await sql<{ child_id: string }>`SELECT child_id FROM chain_heads
        WHERE xmin::text = pg_current_xact_id()::xid::text OR xmax::text = pg_current_xact_id()::xid::text`.execute(tx);
      return { locks: locks.rows, heads: heads.rows.map((r) => r.child_id) };
    });
    const { locks, heads } = (await held.open) as { locks: { locktype: string; relname: string | null; mode: string }[]; heads: string[] };
    held.release();
    await held.done;

    const on = (rel: string) => locks.filter((l) => l.relname === rel).map((l) => l.mode);
    expect(on('entries')).toContain('RowExclusiveLock');
    expect(on('chain_heads')).toContain('RowShareLock');
    expect(locks.filter((l) => l.locktype === 'relation' && blocking.includes(l.mode))).toEqual([]);
    expect(locks.filter((l) => l.locktype === 'advisory')).toEqual([]);
    expect(heads).toEqual([a]);
    expect(heads).not.toContain(b);
    expect(await verifyChild(s.database.db, s.sealer, a)).toEqual({ ok: true, entries: 1 });
  });
});

if (onPostgres) {
  describe('writers on PostgreSQL', () => {
    const waitingOnLock = async () =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(s.database.db)).rows[0].n;

    it('an append to another child completes while one child’s append is open; the same child’s waits, then follows', async () => {
      const a = await allocatedChild();
      const b = await allocatedChild();
      const held = holdAppend(a);
      await held.open;

      const other = await s.record.append(w.actors.worker, b, homeVisit({ narrative: 'Different child.' }));
      expect(other.body).toMatchObject({ child_id: b, seq: 1 });

      let finished = false;
      const same = s.record.append(w.actors.worker, a, homeVisit({ narrative: 'Same child.' })).finally(() => (finished = true));
      for (let i = 0; i < 100 && (await waitingOnLock()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await waitingOnLock()).toBe(1);
      expect(finished).toBe(false);

      held.release();
      await held.done;
      const second = await same;
      expect(second.body.seq).toBe(2);
      expect(await verifyChild(s.database.db, s.sealer, a)).toEqual({ ok: true, entries: 2 });
      expect(await verifyChild(s.database.db, s.sealer, b)).toEqual({ ok: true, entries: 1 });
    });

    it('many concurrent appends to one child chain without gaps, and verification running alongside never sees a false break', async () => {
      const a = await allocatedChild();
      const writes = Array.from({ length: 24 }, (_, i) => s.record.append(w.actors.worker, a, homeVisit({ narrative: `Concurrent ${i}.` })));
      const checks: Promise<{ ok: boolean }>[] = [];
      for (let i = 0; i < 24; i++) checks.push(s.integrity.verifyOne(null, a));
      const results = await Promise.all(checks);
      const seqs = (await Promise.all(writes)).map((r) => r.body.seq).sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
      expect(results.filter((r) => !r.ok)).toEqual([]);
      expect(await verifyChild(s.database.db, s.sealer, a)).toEqual({ ok: true, entries: 24 });
    });
  });
}
