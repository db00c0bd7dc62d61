import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/auth/store.js';
import { notificationsFor } from '../../src/notifications/store.js';
import { onPostgres } from '../support/db.js';
import { processWorld, type ProcessWorld } from './steps-support.js';
import { stepsFor, type Steps } from './step-builders.js';

/**
 * Who reaches a child's statutory process: practitioners through the door (a child they cannot see
 * answers 404), never an agency system; the one exception is police protection (CA89 s46), which
 * any police officer can record, and the child's worker and manager hear of at once.
 */
let pw: ProcessWorld;
let b: Steps;
let token: Record<string, string>;
beforeAll(async () => {
  pw = await processWorld();
  b = stepsFor(pw.w);
  const t = await createApiToken(pw.s.database.db, { id: randomUUID(), agencyId: pw.w.police, name: 'Police system', entryKinds: ['police_notification'], createdBy: pw.w.actors.admin.id });
  token = { authorization: `Bearer ${t}` };
});
afterAll(() => pw.close());

const noticesFor = async (who: string, child: string) =>
  (await notificationsFor(pw.s.database.db, pw.w.actors[who].id)).filter((n) => n.child_id === child);

describe(`the process through the door (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('refuses an agency system token, to record a step or to read the process (403)', async () => {
    const child = await pw.child();
    const post = await pw.app.inject({ method: 'POST', url: `/api/children/${child}/process/steps`, headers: token, payload: b.referral() });
    expect(post.statusCode).toBe(403);
    const get = await pw.app.inject({ method: 'GET', url: `/api/children/${child}/process`, headers: token });
    expect(get.statusCode).toBe(403);
    expect(await pw.entryIds(child)).toEqual([]);
  });

  it('answers 404 to a practitioner with no relationship, for a step and for the process, as for a child that does not exist', async () => {
    const child = await pw.child();
    for (const id of [child, randomUUID()]) {
      const step = await pw.step(id, b.referral(), 'dsl');
      expect(step.status).toBe(404);
      expect((await pw.process(id, 'dsl')).status).toBe(404);
      expect(step.body.detail).toBe('The record was not found, or you do not have a relationship that lets you see it.');
    }
    expect(await pw.entryIds(child)).toEqual([]);
  });

  it('lets a police officer with no relationship take the child into police protection; the worker and manager are told at once, the officer is not', async () => {
    const child = await pw.child();
    expect((await pw.process(child, 'police')).status).toBe(404);
    const res = await pw.step(child, b.pp('2026-11-26T22:15:00Z'), 'police');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(await pw.entryIds(child)).toEqual([res.body.entry.id]);
    for (const who of ['worker', 'manager']) {
      expect(await noticesFor(who, child), who).toMatchObject([{ kind: 'process_step', title: 'Police protection (s46) started', body: expect.stringContaining(res.body.entry.id) }]);
    }
    expect(await noticesFor('police', child)).toEqual([]);
    // Only police protection opens the door: the same officer cannot record another step.
    const other = await pw.child();
    expect((await pw.step(other, b.epo('2026-11-26'), 'police')).status).toBe(404);
  });

  it('an officer who took the child into police protection can then end it, as the author of the record of it', async () => {
    const child = await pw.child();
    await pw.step(child, b.pp('2026-11-26T22:15:00Z'), 'police');
    const ended = await pw.step(child, b.ppEnded('2026-11-27T06:00:00Z', 'accommodated'), 'police');
    expect(ended.status, JSON.stringify(ended.body)).toBe(201);
  });
});
