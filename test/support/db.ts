import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openPglite, openPostgres, type Database } from '../../src/db/connect.js';
import { TEMPLATE_FILE } from './paths.js';
import { loadConfig } from '../../src/config.js';
import { buildServices, type Services } from '../../src/app.js';

export const onPostgres = !!process.env.TEST_DATABASE_URL;
export const TEST_SEAL_KEY = 'test-seal-key-0123456789abcdef0123456789';

/** A fresh, migrated database for one test file: a copy of the run's template. */
export async function freshDatabase(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const blob = new Blob([fs.readFileSync(TEMPLATE_FILE)]);
    return openPglite({ loadDataDir: blob });
  }
  const name = `sightline_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const template = inject('templateDb');
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const d = await openPostgres(u.toString());
  return {
    ...d,
    close: async () => {
      await d.close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export async function testServices(): Promise<Services> {
  const database = await freshDatabase();
  const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: '.test-cache/data', SEAL_KEY: TEST_SEAL_KEY } as NodeJS.ProcessEnv);
  return buildServices(database, config, TEST_SEAL_KEY);
}
