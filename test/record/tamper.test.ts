import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Services } from '../../src/app.js';
import { allocate } from '../../src/people/store.js';
import { chainOf, verifyChild } from '../../src/record/store.js';
import type { StoredLink, VerifyResult } from '../../src/record/chain.js';
import { testServices } from '../support/db.js';
import { homeVisit, newChild, world, type World } from '../support/fixtures.js';
import { asAttacker, insertEntry, rechain, rehashed, renumber, rewriteEntry } from '../support/tamper.js';

let s: Services;
let w: World;
beforeAll(async () => {
  s = await testServices();
  w = await world(s);
});
afterAll(() => s.database.close());

/** Direct SQL changes to one column of entry k, as an attacker with database access would make. */
const fieldChanges = {
  narrative: () => sql`narrative = narrative || ' (altered)'`,
  data: () => sql`data = jsonb_set(data, '{child_seen}', 'false')`,
  occurred_at: (secs: number) => sql`occurred_at = occurred_at + ${secs} * interval '1 second'`,
  recorded_at: (secs: number) => sql`recorded_at = recorded_at + ${secs} * interval '1 second'`,
  author_name: () => sql`author_name = 'Someone Else'`,
  author_id: () => sql`author_id = ${w.actors.teammate.id}`,
  author_agency_id: () => sql`author_agency_id = ${w.police}`,
  via_token_id: () => sql`via_token_id = ${randomUUID()}`,
  kind: () => sql`kind = 'case_note'`,
  concerns: () => sql`concerns = array_append(concerns, ${randomUUID()}::uuid)`,
  supersedes_id: () => sql`supersedes_id = id, correction_reason = 'Quietly corrected'`,
  prev_hash: () => sql`prev_hash = repeat('f', 64)`,
  hash: () => sql`hash = repeat('e', 64)`,
  seal: () => sql`seal = repeat('d', 64)`,
};
type Field = keyof typeof fieldChanges;

type Tamper =
  | { t: 'field'; field: Field; k: number; secs: number }
  | { t: 'rehash'; k: number; later: boolean }
  | { t: 'delete'; k: number }
  | { t: 'forge_append' }
  | { t: 'forge_insert'; k: number }
  | { t: 'swap'; i: number; j: number }
  | { t: 'truncate'; m: number; head: 'kept' | 'rolled_back' | 'deleted' };

const entryOf = (n: number) => fc.integer({ min: 1, max: n });
const tamperFor = (n: number): fc.Arbitrary<Tamper> =>
  fc.oneof(
    fc.record({
      t: fc.constant('field' as const),
      field: fc.constantFrom(...(Object.keys(fieldChanges) as Field[])),
      k: entryOf(n),
      secs: fc.integer({ min: -86_400 * 400, max: 86_400 * 400 }).filter((x) => x !== 0),
    }),
    fc.record({ t: fc.constant('rehash' as const), k: entryOf(n), later: fc.boolean() }),
    fc.record({ t: fc.constant('delete' as const), k: entryOf(n) }),
    fc.constant({ t: 'forge_append' as const }),
    fc.record({ t: fc.constant('forge_insert' as const), k: entryOf(n) }),
    ...(n >= 2 ? [entryOf(n - 1).chain((i) => fc.record({ t: fc.constant('swap' as const), i: fc.constant(i), j: fc.integer({ min: i + 1, max: n }) }))] : []),
    fc.record({ t: fc.constant('truncate' as const), m: fc.integer({ min: 0, max: n }), head: fc.constantFrom('kept' as const, 'rolled_back' as const, 'deleted' as const) }),
  );

/**
 * A new child with n entries, appended one by one through RecordService. Letters, not home visits: the
 * chain is the same for any kind, and no red-flag rule reads a letter, so hundreds of appends stay quick.
 */
async function chainOfN(n: number): Promise<{ child: string; links: StoredLink[] }> {
  const child = await newChild(s);
  await allocate(s.database.db, child, w.actors.worker.id, w.team, null);
  for (let i = 1; i <= n; i++) {
    await s.record.append(w.actors.worker, child, {
      kind: 'correspondence', occurred_at: `2025-06-${String(i).padStart(2, '0')}T10:00:00Z`, narrative: `Letter number ${i} about the "plan" — §4.`,
      data: { direction: i % 2 ? 'sent' : 'received', counterpart: 'Northmoor Primary School', subject: `Attendance, week ${i}` },
    });
  }
  return { child, links: await chainOf(s.database.db, child) };
}

const forged = (like: StoredLink, seq: number, prevHash: string): StoredLink =>
  rehashed({ ...like, id: randomUUID(), seq, prev_hash: prevHash, narrative: 'A visit that never happened.', seal: 'a'.repeat(64) });

/** Applies the tampering and says what verification must report. */
async function apply(child: string, links: StoredLink[], tp: Tamper): Promise<Partial<VerifyResult>> {
  const n = links.length;
  const at = (seq: number) => links[seq - 1];
  const removed = { ok: false, problem: 'newest_entries_removed' as const };
  return asAttacker(s.database.db, async (tx) => {
    switch (tp.t) {
      case 'field': {
        await sql`UPDATE entries SET ${fieldChanges[tp.field](tp.secs)} WHERE id = ${at(tp.k).id}`.execute(tx);
        const problem = tp.field === 'prev_hash' ? 'broken_link' : tp.field === 'seal' ? 'bad_seal' : 'modified';
        return { ok: false, problem, firstBadEntryId: at(tp.k).id, firstBadSeq: tp.k };
      }
      case 'rehash': {
        const changed = [...links];
        changed[tp.k - 1] = rehashed({ ...at(tp.k), narrative: 'Child seen and well; no concerns.' });
        for (const l of tp.later ? rechain(changed, tp.k) : [changed[tp.k - 1]]) await rewriteEntry(tx, l);
        return { ok: false, problem: 'bad_seal', firstBadEntryId: at(tp.k).id, firstBadSeq: tp.k };
      }
      case 'delete':
        await sql`DELETE FROM entries WHERE id = ${at(tp.k).id}`.execute(tx);
        return tp.k === n ? removed : { ok: false, problem: 'missing_before', firstBadEntryId: at(tp.k + 1).id, firstBadSeq: tp.k + 1 };
      case 'forge_append': {
        const f = forged(at(n), n + 1, at(n).hash);
        await insertEntry(tx, f);
        return { ok: false, problem: 'bad_seal', firstBadEntryId: f.id, firstBadSeq: n + 1 };
      }
      case 'forge_insert': {
        // Make room at k, insert the forgery, and relink and rehash everything after it.
        await renumber(tx, links.slice(tp.k - 1).map((l) => ({ id: l.id, seq: l.seq + 1 })));
        const f = forged(at(tp.k), tp.k, at(tp.k).prev_hash);
        await insertEntry(tx, f);
        const after = rechain([...links.slice(0, tp.k - 1), f, ...links.slice(tp.k - 1).map((l) => ({ ...l, seq: l.seq + 1 }))], tp.k);
        for (const l of after) await rewriteEntry(tx, l);
        return { ok: false, problem: 'bad_seal', firstBadEntryId: f.id, firstBadSeq: tp.k };
      }
      case 'swap':
        await renumber(tx, [{ id: at(tp.i).id, seq: tp.j }, { id: at(tp.j).id, seq: tp.i }]);
        return { ok: false, problem: 'broken_link', firstBadEntryId: at(tp.j).id, firstBadSeq: tp.i };
      case 'truncate': {
        if (tp.m > 0) await sql`DELETE FROM entries WHERE child_id = ${child} AND seq > ${n - tp.m}`.execute(tx);
        if (tp.head === 'deleted') await sql`DELETE FROM chain_heads WHERE child_id = ${child}`.execute(tx);
        if (tp.head === 'rolled_back') {
          // The attacker restores the head exactly as it was sealed at an older entry.
          const to = tp.m > 0 ? n - tp.m : n - 1;
          await sql`UPDATE chain_heads h SET seq = c.seq, hash = c.hash, seal = c.seal FROM chain_checkpoints c
            WHERE h.child_id = ${child} AND c.child_id = h.child_id AND c.seq = ${to}`.execute(tx);
        }
        if (tp.m > 0) return removed;
        if (tp.head === 'deleted') return { ok: false, problem: 'head_missing' };
        if (tp.head === 'rolled_back') return { ok: false, problem: 'head_tampered' };
        return { ok: true, entries: n };
      }
    }
  });
}

describe('tamper evidence', () => {
  it('an untampered chain of any length verifies, through the store and the integrity service', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 25 }), async (n) => {
        const { child } = await chainOfN(n);
        expect(await verifyChild(s.database.db, s.sealer, child)).toEqual({ ok: true, entries: n });
        expect(await s.integrity.verifyOne(null, child)).toMatchObject({ ok: true, entries: n, child_id: child });
      }),
      { numRuns: 5 },
    );
  });

  it('names exactly the first bad entry after any tampering, or reports the truncation', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 25 }).chain((n) => fc.tuple(fc.constant(n), tamperFor(n))),
        async ([n, tp]) => {
          const { child, links } = await chainOfN(n);
          const want = await apply(child, links, tp);
          const got = await verifyChild(s.database.db, s.sealer, child);
          expect(got).toMatchObject(want);
          if (!want.firstBadEntryId) expect(got).not.toHaveProperty('firstBadEntryId');
          const viaService = await s.integrity.verifyOne(null, child);
          expect(viaService).toEqual({ child_id: child, ...got });
        },
      ),
      { numRuns: 70 },
    );
  });

  it('an entry moved to another child fails both chains', async () => {
    const a = await chainOfN(3);
    const b = await chainOfN(2);
    await asAttacker(s.database.db, (tx) => sql`UPDATE entries SET child_id = ${b.child}, seq = 3 WHERE id = ${a.links[1].id}`.execute(tx));
    expect(await verifyChild(s.database.db, s.sealer, a.child)).toMatchObject({ ok: false, problem: 'missing_before', firstBadEntryId: a.links[2].id, firstBadSeq: 3 });
    expect(await verifyChild(s.database.db, s.sealer, b.child)).toMatchObject({ ok: false, problem: 'broken_link', firstBadEntryId: a.links[1].id, firstBadSeq: 3 });
  });

  it('data that cannot be read back as JSON numbers is reported, not a crash', async () => {
    const { child, links } = await chainOfN(2);
    await asAttacker(s.database.db, (tx) => sql`UPDATE entries SET data = jsonb_set(data, '{child_seen}', '1e400') WHERE id = ${links[0].id}`.execute(tx));
    expect(await verifyChild(s.database.db, s.sealer, child)).toMatchObject({ ok: false, problem: 'modified', firstBadEntryId: links[0].id, firstBadSeq: 1 });
  });

  it('verifies a child named in upper case, and entries sent with upper-case ids', async () => {
    const { child } = await chainOfN(1);
    const concern = randomUUID().toUpperCase();
    await s.record.append(w.actors.worker, child.toUpperCase(), homeVisit({ concerns: [concern] }));
    expect(await verifyChild(s.database.db, s.sealer, child.toUpperCase())).toEqual({ ok: true, entries: 2 });
    expect(await s.integrity.verifyOne(null, child.toUpperCase())).toMatchObject({ ok: true, entries: 2 });
  });

  it('verifyAll names every tampered child and passes the rest', async () => {
    const good = await chainOfN(2);
    const bad = await chainOfN(4);
    await asAttacker(s.database.db, (tx) => sql`UPDATE entries SET narrative = 'rewritten' WHERE id = ${bad.links[2].id}`.execute(tx));
    const all = await s.integrity.verifyAll(null);
    expect(all.ok).toBe(false);
    expect(all.failures.find((f) => f.child_id === bad.child)).toMatchObject({ problem: 'modified', firstBadEntryId: bad.links[2].id, firstBadSeq: 3 });
    expect(all.failures.find((f) => f.child_id === good.child)).toBeUndefined();
  });
});
