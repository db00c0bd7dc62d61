import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, buildServices, type Services } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openPglite, openPostgres, type Database } from '../../src/db/connect.js';
import { allocate } from '../../src/people/store.js';
import { CLOCK_NOTICE_QUEUE, ClockTimers, pgBossDb, scheduleClockTimers, sendClockNotice, type TimerLog } from '../../src/process/timers.js';
import { TEST_SEAL_KEY, freshDatabase, onPostgres, testServices } from '../support/db.js';
import { PASSWORD, newChild, world, type World } from '../support/fixtures.js';
import { TEMPLATE_FILE } from '../support/paths.js';

/**
 * Deadline timers on the police-protection clock (EP1: 72 hours, due soon 12 hours before), which
 * can be set to fall seconds from now: the worker, the officer who took the child and, once overdue,
 * the worker's manager are told, each once.
 */
const POLL_SECONDS = 0.5;
const HOUR = 3_600_000;
type App = Awaited<ReturnType<typeof buildApp>>;

const warnings: object[] = [];
const log: TimerLog = { info: () => {}, warn: (o) => warnings.push(o) };

async function until<T>(what: string, f: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function token(app: App, email: string): Promise<string> {
  return (await app.inject({ method: 'POST', url: '/api/auth/token', payload: { email, password: PASSWORD } })).json().token;
}

async function step(app: App, bearer: string, child: string, body: Record<string, unknown>) {
  const res = await app.inject({ method: 'POST', url: `/api/children/${child}/process/steps`, headers: { authorization: `Bearer ${bearer}` }, payload: body });
  expect(res.statusCode, res.body).toBe(201);
}

const policeProtection = (at: Date) => ({ step: 'police_protection_started', occurred_at: at.toISOString(), data: { place_of_safety: 'Northmoor police station' } });

/** Deadline notices sent about the child, as "recipient kind" lines, sorted. */
async function deadlineNotices(db: Services['database']['db'], child: string): Promise<string[]> {
  const rows = await db.selectFrom('notifications').select(['recipient_id', 'kind']).where('child_id', '=', child).where('kind', 'like', 'deadline_%').execute();
  return rows.map((r) => `${r.recipient_id} ${r.kind}`).sort();
}

/** The child's timer jobs by state. */
async function jobs(db: Services['database']['db'], child: string): Promise<{ kind: string; state: string }[]> {
  const r = await sql<{ kind: string; state: string }>`SELECT data->>'kind' AS kind, state::text AS state FROM pgboss.job
    WHERE name = ${CLOCK_NOTICE_QUEUE} AND data->>'childId' = ${child} ORDER BY kind`.execute(db);
  return r.rows;
}
const allDone = async (db: Services['database']['db'], child: string) => {
  const js = await jobs(db, child);
  return js.length > 0 && js.every((j) => j.state === 'completed');
};

const expected = (w: World) => [
  `${w.actors.worker.id} deadline_due_soon`,
  `${w.actors.worker.id} deadline_overdue`,
  `${w.actors.police.id} deadline_due_soon`,
  `${w.actors.police.id} deadline_overdue`,
  `${w.actors.manager.id} deadline_overdue`,
].sort();

describe('deadline timers', () => {
  let s: Services;
  let w: World;
  let app: App;
  let police: string;
  let worker: string;

  beforeAll(async () => {
    s = await testServices();
    w = await world(s);
    app = await buildApp(s);
    police = await token(app, w.emails.police);
    worker = await token(app, w.emails.worker);
  });
  afterAll(async () => {
    await app.close();
    await s.database.close();
  });

  it('sends one due-soon notice and one overdue notice, the manager told only once overdue', async () => {
    await step(app, police, w.child, policeProtection(new Date(Date.now() - 72 * HOUR + 3000)));
    const timers = new ClockTimers(s.database.db, POLL_SECONDS);
    await timers.start(log);
    try {
      await until('the overdue notice', async () => (await deadlineNotices(s.database.db, w.child)).length === 5);
      await until('every timer job to finish', () => allDone(s.database.db, w.child));
    } finally {
      await timers.stop();
    }
    expect(await deadlineNotices(s.database.db, w.child)).toEqual(expected(w));
    const notices = await sql<{ kind: string; recipients: number }>`SELECT kind, recipients FROM process_clock_notices WHERE child_id = ${w.child} ORDER BY kind`.execute(s.database.db);
    expect(notices.rows).toEqual([{ kind: 'due_soon', recipients: 2 }, { kind: 'overdue', recipients: 3 }]);

    // A job that runs again (a retry, a duplicate) sends nothing more, and nothing is left to schedule.
    const [clock] = (await sql<{ key: string }>`SELECT key FROM process_clocks WHERE child_id = ${w.child} AND code = 'EP1'`.execute(s.database.db)).rows;
    expect(await sendClockNotice(s.database.db, { childId: w.child, clockKey: clock.key, kind: 'overdue' })).toBe('already_sent');
    expect(await sendClockNotice(s.database.db, { childId: w.child, clockKey: clock.key, kind: 'due_soon' })).toBe('superseded');
    await s.database.db.transaction().execute((tx) => scheduleClockTimers(tx, w.child));
    expect(await jobs(s.database.db, w.child)).toHaveLength(2);
    expect(await deadlineNotices(s.database.db, w.child)).toHaveLength(5);
    const overdue = await s.database.db.selectFrom('notifications').select(['title', 'body']).where('child_id', '=', w.child).where('kind', '=', 'deadline_overdue').executeTakeFirstOrThrow();
    expect(overdue.title).toBe('Overdue: Police protection (s46) ends');
    expect(overdue.body).toMatch(/\(EP1\) was due by \d+ \w+ \d{4} at .+ \(UK time\) and has not been recorded\./);
    expect(warnings).toEqual([]);
  });

  it('sends nothing for a clock met before its timers run', async () => {
    const child = await newChild(s, { given_name: 'Robin', family_name: 'Testchild', date_of_birth: '2022-05-01' });
    await allocate(s.database.db, child, w.actors.worker.id, w.team, w.actors.manager.id);
    const started = new Date(Date.now() - 80 * HOUR);
    await step(app, police, child, policeProtection(started));
    expect((await jobs(s.database.db, child)).map((j) => j.kind)).toEqual(['due_soon', 'overdue']);
    // Scheduling the same clocks again adds no job.
    await s.database.db.transaction().execute((tx) => scheduleClockTimers(tx, child));
    expect(await jobs(s.database.db, child)).toHaveLength(2);
    await step(app, worker, child, { step: 'police_protection_ended', occurred_at: new Date(started.getTime() + HOUR).toISOString(), data: { outcome: 'returned_home' } });

    const timers = new ClockTimers(s.database.db, POLL_SECONDS);
    await timers.start(log);
    try {
      await until('both timer jobs to finish', () => allDone(s.database.db, child));
    } finally {
      await timers.stop();
    }
    expect(await deadlineNotices(s.database.db, child)).toEqual([]);
    const notices = await sql`SELECT 1 FROM process_clock_notices WHERE child_id = ${child}`.execute(s.database.db);
    expect(notices.rows).toEqual([]);
    expect(warnings).toEqual([]);
  });
});

describe('pg-boss on our connections', () => {
  let s: Services;
  beforeAll(async () => {
    s = await testServices();
  });
  afterAll(async () => {
    await s.database.close();
  });

  it('runs its maintenance, and a failed BEGIN ... COMMIT leaves the connection usable', async () => {
    const db = pgBossDb(s.database.db);
    await new PgBoss({ db, schema: 'pgboss', schedule: false, migrate: false }).maintain();
    await expect(db.executeSql('BEGIN; SELECT 1 / 0; COMMIT;', [])).rejects.toThrow(/division by zero/);
    expect((await db.executeSql('SELECT 1 AS one', [])).rows).toEqual([{ one: 1 }]);
    expect(await s.database.db.selectFrom('agencies').select('id').execute()).toEqual([]);
  });
});

/** The same database opened, closed and opened again: a PGlite data directory, or one PostgreSQL database. */
async function reopenable(): Promise<{ open(): Promise<Database>; dispose(): Promise<void> }> {
  if (onPostgres) {
    const base = await freshDatabase();
    const name = (await sql<{ name: string }>`SELECT current_database() AS name`.execute(base.db)).rows[0].name;
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${name}`;
    return { open: () => openPostgres(url.toString()), dispose: () => base.close() };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-timers-'));
  let loaded = false;
  return {
    open: () => {
      const loadDataDir = loaded ? undefined : new Blob([fs.readFileSync(TEMPLATE_FILE)]);
      loaded = true;
      return openPglite({ dataDir: dir, loadDataDir });
    },
    dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

describe('a restart between scheduling and firing', () => {
  it('still sends the overdue notice, once', async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: '.test-cache/data', SEAL_KEY: TEST_SEAL_KEY, TIMER_POLL_SECONDS: String(POLL_SECONDS) } as NodeJS.ProcessEnv);
    const store = await reopenable();
    try {
      // First run: the step is recorded with the server's timers running, and the server stops before the clock is overdue.
      const first = buildServices(await store.open(), config, TEST_SEAL_KEY);
      const w = await world(first);
      const app = await buildApp(first);
      const police = await token(app, w.emails.police);
      await first.timers.start(log);
      await step(app, police, w.child, policeProtection(new Date(Date.now() - 72 * HOUR + 8000)));
      await first.timers.stop();
      await app.close();
      expect(await deadlineNotices(first.database.db, w.child), 'the first run must stop before the clock is overdue').not.toContain(`${w.actors.manager.id} deadline_overdue`);
      expect((await jobs(first.database.db, w.child)).find((j) => j.kind === 'overdue')?.state).toBe('created');
      await first.database.close();

      // Second run, on the same database: the waiting job fires once its time comes.
      const second = buildServices(await store.open(), config, TEST_SEAL_KEY);
      await second.timers.start(log);
      try {
        await until('the overdue notice after the restart', async () => (await deadlineNotices(second.database.db, w.child)).length === 5, 20_000);
        await until('every timer job to finish', () => allDone(second.database.db, w.child));
      } finally {
        await second.timers.stop();
      }
      expect(await deadlineNotices(second.database.db, w.child)).toEqual(expected(w));
      expect(warnings).toEqual([]);
      await second.database.close();
    } finally {
      await store.dispose();
    }
  });
});
