import type { Config } from './config.js';
import type { Database } from './db/connect.js';
import { ChildDoor } from './access/door.js';
import { Sealer } from './record/chain.js';
import { RecordService } from './record/service.js';
import { IntegrityService } from './record/integrity.js';
import { PeopleService } from './people/service.js';
import { ProcessService } from './process/process-service.js';
import { DecisionService } from './decisions/decision-service.js';
import { DisagreementService } from './decisions/disagreement-service.js';
import { DisagreementTimers, scheduleStageTimer } from './decisions/timers.js';
import { ClockTimers, scheduleClockTimers } from './process/timers.js';
import { ConcernService } from './concerns/service.js';
import { ConcernTimers } from './concerns/timers.js';
import { SignalEngine, childrenDueForSchedule } from './signals/engine.js';
import { AlertService } from './signals/alert-service.js';
import { AlertTimers, SignalSweep } from './signals/alert-timers.js';
import { RedFlags } from './signals/alert-wiring.js';
import { recordRoutes } from './record/routes.js';
import { authApiRoutes } from './auth/routes.js';
import { actorFromToken } from './auth/store.js';
import { createHttpServer } from './http/server.js';
import { registerCapabilities } from './capabilities.js';

/** Everything a capability may be handed: built once here, the composition root. */
export interface Services {
  database: Database;
  config: Config;
  sealer: Sealer;
  door: ChildDoor;
  record: RecordService;
  integrity: IntegrityService;
  people: PeopleService;
  process: ProcessService;
  decisions: DecisionService;
  disagreements: DisagreementService;
  /** The deadline timers' workers: not running until `start` (the server starts them). */
  timers: ClockTimers;
  /** Concerns about a service (whistleblowing), and the timers that escalate a missed deadline (started like `timers`). */
  concerns: ConcernService;
  concernTimers: ConcernTimers;
  /** Disagreements past a stage deadline escalate: likewise started by the server. */
  escalations: DisagreementTimers;
  /** Alerts from the red-flag rules (raised inside each append), their escalation timers and the absence rules' sweep (started like `timers`). */
  alerts: AlertService;
  redFlags: RedFlags;
  alertTimers: AlertTimers;
  signalSweep: SignalSweep;
}

export function buildServices(database: Database, config: Config, sealKey: string): Services {
  const sealer = new Sealer(sealKey);
  const door = new ChildDoor(database.db);
  const disagreements = new DisagreementService(door, sealer);
  disagreements.onChange(scheduleStageTimer);
  const decisions = new DecisionService(door, sealer, disagreements);
  // A step that decides something (a referral outcome, a conference outcome…) records its decision too.
  const statutory = new ProcessService(door, sealer, decisions);
  statutory.onStep(scheduleClockTimers);
  const record = new RecordService(door, sealer);
  record.onAppend((tx, rows) => statutory.afterEntries(tx, rows));
  // Then the red-flag rules, in the same transaction: an alert exists exactly when the entry that raised it does.
  const alerts = new AlertService(database.db, door, sealer, decisions);
  const redFlags = new RedFlags(database.db, door, new SignalEngine(), alerts);
  record.onAppend((tx, rows) => redFlags.afterEntries(tx, rows));
  statutory.onStep((tx, childId, stepSeq) => redFlags.afterStep(tx, childId, stepSeq));
  // A relationship or address that links an adult to a child runs the rules about adults (R6, R11) too.
  const people = new PeopleService(database.db, door, sealer);
  people.onLinked((tx, childId, personIds) => redFlags.afterLinked(tx, childId, personIds));
  const concerns = new ConcernService(database.db);
  return {
    database,
    config,
    sealer,
    door,
    record,
    integrity: new IntegrityService(database.db, sealer),
    people,
    process: statutory,
    decisions,
    disagreements,
    timers: new ClockTimers(database.db, config.TIMER_POLL_SECONDS),
    concerns,
    concernTimers: new ConcernTimers(database.db, config.TIMER_POLL_SECONDS, concerns),
    escalations: new DisagreementTimers(database.db, config.TIMER_POLL_SECONDS, disagreements),
    alerts,
    redFlags,
    alertTimers: new AlertTimers(database.db, config.TIMER_POLL_SECONDS, alerts),
    signalSweep: new SignalSweep(database.db, config.TIMER_POLL_SECONDS, config.SIGNAL_SWEEP_SECONDS, (now) => redFlags.sweep(now, childrenDueForSchedule)),
  };
}

export async function buildApp(s: Services) {
  const app = await createHttpServer({
    logLevel: s.config.LOG_LEVEL,
    resolveActor: (token) => actorFromToken(s.database.db, token),
  });
  app.get('/health', { schema: { tags: ['operations'], summary: 'Liveness, and which database this runs on', security: [] } }, async () => {
    await s.database.db.selectFrom('agencies').select('id').limit(1).execute();
    return { status: 'ok', database: s.database.kind };
  });
  authApiRoutes(app, s.database.db, s.config.SESSION_HOURS);
  recordRoutes(app, s.record, s.integrity);
  await registerCapabilities(app, s);
  return app;
}
