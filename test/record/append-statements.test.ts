import { randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src/app.js';
import { actorFromToken, createApiToken } from '../../src/auth/store.js';
import type { Actor } from '../../src/access/actor.js';
import { entryViewText, hashAndView, entryHash, type StoredLink } from '../../src/record/chain.js';
import { appendEntries, chainOf, type Draft } from '../../src/record/store.js';
import { testServices } from '../support/db.js';
import { newChild, world, type World } from '../support/fixtures.js';

// appendEntries hashes a whole batch, then sends the heads' UPDATE and, while the database runs it,
// builds the one INSERT of the entries; the stored entry JSON is written from the same escaped fields
// as the canonical content that is hashed.

/** Version 2 of the stored entry JSON as it was first written (template strings), the definition. */
function versionTwo(e: StoredLink): string {
  const s = JSON.stringify;
  return `{"seq":${e.seq},"id":${s(e.id)},"kind":${s(e.kind)},"occurred_at":${s(e.occurred_at.toISOString())},"recorded_at":${s(e.recorded_at.toISOString())},` +
    `"author":{"id":${s(e.author_id)},"name":${s(e.author_name)},"role":${s(e.author_role)},"agency_id":${s(e.author_agency_id)},"via_token_id":${s(e.via_token_id)}},` +
    `"concerns":${s(e.concerns)},"narrative":${s(e.narrative)},"data":${canonicalize(e.data) ?? 'null'},` +
    `"supersedes_id":${s(e.supersedes_id)},"correction_reason":${s(e.correction_reason)},"hash":${s(e.hash)},"superseded_by":null}`;
}

const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', 'é', '\u2028', '"\\', '\u{1F600}', '\n\t'));
const date = fc.date({ min: new Date(0), max: new Date(Date.UTC(2100, 0, 1)), noInvalidDate: true });
const link: fc.Arbitrary<StoredLink> = fc.record({
  id: fc.uuid(), child_id: fc.uuid(), seq: fc.integer({ min: 1, max: 2 ** 31 - 1 }), kind: text, occurred_at: date, recorded_at: date,
  author_id: fc.option(fc.uuid(), { nil: null }), author_name: text, author_role: text, author_agency_id: fc.uuid(),
  via_token_id: fc.option(fc.uuid(), { nil: null }), concerns: fc.array(fc.uuid(), { maxLength: 3 }), narrative: text,
  data: fc.dictionary(text, fc.jsonValue()) as fc.Arbitrary<unknown>, supersedes_id: fc.option(fc.uuid(), { nil: null }),
  correction_reason: fc.option(text, { nil: null }), prev_hash: fc.stringMatching(/^[0-9a-f]{64}$/),
  hash: fc.stringMatching(/^[0-9a-f]{64}$/), seal: fc.stringMatching(/^[0-9a-f]{64}$/),
});

describe('the stored entry JSON, written from the fields the hash is made of', () => {
  it('is byte for byte version 2 as first written, whether made alone or with the hash', () => {
    fc.assert(fc.property(link, (e) => {
      expect(entryViewText(e)).toBe(versionTwo(e));
      const made = hashAndView(e);
      expect(made.hash).toBe(entryHash(e));
      expect(made.view).toBe(versionTwo({ ...e, hash: made.hash }));
    }), { numRuns: 2000 });
  });
});

let s: Services;
let w: World;
let agency: Actor;
let kids: string[];

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  kids = [w.child, await newChild(s, { given_name: 'Robin' }), await newChild(s, { given_name: 'Kit' })];
  const token = await createApiToken(s.database.db, { agencyId: w.police, name: 'Police case system', entryKinds: ['police_incident'], createdBy: w.actors.admin.id, id: randomUUID() });
  agency = (await actorFromToken(s.database.db, token))!;
});
afterAll(() => s.database.close());

const incident = (childId: string, n: number) => ({
  child_id: childId, kind: 'police_incident', occurred_at: '2026-02-01T22:15:00Z',
  narrative: `Officers attended incident ${n}. "Quoted" words, a back\\slash, {braces}, commas, NULL, é, 😀,\n\ta new line and \u2028.`,
  data: { incident_type: 'domestic_abuse', reference: `NMP-${n}` },
});

async function state() {
  const db = s.database.db;
  const n = async (t: 'entries' | 'chain_checkpoints' | 'audit_events') => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(t)}`.execute(db)).rows[0].n;
  const heads = await db.selectFrom('chain_heads').select(['child_id', 'seq', 'hash', 'seal']).orderBy('child_id').execute();
  return { entries: await n('entries'), checkpoints: await n('chain_checkpoints'), audit: await n('audit_events'), heads };
}

describe('a batch of many entries for several children', () => {
  it('chains each child in order, stores what was hashed, advances and checkpoints each head once', async () => {
    const before = await state();
    // 250 entries over three children, interleaved.
    const items = Array.from({ length: 250 }, (_, i) => incident(kids[i % 3], i));
    const res = await s.record.appendBatch(agency, items);
    expect(res.body.count).toBe(250);
    for (const [k, child] of kids.entries()) {
      const chain = await chainOf(s.database.db, child);
      const mine = res.body.entries.filter((e) => e.child_id === child);
      expect(chain.map((l) => l.id)).toEqual(mine.map((e) => e.id));
      expect(chain.map((l) => l.seq)).toEqual(chain.map((_, i) => i + 1));
      // What was stored is what was sent (text that array literals must escape included).
      expect(chain.map((l) => l.narrative)).toEqual(items.filter((_, i) => i % 3 === k).map((i) => i.narrative));
      expect(await s.integrity.verifyOne(null, child)).toMatchObject({ ok: true, entries: chain.length });
    }
    const after = await state();
    expect(after.entries - before.entries).toBe(250);
    expect(after.checkpoints - before.checkpoints).toBe(3);
    expect(after.audit - before.audit).toBe(3);
  });

  for (const at of [0, 230]) {
    it(`a refusal of the INSERT (item ${at}) is the error the caller sees, and nothing of the batch is written`, async () => {
      const before = await state();
      const missing = randomUUID();
      const drafts: Draft[] = Array.from({ length: 250 }, (_, i) => ({
        child_id: kids[i % 3], kind: 'police_incident', occurred_at: new Date('2026-02-01T22:15:00Z'), author_id: null,
        author_name: 'Police case system', author_role: 'agency_system', author_agency_id: i === at ? missing : w.police,
        via_token_id: agency.id, concerns: [], narrative: `Incident ${i}.`, data: {}, supersedes_id: null, correction_reason: null,
      }));
      const refused = s.database.db.transaction().execute((tx) => appendEntries(tx, s.sealer, drafts));
      await expect(refused).rejects.toMatchObject({ code: '23503', message: expect.stringContaining(`missing agency ${missing}`) });
      expect(await state()).toEqual(before);
    });
  }

  it('an entry that cannot be hashed leaves nothing written', async () => {
    const before = await state();
    // A lone surrogate passes the schema but not canonical JSON: hashing item 230 throws.
    const items = Array.from({ length: 250 }, (_, i) => (i === 230 ? { ...incident(kids[0], i), narrative: 'Broken \ud800 text' } : incident(kids[i % 3], i)));
    await expect(s.record.appendBatch(agency, items)).rejects.toThrow('Lone surrogate');
    expect(await state()).toEqual(before);
  });
});
