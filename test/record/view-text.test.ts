import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src/app.js';
import { buildApp } from '../../src/app.js';
import { testServices } from '../support/db.js';
import { homeVisit, PASSWORD, world, type World } from '../support/fixtures.js';
import { asAttacker } from '../support/tamper.js';

/** Each entry stores its own API JSON (migration 0012); verification holds it to the hashed columns. */
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
const asSent = (v: unknown) => JSON.parse(JSON.stringify(v));

describe('stored entry JSON', () => {
  it('is written with every new entry', async () => {
    const rows = await s.database.db.selectFrom('entries').select(['id', 'view_text']).where('child_id', '=', w.child).execute();
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r.view_text).toMatch(/^\{"id":/);
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
