import fs from 'node:fs';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { openPglite } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrate.js';
import type { TestProject } from 'vitest/node';
import { TEMPLATE_FILE } from './paths.js';

/** Migrates once per run: a PGlite dump, or a PostgreSQL template database that each test file copies. */
export default async function setup(project: TestProject) {
  fs.mkdirSync('.test-cache', { recursive: true });
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const d = await openPglite({});
    await migrate(d.db);
    const blob = await d.pglite!.dumpDataDir('none');
    // Write then rename, so a concurrent run never reads a half-written template.
    const tmp = `${TEMPLATE_FILE}.${process.pid}`;
    fs.writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
    fs.renameSync(tmp, TEMPLATE_FILE);
    await d.close();
    return;
  }
  const name = `sightline_template_${process.pid}`;
  project.provide('templateDb', name);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: u.toString(), max: 1 }) }) });
  await migrate(db);
  await db.destroy();
  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  };
}
