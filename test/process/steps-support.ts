import { buildApp, type Services } from '../../src/app.js';
import { ProcessService } from '../../src/process/process-service.js';
import { DecisionService } from '../../src/decisions/decision-service.js';
import { allocate } from '../../src/people/store.js';
import type { PersonInput } from '../../src/people/schemas.js';
import { testServices } from '../support/db.js';
import { newChild, world, type World } from '../support/fixtures.js';
import { bearer } from '../access/support.js';

export type Body = Record<string, unknown>;
/** An API answer; the body is checked field by field, so it is left untyped. */
export interface Answer { status: number; headers: Record<string, unknown>; body: any }

/**
 * The test world behind the real app, for recording steps through the API. `clock` is the process's
 * "now" (what counts as the future, hours left); the door keeps the real clock, so allocations made
 * today still count.
 */
export async function processWorld(clock?: () => Date) {
  const base = await testServices();
  // The step's decision is checked against the same clock as the step.
  const s: Services = clock ? { ...base, process: new ProcessService(base.door, base.sealer, new DecisionService(base.door, base.sealer, base.disagreements, clock), clock) } : base;
  const w: World = await world(s);
  const app = await buildApp(s);
  const tokens = new Map<string, Record<string, string>>();
  const auth = async (who: string) => {
    if (!tokens.has(who)) tokens.set(who, await bearer(app, w.emails[who]));
    return tokens.get(who)!;
  };
  const call = async (method: 'GET' | 'POST', url: string, who: string, payload?: Body): Promise<Answer> => {
    const res = await app.inject({ method, url, headers: await auth(who), payload });
    return { status: res.statusCode, headers: res.headers, body: res.json() };
  };
  return {
    s, w, app, auth, call,
    /** A new child allocated to the world's worker (and so their manager). */
    async child(p: Partial<PersonInput> = {}): Promise<string> {
      const id = await newChild(s, p);
      await allocate(s.database.db, id, w.actors.worker.id, w.team, w.actors.manager.id);
      return id;
    },
    step: (child: string, body: Body, who = 'worker') => call('POST', `/api/children/${child}/process/steps`, who, body),
    process: (child: string, who = 'worker') => call('GET', `/api/children/${child}/process`, who),
    /** The chronology's entry ids, newest first, as the worker sees it. */
    async entryIds(child: string): Promise<string[]> {
      return (await call('GET', `/api/children/${child}/entries`, 'worker')).body.entries.map((e: { id: string }) => e.id);
    },
    close: async () => {
      await app.close();
      await s.database.close();
    },
  };
}
export type ProcessWorld = Awaited<ReturnType<typeof processWorld>>;

/**
 * Records each step in turn (as `by`, else the allocated worker), failing loudly with the answer if
 * the history itself is refused.
 */
export async function recordAll(pw: ProcessWorld, child: string, steps: Body[]): Promise<string[]> {
  const ids: string[] = [];
  for (const { by, ...body } of steps) {
    const res = await pw.step(child, body, typeof by === 'string' ? by : 'worker');
    if (res.status !== 201) throw new Error(`history step ${String(body.step)} answered ${res.status}: ${JSON.stringify(res.body)}`);
    ids.push(res.body.entry.id);
  }
  return ids;
}

type Due = { code: string; due_on: string; due_at: string | null; status: string; hours_left: number | null; late_reason: string | null };
/** The open deadline of `code` in a process view. */
export const dueOf = (view: { due: Due[] }, code: string) => view.due.find((d) => d.code === code);
export const doneOf = (view: { done: Due[] }, code: string) => view.done.filter((d) => d.code === code);
