import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src/app.js';
import { buildApp } from '../../src/app.js';
import { testServices } from '../support/db.js';
import { homeVisit, PASSWORD, world, type World } from '../support/fixtures.js';
import { asAttacker } from '../support/tamper.js';
import { asSent } from '../support/chronology.js';
import { entryViewText, entryViewTextV1, LIST_TEXT_PREFIX, storedViewMatches, type StoredLink } from '../../src/record/chain.js';
import { chainOf } from '../../src/record/store.js';

/**
 * Each entry stores its own API JSON (migration 0012; the list form, version 2, since 2026-11-27);
 * verification holds it to the hashed columns, in the version it was stored in.
 */
let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
let bearer: string;
const ids: string[] = [];

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
  bearer = (await app.inject({ method: 'POST', url: '/api/auth/token', payload: { email: w.emails.worker, password: PASSWORD } })).json().token;
  for (const n of [1, 2, 3]) {
    ids.push((await s.record.append(w.actors.worker, w.child, homeVisit({ narrative: `Visit ${n}`, occurred_at: `2026-01-0${n}T10:00:00Z`, data: { present: ['Mother'], child_seen_alone: false, child_seen: true } }))).body.id);
  }
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

const sent = async () => (await app.inject({ method: 'GET', url: `/api/children/${w.child}/entries`, headers: { authorization: `Bearer ${bearer}` } })).json();

/** An entry as stored, with text that needs escaping. */
const link = {
  id: '6f1c2a8e-0d4b-4c1e-9a57-3b2f8e6d1c40', child_id: '0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d', seq: 7, kind: 'home_visit',
  occurred_at: new Date('2026-01-10T09:00:00.123Z'), recorded_at: new Date('2026-01-10T10:15:00Z'),
  author_id: null, author_name: 'Gran "Nan" \\ é', author_role: 'agency_system', author_agency_id: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e', via_token_id: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
  concerns: ['d1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f5a'], narrative: 'Line one\nline "two" 😀', data: { z: 1.5, a: [true, null], 'é': 'x' },
  supersedes_id: null, correction_reason: null, prev_hash: 'a'.repeat(64), hash: 'b'.repeat(64), seal: 'c'.repeat(64),
} satisfies StoredLink;
/** What migration 0012's code stored for `link` (computed with it before the list form was introduced). */
const storedInVersion1 = "{\"id\":\"6f1c2a8e-0d4b-4c1e-9a57-3b2f8e6d1c40\",\"child_id\":\"0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d\",\"seq\":7,\"kind\":\"home_visit\",\"occurred_at\":\"2026-01-10T09:00:00.123Z\",\"recorded_at\":\"2026-01-10T10:15:00.000Z\",\"concerns\":[\"d1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f5a\"],\"narrative\":\"Line one\\nline \\\"two\\\" 😀\",\"data\":{\"a\":[true,null],\"z\":1.5,\"é\":\"x\"},\"supersedes_id\":null,\"correction_reason\":null,\"hash\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\",\"prev_hash\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"author\":{\"id\":null,\"name\":\"Gran \\\"Nan\\\" \\\\ é\",\"role\":\"agency_system\",\"agency_id\":\"b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e\",\"via_token_id\":\"c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f\"";

describe('stored entry JSON', () => {
  it('is written with every new entry', async () => {
    const rows = await s.database.db.selectFrom('entries').select(['id', 'view_text']).where('child_id', '=', w.child).execute();
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r.view_text!.startsWith(LIST_TEXT_PREFIX)).toBe(true);
    const stored = await chainOf(s.database.db, w.child);
    for (const l of stored) expect(l.view_text).toBe(entryViewText(l));
  });

  it('version 1 is still produced byte for byte as migration 0012 stored it; a copy must match the version it claims', () => {
    expect(entryViewTextV1(link)).toBe(storedInVersion1);
    expect(storedViewMatches(link, storedInVersion1)).toBe(true);
    expect(storedViewMatches(link, entryViewText(link))).toBe(true);
    expect(JSON.parse(entryViewText(link))).toMatchObject({ seq: 7, author: { name: link.author_name }, narrative: link.narrative, data: link.data, superseded_by: null });
    // A correction cannot be planted in the stored copy: the read adds it, and the stored copy says null.
    expect(storedViewMatches(link, entryViewText(link).replace('"superseded_by":null', `"superseded_by":"${link.id}"`))).toBe(false);
    expect(storedViewMatches(link, storedInVersion1.replace('Line one', 'Line 1'))).toBe(false);
    expect(storedViewMatches(link, storedInVersion1.replace('{"id":', `${LIST_TEXT_PREFIX}7,"id":`))).toBe(false);
  });

  it('entries stored in version 1 are served in the list form all the same, and still verify', async () => {
    const [first] = await chainOf(s.database.db, w.child);
    await asAttacker(s.database.db, (tx) => tx.updateTable('entries').set({ view_text: entryViewTextV1(first) }).where('id', '=', ids[0]).execute());
    expect(await sent()).toEqual(asSent(await s.record.chronology(w.actors.worker, w.child, {})));
    expect((await s.integrity.verifyOne(null, w.child)).ok).toBe(true);
  });

  it('entries written before it (no stored JSON) are still served the same, and still verify', async () => {
    await asAttacker(s.database.db, (tx) => tx.updateTable('entries').set({ view_text: null }).where('id', '=', ids[1]).execute());
    expect(await sent()).toEqual(asSent(await s.record.chronology(w.actors.worker, w.child, {})));
    expect((await s.integrity.verifyOne(null, w.child)).ok).toBe(true);
  });

  it('a changed stored copy is named as the first bad entry, though the hashed columns are intact', async () => {
    await asAttacker(s.database.db, async (tx) => {
      const row = await tx.selectFrom('entries').select('view_text').where('id', '=', ids[2]).executeTakeFirstOrThrow();
      await tx.updateTable('entries').set({ view_text: row.view_text!.replace('Visit 3', 'Nothing to see') }).where('id', '=', ids[2]).execute();
    });
    const v = await s.integrity.verifyOne(null, w.child);
    expect(v).toMatchObject({ ok: false, problem: 'modified', firstBadEntryId: ids[2], firstBadSeq: 3 });
  });
});
