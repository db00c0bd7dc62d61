import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { DataDirLockedError } from '../db/lock.js';
import { migrate } from '../db/migrate.js';
import { buildApp, buildServices } from '../app.js';
import { loadSealKey } from '../record/seal-key.js';
import { seedDemo, isEmpty } from '../demo/seed.js';
import { DEMO_PASSWORD, demoAccounts } from '../demo/accounts.js';
import { dueCommand, rulesCommand } from './process.js';

const usage = `Usage: sightline <command>

Commands:
  start            migrate, seed demo data on first start, and serve the web app and API
  migrate          apply database migrations
  seed             add the demo data (refuses if the database already has agencies)
  verify [CHILD]   prove every child's record (or one) is intact; exit 1 naming the first bad entry
  rules [--jurisdiction england|wales]
                   list the timescale rules: step, trigger, amount and unit, convention, source, effective date
  due RULE START [--jurisdiction england|wales] [--locality AGENCY_ID]
                   the deadline RULE gives for a trigger at START (YYYY-MM-DD or YYYY-MM-DDTHH:MM UK time)
  link FILE.csv [OTHER.csv] --columns MAPPING.json --out PAIRS.csv
                   deduplicate a file or link two: the pairs of records that are the same person
                   (no database unless --review-queue --agency ID; \`sightline link --help\` for the mapping)

Environment: PORT, HOST, DATA_DIR (default ./data), DATABASE_URL (postgres://… to use PostgreSQL),
SEAL_KEY, SEED_DEMO (auto|yes|no), LOG_LEVEL, TIMER_POLL_SECONDS, SIGNAL_SWEEP_SECONDS.`;

async function open(cfg: Config) {
  const database = await openDatabase(cfg);
  await migrate(database.db);
  return buildServices(database, cfg, loadSealKey(cfg));
}

async function start(cfg: Config) {
  const s = await open(cfg);
  let seeded: Awaited<ReturnType<typeof seedDemo>> | undefined;
  if (cfg.SEED_DEMO === 'yes' || (cfg.SEED_DEMO === 'auto' && (await isEmpty(s.database.db)))) seeded = await seedDemo(s);
  const app = await buildApp(s);
  const address = await app.listen({ port: cfg.PORT, host: cfg.HOST });
  await s.timers.start(app.log);
  await s.escalations.start(app.log);
  await s.concernTimers.start(app.log);
  await s.alertTimers.start(app.log);
  await s.signalSweep.start(app.log);
  const stop = async () => {
    await app.close();
    await s.timers.stop();
    await s.escalations.stop();
    await s.concernTimers.stop();
    await s.alertTimers.stop();
    await s.signalSweep.stop();
    await s.database.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(`\nSightline is running at ${address.replace('127.0.0.1', 'localhost')} (database: ${s.database.kind}${s.database.kind === 'pglite' ? `, ${cfg.dataDir}` : ''})`);
  console.log(`API documentation: ${address.replace('127.0.0.1', 'localhost')}/docs`);
  if (seeded || cfg.SEED_DEMO !== 'no') printSignIns(seeded !== undefined);
}

function printSignIns(fresh: boolean) {
  console.log(`\nDemo sign-ins${fresh ? ' (demo data was just created)' : ''}; every password is "${DEMO_PASSWORD}":`);
  const width = Math.max(...demoAccounts().map((d) => d.role.length)) + 2;
  for (const d of demoAccounts()) console.log(`  ${d.role.padEnd(width)} ${d.email}`);
  console.log('');
}


async function verify(cfg: Config, child?: string) {
  const s = await open(cfg);
  try {
    if (child) {
      const r = await s.integrity.verifyOne(null, child);
      console.log(JSON.stringify(r, null, 2));
      return r.ok ? 0 : 1;
    }
    const tty = process.stderr.isTTY;
    const r = await s.integrity.verifyAll(null, (done, total) => {
      if (tty && (done % 50 === 0 || done === total)) process.stderr.write(`\rVerifying ${done}/${total} records`);
    });
    if (tty) process.stderr.write('\n');
    for (const f of r.failures) {
      console.log(`TAMPERED child ${f.child_id}: ${f.problem}${f.firstBadEntryId ? ` at entry ${f.firstBadSeq} (${f.firstBadEntryId})` : ''}: ${f.message}`);
    }
    console.log(r.ok ? `All ${r.children} records intact (${r.entries} entries).` : `${r.failures.length} of ${r.children} records failed verification.`);
    return r.ok ? 0 : 1;
  } finally {
    await s.database.close();
  }
}

async function main(argv: string[]) {
  // link has options of its own and needs no configuration or database (loaded only when asked for),
  // except with --review-queue, which stores the rows and queues the uncertain pairs (person-index).
  if (argv[0] === 'link') {
    const queue = async (...a: Parameters<import('../matching/cli-link.js').ReviewQueue>) => (await import('../person-index/cli-queue.js')).queueUncertainFromEnv(...a);
    return (await import('../matching/cli-link.js')).linkCommand(argv.slice(1), queue);
  }
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' }, jurisdiction: { type: 'string' }, locality: { type: 'string' } } });
  const [cmd, ...rest] = positionals;
  if (!cmd || values.help) {
    console.log(usage);
    return cmd ? 0 : 2;
  }
  const cfg = loadConfig();
  switch (cmd) {
    case 'start':
      await start(cfg);
      return undefined;
    case 'migrate': {
      const d = await openDatabase(cfg);
      const applied = await migrate(d.db);
      await d.close();
      console.log(applied.length ? `Applied ${applied.join(', ')}` : 'The database is up to date.');
      return 0;
    }
    case 'seed': {
      const s = await open(cfg);
      try {
        if (!(await isEmpty(s.database.db))) {
          console.error('The database already has agencies; demo data is only added to an empty database.');
          return 1;
        }
        await seedDemo(s);
        printSignIns(true);
        return 0;
      } finally {
        await s.database.close();
      }
    }
    case 'verify':
      return verify(cfg, rest[0]);
    case 'rules':
      return rulesCommand(cfg, values);
    case 'due':
      return dueCommand(cfg, rest, values);
    default:
      console.error(`Unknown command "${cmd}".\n\n${usage}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (err) => {
    console.error(err instanceof DataDirLockedError || (err instanceof Error && err.message.startsWith('Invalid configuration')) ? err.message : err);
    process.exit(1);
  },
);
