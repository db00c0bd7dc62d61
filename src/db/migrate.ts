import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export function migrationFiles(): string[] {
  return fs.readdirSync(dir).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
}

/** Applies forward-only plain-SQL migrations, each in its own transaction. Returns the names applied. */
export async function migrate(db: Kysely<any>): Promise<string[]> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`.execute(db);
  const applied: string[] = [];
  for (const file of migrationFiles()) {
    const done = await db.transaction().execute(async (tx) => {
      // Serialises concurrent migrators on PostgreSQL; harmless on PGlite.
      await sql`SELECT pg_advisory_xact_lock(7301)`.execute(tx);
      const seen = await sql`SELECT 1 FROM schema_migrations WHERE version = ${file}`.execute(tx);
      if (seen.rows.length) return false;
      await sql.raw(fs.readFileSync(path.join(dir, file), 'utf8')).execute(tx);
      await sql`INSERT INTO schema_migrations (version) VALUES (${file})`.execute(tx);
      return true;
    });
    if (done) applied.push(file);
  }
  return applied;
}
