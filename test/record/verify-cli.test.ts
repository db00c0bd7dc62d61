import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { buildServices, type Services } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openPglite } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrate.js';
import type { StoredLink } from '../../src/record/chain.js';
import { chainOf } from '../../src/record/store.js';
import { onPostgres, testServices, TEST_SEAL_KEY } from '../support/db.js';
import { homeVisit, world, type World } from '../support/fixtures.js';
import { asAttacker } from '../support/tamper.js';

/** Runs `node bin/sightline.js verify …` as an operator would, against `env`'s database. */
function verifyCli(env: Record<string, string>, args: string[] = []): Promise<{ code: number; stdout: string }> {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.DATA_DIR;
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/sightline.js', 'verify', ...args], { env: { ...base, LOG_LEVEL: 'silent', SEAL_KEY: TEST_SEAL_KEY, ...env }, timeout: 120_000 }, (err, stdout) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout });
    });
  });
}

/** Where the CLI finds the database: this test's PostgreSQL database, or a PGlite data dir. */
interface Target {
  env: Record<string, string>;
  open(): Promise<Services>;
  /** Lets the CLI in: PGlite admits one process at a time. */
  release(s: Services): Promise<void>;
  done(): Promise<void>;
}

async function postgresTarget(): Promise<Target> {
  const s = await testServices();
  const name = (await sql<{ db: string }>`SELECT current_database() AS db`.execute(s.database.db)).rows[0].db;
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return { env: { DATABASE_URL: url.toString() }, open: async () => s, release: async () => {}, done: () => s.database.close() };
}

/** A PGlite data dir made the way an operator's is: services started on it, seeded, then closed. */
async function pgliteTarget(): Promise<Target> {
  const dir = path.resolve(`.test-cache/verify-cli-${randomBytes(4).toString('hex')}`);
  const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dir, SEAL_KEY: TEST_SEAL_KEY } as NodeJS.ProcessEnv);
  return {
    env: { DATA_DIR: dir },
    open: async () => {
      const database = await openPglite({ dataDir: dir });
      await migrate(database.db);
      return buildServices(database, config, TEST_SEAL_KEY);
    },
    release: (s) => s.database.close(),
    done: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

let target: Target;
let w: World;
let links: StoredLink[];
beforeAll(async () => {
  target = onPostgres ? await postgresTarget() : await pgliteTarget();
  const s = await target.open();
  w = await world(s);
  for (const n of [1, 2, 3]) await s.record.append(w.actors.worker, w.child, homeVisit({ narrative: `Visit ${n}.` }));
  links = await chainOf(s.database.db, w.child);
  await target.release(s);
});
afterAll(() => target.done());

describe(`npx sightline verify (${onPostgres ? 'PostgreSQL' : 'PGlite data dir'})`, () => {
  it('exits 0 when every record is intact', async () => {
    const r = await verifyCli(target.env);
    expect(r.stdout).toContain('All 1 records intact (3 entries).');
    expect(r.code).toBe(0);
  });

  it('exits 1 and prints the first bad entry of a tampered record', async () => {
    const s = await target.open();
    await asAttacker(s.database.db, (tx) => sql`UPDATE entries SET narrative = 'Nothing to worry about.' WHERE id = ${links[1].id}`.execute(tx));
    await target.release(s);
    const all = await verifyCli(target.env);
    expect(all.code).toBe(1);
    expect(all.stdout).toContain(`TAMPERED child ${w.child}: modified at entry 2 (${links[1].id})`);
    expect(all.stdout).toContain('1 of 1 records failed verification.');
    const one = await verifyCli(target.env, [w.child]);
    expect(one.code).toBe(1);
    expect(JSON.parse(one.stdout)).toMatchObject({ ok: false, child_id: w.child, problem: 'modified', firstBadEntryId: links[1].id, firstBadSeq: 2 });
  });
});
