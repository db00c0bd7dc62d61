import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src/app.js';
import { buildApp } from '../../src/app.js';
import { createApiToken } from '../../src/auth/store.js';
import { testServices } from '../support/db.js';
import { homeVisit, newChild, world, type World } from '../support/fixtures.js';

let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;
let token: string;
let kids: string[];

const incident = (childId: string, n: number) => ({
  child_id: childId,
  kind: 'police_incident',
  occurred_at: '2026-02-01T22:15:00Z',
  narrative: `Officers attended incident ${n}.`,
  data: { incident_type: 'domestic_abuse', reference: `NMP-${n}` },
});

async function counts() {
  const db = s.database.db;
  const one = async (t: 'entries' | 'audit_events' | 'idempotency_keys') =>
    Number((await db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const heads = await db.selectFrom('chain_heads').select(['child_id', 'seq', 'hash']).orderBy('child_id').execute();
  return { entries: await one('entries'), audit: await one('audit_events'), keys: await one('idempotency_keys'), heads };
}

const post = (body: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/entries/batch', headers: { authorization: `Bearer ${token}`, ...headers }, payload: body as object });

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  kids = [w.child, await newChild(s, { given_name: 'Robin' }), await newChild(s, { given_name: 'Kit' })];
  token = await createApiToken(s.database.db, { agencyId: w.police, name: 'Police case system', entryKinds: ['police_incident', 'contact_referral'], createdBy: w.actors.admin.id, id: randomUUID() });
  app = await buildApp(s);
});
afterAll(async () => {
  await app.close();
  await s.database.close();
});

describe('batch append for agency systems', () => {
  it('chains a valid batch across children, audits each child once, and every chain verifies', async () => {
    const before = await counts();
    // The same child in upper case is the same child (the API accepts either).
    const items = [incident(kids[0], 1), incident(kids[1], 2), incident(kids[0].toUpperCase(), 3), incident(kids[2], 4), incident(kids[0], 5)];
    const res = await post({ items });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.count).toBe(5);
    expect(body.entries.map((e: { child_id: string }) => e.child_id)).toEqual(items.map((i) => i.child_id.toLowerCase()));
    const first = body.entries.filter((e: { child_id: string }) => e.child_id === kids[0]);
    expect(first.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3]);
    expect(first[1].prev_hash).toBe(first[0].hash);
    expect(first[2].prev_hash).toBe(first[1].hash);
    for (const k of kids) expect(await s.integrity.verifyOne(null, k)).toMatchObject({ ok: true });
    const after = await counts();
    expect(after.entries - before.entries).toBe(5);
    const audits = await s.database.db.selectFrom('audit_events').select(['child_id', 'action', 'basis', 'detail']).where('action', '=', 'append_entries').execute();
    expect(audits.map((a) => a.child_id).sort()).toEqual([...kids].sort());
    const forFirst = audits.find((a) => a.child_id === kids[0])!;
    expect(forFirst.basis).toBe('own_agency_entries');
    expect((forFirst.detail as { entry_ids: string[] }).entry_ids).toEqual(first.map((e: { id: string }) => e.id));
    // The agency system sees the entries in the child's chronology.
    const chron = await app.inject({ method: 'GET', url: `/api/children/${kids[0]}/entries`, headers: { authorization: `Bearer ${token}` } });
    expect(chron.json().entries).toHaveLength(3);
  });

  it('one bad item writes nothing and the 422 names its index and field', async () => {
    const before = await counts();
    const bad = { ...incident(kids[1], 7), data: { incident_type: 'not-a-type' } };
    const res = await post({ items: [incident(kids[0], 6), bad, { ...incident(kids[2], 8), child_id: 'nope' }] });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toContain('items.1.data.incident_type');
    expect(paths).toContain('items.2.child_id');
    expect(paths.some((p: string) => p.startsWith('items.0'))).toBe(false);
    expect(await counts()).toEqual(before);
  });

  it('refuses more than 1,000 items, a kind outside the token, and an unknown child, writing nothing', async () => {
    const before = await counts();
    const tooMany = await post({ items: Array.from({ length: 1001 }, (_, i) => incident(kids[0], i)) });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().errors[0].path).toBe('items');
    const outOfScope = await post({ items: [incident(kids[0], 9), { ...homeVisit(), child_id: kids[1] }] });
    expect(outOfScope.statusCode).toBe(403);
    expect(outOfScope.json().errors[0].path).toBe('items.1.kind');
    const unknownChild = await post({ items: [incident(kids[0], 10), incident(randomUUID(), 11)] });
    expect(unknownChild.statusCode).toBe(404);
    expect(unknownChild.json().detail).toContain('item 1');
    expect(await counts()).toEqual(before);
  });

  it('checks a practitioner against each child: one child they cannot see refuses the whole batch', async () => {
    const before = await counts();
    const visit = (childId: string) => ({ ...homeVisit(), child_id: childId });
    await expect(s.record.appendBatch(w.actors.worker, [visit(w.child), visit(kids[1])])).rejects.toMatchObject({ status: 404 });
    expect(await counts()).toEqual(before);
    const ok = await s.record.appendBatch(w.actors.worker, [visit(w.child), visit(w.child)]);
    expect(ok.body.entries.map((e) => e.seq)).toEqual([before.heads.find((h) => h.child_id === w.child)!.seq + 1, before.heads.find((h) => h.child_id === w.child)!.seq + 2]);
  });

  it('a correction in a batch must correct an entry of the same child', async () => {
    const first = (await post({ items: [incident(kids[1], 30)] })).json().entries[0];
    const before = await counts();
    const elsewhere = await post({ items: [incident(kids[2], 31), { ...incident(kids[2], 32), supersedes_id: first.id, correction_reason: 'Wrong child recorded' }] });
    expect(elsewhere.statusCode).toBe(409);
    expect(elsewhere.json().errors[0].path).toBe('items.1.supersedes_id');
    expect(await counts()).toEqual(before);
    const fixed = await post({ items: [{ ...incident(kids[1], 33), supersedes_id: first.id.toUpperCase(), correction_reason: 'Reference was wrong' }] });
    expect(fixed.statusCode).toBe(201);
    const viaToken = (await app.inject({ method: 'GET', url: `/api/children/${kids[1]}/entries`, headers: { authorization: `Bearer ${token}` } })).json();
    expect(viaToken.entries.find((e: { id: string }) => e.id === first.id).superseded_by).toBe(fixed.json().entries[0].id);
  });

  it('an idempotent retry returns the first response and records nothing more', async () => {
    const items = [incident(kids[1], 20), incident(kids[2], 21)];
    const first = await post({ items }, { 'idempotency-key': 'batch-key-0001' });
    expect(first.statusCode).toBe(201);
    const before = await counts();
    const again = await post({ items }, { 'idempotency-key': 'batch-key-0001' });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const after = await counts();
    expect(after.entries).toBe(before.entries);
    expect(after.heads).toEqual(before.heads);
    const different = await post({ items: [incident(kids[1], 22)] }, { 'idempotency-key': 'batch-key-0001' });
    expect(different.statusCode).toBe(422);
    expect((await counts()).entries).toBe(before.entries);
  });
});
