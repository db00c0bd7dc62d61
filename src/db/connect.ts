import path from 'node:path';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { DB } from './schema.js';
import { lockDataDir } from './lock.js';

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  close(): Promise<void>;
  /** The embedded instance, when kind is 'pglite' (tests dump and load it). */
  pglite?: import('@electric-sql/pglite').PGlite;
}

// Return dates as strings: calendar dates must not shift with the server's time zone.
pg.types.setTypeParser(1082, (v: string) => v);
// bigint counts fit comfortably in a JS number for our purposes.
pg.types.setTypeParser(20, (v: string) => Number(v));

export async function openPostgres(url: string, max = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle connection that the server ends (restart, failover, admin) is dropped from the pool and
  // replaced on next use; without a listener node-postgres would crash the process instead.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

/** Embedded PostgreSQL (PGlite) in `<dataDir>/pglite`, or in memory, optionally loaded from a dump. */
export async function openPglite(opts: { dataDir?: string; loadDataDir?: Blob }): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const unlock = opts.dataDir ? lockDataDir(opts.dataDir) : () => {};
  try {
    const lite = await PGlite.create({
      dataDir: opts.dataDir ? path.join(opts.dataDir, 'pglite') : undefined,
      loadDataDir: opts.loadDataDir,
    });
    const pool = new pg.Pool(createPgConfig(lite) as unknown as pg.PoolConfig);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: 'pglite',
      pglite: lite,
      close: async () => {
        await db.destroy();
        await lite.close();
        unlock();
      },
    };
  } catch (e) {
    unlock();
    throw e;
  }
}

export function openDatabase(cfg: { DATABASE_URL?: string; dataDir: string }): Promise<Database> {
  return cfg.DATABASE_URL ? openPostgres(cfg.DATABASE_URL) : openPglite({ dataDir: cfg.dataDir });
}
