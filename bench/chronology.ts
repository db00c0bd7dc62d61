/**
 * Latency of GET /api/children/:id/entries for a child with 5,000 entries, read by the allocated
 * worker over real HTTP on loopback from the real server in its own process, against the bare SQL for the same rows run in the same round:
 * the JSON query the route runs (from Node, and inside PostgreSQL by EXPLAIN ANALYZE), and the
 * store's row query (rows parsed into objects, as the pages use it).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql, type CompiledQuery, type Transaction } from 'kysely';
import type { DB } from '../src/db/schema.js';
import type { Actor } from '../src/access/actor.js';
import type { Services } from '../src/app.js';
import { actorFromToken, createApiToken } from '../src/auth/store.js';
import { allocate, insertPerson } from '../src/people/store.js';
import type { PersonInput } from '../src/people/schemas.js';
import { chronology, startChain } from '../src/record/store.js';
import { chronologyJson } from '../src/record/chronology-json.js';
import { benchServices, benchshire, log, machine, median, round, settings, startServer, timed } from './support.js';

const ENTRIES = 5000;
const REQUESTS_PER_ROUND = 15;
const PASSWORD = 'bench horse battery staple';

const day = (i: number) => new Date(Date.UTC(2019, 0, 1) + i * 8 * 3600_000).toISOString();
const narrative = (i: number) =>
  `Entry ${i}. Visited the family home; the child was seen and spoke about school and friends. ` +
  'Mother said the last week had been difficult. Agreed the next steps and when I will visit again.';

/** A child with ENTRIES entries from three agencies (1 in 50 corrects an earlier one), and their allocated worker. */
async function setUp(s: Services) {
  const db = s.database.db;
  const { la, police, health, team, practitioner } = await benchshire(s);
  const manager = await practitioner('bench-manager@example.test', 'team_manager');
  const worker = await practitioner('bench-worker@example.test', 'social_worker', { manager_id: manager, password: PASSWORD });
  const child = await db.transaction().execute(async (tx) => {
    const id = await insertPerson(tx, { kind: 'child', given_name: 'Bench', family_name: 'Child', sex: 'unknown', date_of_birth: '2018-06-01', local_ids: [] } as unknown as PersonInput, null);
    await startChain(tx, s.sealer, id);
    return id;
  });
  await allocate(db, child, worker, team, manager);
  const token = async (agency: string, kinds: string[]) =>
    (await actorFromToken(db, await createApiToken(db, { agencyId: agency, name: `Bench ${kinds[0]}`, entryKinds: kinds, createdBy: manager, id: randomUUID() })))!;
  const writers: { actor: Actor; item: (i: number) => object }[] = [
    { actor: { type: 'practitioner', id: worker, name: 'bench-worker', role: 'social_worker', agencyId: la, teamId: team, qualifiedSocialWorker: true },
      item: (i) => ({ kind: 'home_visit', occurred_at: day(i), narrative: narrative(i), data: { child_seen: true, child_seen_alone: i % 3 === 0, present: ['Mother'] } }) },
    { actor: await token(police, ['police_incident']),
      item: (i) => ({ kind: 'police_incident', occurred_at: day(i), narrative: narrative(i), data: { incident_type: 'concern_for_welfare', reference: `BSP-${i}` } }) },
    { actor: await token(health, ['health_appointment']),
      item: (i) => ({ kind: 'health_appointment', occurred_at: day(i), narrative: narrative(i), data: { service: 'Health visiting', outcome: i % 7 ? 'attended' : 'was_not_brought' } }) },
  ];
  let written = 0;
  const workerEntries: string[] = [];
  while (written < ENTRIES) {
    const w = writers[Math.floor(written / 1000) % writers.length];
    const n = Math.min(1000, ENTRIES - written);
    const items = Array.from({ length: n }, (_, k) => {
      const i = written + k;
      const corrects = w.actor.type === 'practitioner' && k % 50 === 49 ? workerEntries[k] : undefined;
      return { child_id: child, ...w.item(i), ...(corrects ? { supersedes_id: corrects, correction_reason: 'Wrong date recorded first time' } : {}) };
    });
    const res = await s.record.appendBatch(w.actor, items);
    if (w.actor.type === 'practitioner') workerEntries.push(...res.body.entries.map((e) => e.id));
    written += n;
  }
  // As autovacuum would after a bulk load: the planner should know this child has 5,000 entries.
  await sql`ANALYZE`.execute(db);
  return { child, workerEmail: 'bench-worker@example.test', workerActor: writers[0].actor };
}

/** The SQL statements a store function runs, with their parameters written in, for EXPLAIN ANALYZE. */
async function capturedSql(run: (db: Kysely<DB>) => Promise<unknown>): Promise<string[]> {
  const compiled: CompiledQuery[] = [];
  const capture = new Kysely<DB>({
    dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (k) => new PostgresIntrospector(k), createQueryCompiler: () => new PostgresQueryCompiler() },
    log: (e) => void compiled.push(e.query),
  });
  await run(capture).catch(() => undefined);
  if (!compiled.length) throw new Error('no query captured');
  const literal = (v: unknown): string => (Array.isArray(v) ? `ARRAY[${v.map(literal).join(',')}]` : `'${String(v).replace(/'/g, "''")}'`);
  return compiled.map(({ sql: text, parameters }) => text.replace(/\$(\d+)/g, (_, n) => literal(parameters[Number(n) - 1])));
}

export async function run(url: string, rounds: number) {
  const { s, drop, databaseUrl, sealKey } = await benchServices(url);
  let server: { base: string; stop(): void } | undefined;
  try {
    const { child, workerEmail, workerActor } = await setUp(s);
    server = await startServer(databaseUrl, sealKey, 56000);
    const base = server.base;
    const signIn = await fetch(`${base}/api/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: workerEmail, password: PASSWORD }) });
    const { token } = (await signIn.json()) as { token: string };
    // node:http rather than fetch: the client's own cost of reading 5 MB should not count as ours.
    const get = () => new Promise<string>((resolve, reject) => {
      http.get(`${base}/api/children/${child}/entries`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString();
          if (res.statusCode === 200) resolve(body);
          else reject(new Error(`GET answered ${res.statusCode}: ${body.slice(0, 200)}`));
        });
      }).on('error', reject);
    });
    const sample = JSON.parse(await get()) as { entries: unknown[] };
    if (sample.entries.length !== ENTRIES) throw new Error(`expected ${ENTRIES} entries, got ${sample.entries.length}`);
    for (let i = 0; i < 5; i++) await get();
    const queries = await capturedSql((db) => chronologyJson(db, child, {}));
    // The route's query function runs in the door's transaction, where it turns JIT off; so do these.
    const bare = <T>(fn: (tx: Transaction<DB>) => Promise<T>) =>
      s.database.db.transaction().execute(async (tx) => {
        await sql`SET LOCAL jit = off`.execute(tx);
        return fn(tx);
      });
    // Every statement the route's query function runs (the entries, then the agencies that wrote them).
    const explainMs = () =>
      bare(async (tx) => {
        let ms = 0;
        for (const query of queries) {
          const r = await sql<{ 'QUERY PLAN': [{ 'Execution Time': number }] }>`EXPLAIN (ANALYZE, FORMAT JSON) ${sql.raw(query)}`.execute(tx);
          ms += r.rows[0]['QUERY PLAN'][0]['Execution Time'];
        }
        return ms;
      });
    const results = [];
    for (let r = 0; r < rounds; r++) {
      const http: number[] = [];
      const json: number[] = [];
      const rows: number[] = [];
      const server: number[] = [];
      const service: number[] = [];
      for (let i = 0; i < REQUESTS_PER_ROUND; i++) {
        http.push((await timed(get)).ms);
        service.push((await timed(() => s.record.chronologyJson(workerActor, child, {}))).ms);
        json.push((await timed(() => bare((tx) => chronologyJson(tx, child, {})))).ms);
        rows.push((await timed(() => chronology(s.database.db, child, {}))).ms);
        server.push(await explainMs());
      }
      const x = { http: median(http), service: median(service), json: median(json), rows: median(rows), server: median(server) };
      log(`round ${r + 1}: HTTP ${round(x.http, 1)} ms; service (door, audit, query) ${round(x.service, 1)} ms; bare SQL: JSON from Node ${round(x.json, 1)} ms, in PostgreSQL ${round(x.server, 1)} ms, rows as objects ${round(x.rows, 1)} ms`);
      results.push(x);
    }
    const httpMs = median(results.map((x) => x.http));
    return {
      machine: machine(),
      postgres: await settings(s),
      workload: { entries: ENTRIES, requests_per_round: REQUESTS_PER_ROUND, response_bytes: Buffer.byteLength(JSON.stringify(sample)) },
      http_median_ms: round(httpMs, 1),
      // The service call the route makes (door, relationship check, audit row, query), in this process.
      service_median_ms: round(median(results.map((x) => x.service)), 1),
      // The bare SQL for the same rows, outside the door and HTTP: the JSON query the route runs (from
      // Node, and inside PostgreSQL), and the store's row query that the pages use.
      sql_json_from_node_median_ms: round(median(results.map((x) => x.json)), 1),
      sql_json_in_postgres_median_ms: round(median(results.map((x) => x.server)), 1),
      sql_rows_as_objects_median_ms: round(median(results.map((x) => x.rows)), 1),
      target_ms: 50,
      met: httpMs < 50,
      per_round: results.map((x) => ({ http: round(x.http, 1), service: round(x.service, 1), sql_json: round(x.json, 1), sql_json_in_postgres: round(x.server, 1), sql_rows: round(x.rows, 1) })),
    };
  } finally {
    server?.stop();
    await drop();
  }
}
