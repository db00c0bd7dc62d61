import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { sql } from 'kysely';
import { openPostgres } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { loadConfig } from '../src/config.js';
import { buildServices, type Services } from '../src/app.js';
import { createAgency, createPractitioner, createTeam } from '../src/agencies/store.js';

/** What to undo if the run is interrupted (Ctrl-C, timeout): newest first. */
const undo: (() => Promise<void>)[] = [];
export async function undoAll(): Promise<void> {
  while (undo.length) await undo.pop()!().catch(() => undefined);
}
/** Registers `onSignal` until the returned function undoes the same thing the ordinary way. */
function onInterrupt(onSignal: () => Promise<void>, ordinary = onSignal): () => Promise<void> {
  undo.push(onSignal);
  return async () => {
    undo.splice(undo.indexOf(onSignal), 1);
    await ordinary();
  };
}

/** A PostgreSQL server to benchmark against: BENCH_DATABASE_URL, or a throwaway one we start and stop. */
export interface Server {
  url: string;
  stop(): Promise<void>;
}

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.createServer().once('error', () => resolve(false)).once('listening', () => s.close(() => resolve(true)));
    s.listen(port, '127.0.0.1');
  });

export async function server(): Promise<Server> {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, stop: async () => {} };
  let port = Number(process.env.BENCH_PORT ?? 55450);
  while (!(await portFree(port))) port++;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-pg-'));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  const url = execFileSync('scripts/test-postgres.sh', ['start', data, String(port)], { encoding: 'utf8' }).trim();
  const stop = onInterrupt(async () => {
    execFileSync('scripts/test-postgres.sh', ['stop', data]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { url, stop };
}

/** A fresh, migrated database of its own on `url`, with services built over it; `drop` removes it. */
export async function benchServices(url: string): Promise<{ s: Services; drop(): Promise<void>; databaseUrl: string; sealKey: string }> {
  const name = `sightline_bench_${randomBytes(5).toString('hex')}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openPostgres(u.toString());
  await migrate(database.db);
  const sealKey = randomBytes(32).toString('hex');
  const config = loadConfig({ LOG_LEVEL: 'silent', SEAL_KEY: sealKey, DATA_DIR: os.tmpdir() } as NodeJS.ProcessEnv);
  const dropDatabase = () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  // Interrupted, FORCE ends our own pool's connections rather than waiting for queries in flight.
  const drop = onInterrupt(dropDatabase, async () => {
    await database.close();
    await dropDatabase();
  });
  return { s: buildServices(database, config, sealKey), drop, databaseUrl: u.toString(), sealKey };
}

/** The server settings that matter for these numbers, recorded beside them. */
export async function settings(s: Services): Promise<Record<string, string>> {
  const names = ['server_version', 'shared_buffers', 'work_mem', 'fsync', 'synchronous_commit', 'full_page_writes', 'wal_level', 'max_wal_size'];
  const rows = await sql<{ name: string; setting: string }>`SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name = ANY(${names})`.execute(s.database.db);
  return Object.fromEntries(rows.rows.map((r) => [r.name, r.setting]));
}

export function median(xs: number[]): number {
  const a = [...xs].sort((x, y) => x - y);
  const m = Math.floor(a.length / 2);
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

export const round = (x: number, places = 2) => Math.round(x * 10 ** places) / 10 ** places;

/** What every benchmark reports besides its own numbers. */
// The load average is recorded because the machine may be shared: it says how quiet the run was.
export const machine = () => ({ cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.release()}`, load_avg_1m_at_end: round(os.loadavg()[0]) });

/** Progress goes to stderr so that stdout stays one JSON line. */
export const log = (msg: string) => process.stderr.write(`${msg}\n`);

/**
 * The real server, `sightline start`, in its own process on a random port from `portBase`: a client in
 * the same process would share one event loop with the server and count its own work as the server's.
 */
export async function startServer(databaseUrl: string, sealKey: string, portBase: number): Promise<{ base: string; stop(): void }> {
  const port = portBase + Math.floor(Math.random() * 2000);
  const child = spawn(process.execPath, ['bin/sightline.js', 'start'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, SEAL_KEY: sealKey, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'no', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    if (await fetch(`${base}/health`).then((r) => r.ok, () => false)) return { base, stop: () => child.kill('SIGTERM') };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start');
}

/** Benchshire: a local authority with a team, its police and health agencies, and a way to add its practitioners. */
export async function benchshire(s: Services) {
  const db = s.database.db;
  const la = await createAgency(db, { kind: 'local_authority', name: 'Benchshire Council', code: 'BSC', jurisdiction: 'england' });
  const police = await createAgency(db, { kind: 'police', name: 'Benchshire Police', code: 'BSP', jurisdiction: 'england' });
  const health = await createAgency(db, { kind: 'health', name: 'Benchshire NHS Trust', code: 'BSH', jurisdiction: 'england' });
  const team = await createTeam(db, la, 'Assessment Team');
  const practitioner = (email: string, role: string, extra: object = {}) =>
    createPractitioner(db, { agency_id: la, team_id: team, email, display_name: email.split('@')[0], role, qualified_social_worker: true, ...extra } as never);
  return { la, police, health, team, practitioner };
}
