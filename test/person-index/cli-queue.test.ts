import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { buildApp, type Services } from '../../src/app.js';
import { linkCommand } from '../../src/matching/cli-link.js';
import { queueUncertain } from '../../src/person-index/cli-queue.js';
import { testServices } from '../support/db.js';
import { world, type World } from '../support/fixtures.js';
import { bearer } from '../access/support.js';

// The fictional social care file of test/matching/fixtures: eight duplicate pairs (certain) and twins
// who share everything but the given name (uncertain: a person must look).
const fixture = (name: string) => path.resolve('test/matching/fixtures', name);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-queue-'));
const args = (out: string, agency: string) => [fixture('children-a.csv'), '--columns', fixture('children-a.json'), '--params', fixture('children-params.json'), '--out', out, '--review-queue', '--agency', agency];

let s: Services;
let w: World;
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  s = await testServices();
  w = await world(s);
  app = await buildApp(s);
});
afterAll(async () => {
  await app.close();
  await s.database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const count = async (table: 'agency_records' | 'review_items') => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(s.database.db)).rows[0].n;

async function run(argv: string[]) {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const code = await linkCommand(argv, (r, agency) => queueUncertain(s.database.db, r, agency));
    return { code, stdout: log.mock.calls.flat().join('\n'), stderr: err.mock.calls.flat().join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

describe('sightline link --review-queue', () => {
  it('refuses an unknown agency and stores nothing', async () => {
    const r = await run(args(path.join(dir, 'x.csv'), '00000000-0000-4000-8000-000000000000'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('No agency has the id');
    expect(await count('agency_records')).toBe(0);
  });

  it("stores the rows as the agency's records and queues the uncertain pair, which a reviewer then decides", async () => {
    const r = await run(args(path.join(dir, 'pairs.csv'), w.school));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Stored 20 agency records; queued 1 uncertain pairs for review');
    expect(await count('agency_records')).toBe(20);
    const items = (await sql<{ id: string; a: string; b: string; probability: number }>`SELECT r.id, x.local_id AS a, y.local_id AS b, r.probability FROM review_items r
      JOIN agency_records x ON x.id = r.agency_record_id JOIN agency_records y ON y.id = r.other_record_id`.execute(s.database.db)).rows;
    expect(items.map((i) => [i.a, i.b])).toEqual([['O1', 'O2']]);
    expect(items[0].probability).toBeGreaterThanOrEqual(0.5);
    expect(items[0].probability).toBeLessThan(0.99);

    const manager = await bearer(app, w.emails.manager);
    const view = (await app.inject({ method: 'GET', url: `/api/person-index/reviews/${items[0].id}`, headers: manager })).json();
    expect(view.candidate).toMatchObject({ type: 'record', record: { local_id: 'O2', agency: 'Elm Street Primary' } });
    const sum = view.fields.reduce((n: number, f: { weight: number }) => n + f.weight, view.prior_weight);
    expect(sum).toBeCloseTo(view.match_weight, 9);
    const decided = await app.inject({ method: 'POST', url: `/api/person-index/reviews/${items[0].id}/decision`, headers: manager, payload: { decision: 'same', reason: 'One child entered twice by the school office' } });
    expect(decided.statusCode, decided.body).toBe(201);
    const links = (await sql<{ local_id: string; person_id: string }>`SELECT r.local_id, l.person_id FROM agency_record_links l JOIN agency_records r ON r.id = l.agency_record_id ORDER BY r.local_id`.execute(s.database.db)).rows;
    expect(links.map((l) => l.local_id)).toEqual(['O1', 'O2']);
    expect(links[0].person_id).toBe(decided.json().person_id);
    expect(links[1].person_id).toBe(decided.json().person_id);
  });

  it('needs --agency, and reaches the database the environment names', async () => {
    const cli = (argv: string[], env: Record<string, string>) => new Promise<{ code: number; stderr: string }>((resolve) => {
      const { DATABASE_URL: _ignored, ...inherited } = process.env;
      execFile(process.execPath, ['bin/sightline.js', 'link', ...argv], { timeout: 120_000, env: { ...inherited, ...env } }, (e, _out, stderr) => resolve({ code: e ? ((e as { code?: number }).code ?? -1) : 0, stderr }));
    });
    const out = path.join(dir, 'cli.csv');
    const noAgency = await cli(args(out, 'x').slice(0, -2), {});
    expect(noAgency.code).toBe(2);
    const r = await cli(args(out, '00000000-0000-4000-8000-000000000000'), { DATA_DIR: path.join(dir, 'data'), SEAL_KEY: 'test-seal-key-0123456789abcdef0123456789', LOG_LEVEL: 'silent' });
    expect(r.stderr).toContain('No agency has the id 00000000-0000-4000-8000-000000000000');
    expect(r.code).toBe(1);
  }, 120_000);
});
