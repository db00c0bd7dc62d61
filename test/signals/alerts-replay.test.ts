import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Services } from '../../src/app.js';
import { createDemoAgencies } from '../../src/demo/agencies.js';
import { createDemoPractitioners, type Cast } from '../../src/demo/practitioners.js';
import { createBrennockHousehold, type BrennockFamily } from '../../src/demo/families/brennock-household.js';
import { brennockSpring } from '../../src/demo/families/brennock-spring.js';
import { brennockSummer } from '../../src/demo/families/brennock-summer.js';
import { brennockAutumn } from '../../src/demo/families/brennock-autumn.js';
import { write, type Step } from '../../src/demo/story.js';
import { day } from '../../src/demo/time.js';
import { onPostgres, testServices } from '../support/db.js';

/**
 * The replay (issue 6, proof): the Brennock family's multi-agency history (src/demo/families: the GP,
 * the health visitor, two hospitals, the police, the school and social care) fed entry by entry, in
 * time order, into a fresh database through the record service. After every entry the open alerts
 * must be exactly those the story should have raised by then: each at the entry below and not earlier.
 *
 * Derived by reading the story against the rules' definitions (spec §6, migration 0023's defaults),
 * not by running it. The statutory process (src/demo/process.ts) is not part of this history, so no
 * plan exists and the "on a plan" rules (R4's any attendance, R5) and R10 stay silent; R8 and R9 run
 * on the schedule, not on entries; R11 finds no one, as the family friend never lived with Kai.
 */
type Who = 'kai' | 'maisie';
interface Expected { rule: string; key: string; child: Who; at: string; why: string }

const expected = (f: BrennockFamily): Expected[] => [
  { rule: 'R1', key: 'injury-non-mobile', child: 'kai', at: day(-248, '10:20'), why: 'GP: bruises on a baby recorded as not yet crawling' },
  { rule: 'R2', key: 'bruise-pattern', child: 'kai', at: day(-248, '10:20'), why: 'the same bruises: one on the chest' },
  { rule: 'R6', key: `adult:${f.partner}`, child: 'maisie', at: day(-165, '14:10'), why: 'school: Maisie names Dean, her mother’s partner since April, never checked' },
  { rule: 'R6', key: `adult:${f.partner}`, child: 'kai', at: day(-146, '23:50'), why: 'police: "Dean" at the domestic incident, the first of Kai’s entries to name him' },
  { rule: 'R3', key: 'unexplained-injury', child: 'kai', at: day(-127, '14:45'), why: 'Riverside: gripping bruises with an explanation that changed' },
  { rule: 'R6', key: `adult:${f.friend}`, child: 'kai', at: day(-126, '16:30'), why: 'social worker: Tina Folkard, the unassessed family-friend "monitor"' },
  { rule: 'R4', key: 'repeat-attendances', child: 'kai', at: day(-74, '19:15'), why: 'a third emergency-department attendance within a year' },
  { rule: 'R7', key: 'disguised-compliance', child: 'kai', at: day(-45, '16:20'), why: 'not seen on an unannounced visit, after being seen on announced ones, and health visits kept while the GP’s are missed' },
  { rule: 'R6', key: `adult:${f.friend}`, child: 'maisie', at: day(-30, '12:40'), why: 'school: Maisie names Tina Folkard' },
];

let s: Services;
let cast: Cast;
let f: BrennockFamily;

beforeAll(async () => {
  s = await testServices();
  const { d, c } = await s.database.db.transaction().execute(async (tx) => {
    const d = await createDemoAgencies(tx);
    return { d, c: await createDemoPractitioners(tx, d) };
  });
  cast = c;
  f = await createBrennockHousehold(s, d, cast);
}, 60_000);
afterAll(async () => s.database.close());

const openAlerts = async () => (await sql<{ child_id: string; rule_id: string; pattern_key: string; id: string }>`
  SELECT id, child_id, rule_id, pattern_key FROM alerts WHERE status = 'open' ORDER BY raised_at, rule_id`.execute(s.database.db)).rows;
const triggersOf = async (id: string) => (await sql<{ occurred_at: Date }>`SELECT e.occurred_at FROM alert_triggers t JOIN entries e ON e.id = t.entry_id
  WHERE t.alert_id = ${id} ORDER BY e.occurred_at`.execute(s.database.db)).rows.map((r) => r.occurred_at.toISOString().replace('.000Z', 'Z'));

describe(`replaying the Brennock family’s history (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('raises each alert at the entry that should raise it, and not earlier', async () => {
    const history: Step[] = [...brennockSpring(cast, f), ...brennockSummer(cast, f), ...brennockAutumn(cast, f)];
    const inOrder = [...history].sort((a, b) => a[2].at.localeCompare(b[2].at));
    const want = expected(f);
    const childOf: Record<string, Who> = { [f.kai]: 'kai', [f.maisie]: 'maisie' };
    for (const [by, child, e] of inOrder) {
      const id = await write(s, by, child, e);
      const due = want.filter((x) => x.at <= e.at).map((x) => `${x.child} ${x.rule} ${x.key}`).sort();
      const open = await openAlerts();
      expect(open.map((a) => `${childOf[a.child_id]} ${a.rule_id} ${a.pattern_key}`).sort(), `after the entry of ${e.at} (${e.kind})`).toEqual(due);
      // Each alert raised now names the entry that raised it.
      for (const x of want.filter((w) => w.at === e.at)) {
        const a = open.find((o) => o.rule_id === x.rule && o.pattern_key === x.key && childOf[o.child_id] === x.child)!;
        expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM alert_triggers WHERE alert_id = ${a.id} AND entry_id = ${id}`.execute(s.database.db)).rows[0].n, x.why).toBe(1);
      }
    }
    // What later entries added to the open alerts, from every agency.
    const alertOf = async (child: Who, rule: string, key: string) => (await openAlerts()).find((a) => childOf[a.child_id] === child && a.rule_id === rule && a.pattern_key === key)!.id;
    expect(await triggersOf(await alertOf('kai', 'R2', 'bruise-pattern'))).toEqual([day(-248, '10:20'), day(-221, '11:05'), day(-127, '14:45'), day(-101, '10:20')]);
    expect(await triggersOf(await alertOf('kai', 'R3', 'unexplained-injury'))).toEqual([day(-127, '14:45'), day(-74, '19:40')]);
    expect(await triggersOf(await alertOf('kai', 'R4', 'repeat-attendances'))).toEqual([day(-203, '21:40'), day(-127, '14:30'), day(-74, '19:15')]);
    expect(await triggersOf(await alertOf('kai', 'R7', 'disguised-compliance'))).toEqual([day(-125, '11:00'), day(-88, '09:20'), day(-60, '13:45'), day(-45, '16:20')]);
    expect(await triggersOf(await alertOf('maisie', 'R6', `adult:${f.partner}`))).toEqual([day(-165, '14:10'), day(-30, '12:40')]);
    // Every alert is an entry by Sightline in the child's own chronology, right after what raised it.
    const raised = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM entries WHERE kind = 'alert' AND data->>'action' = 'raised' AND author_id IS NULL`.execute(s.database.db)).rows[0].n;
    expect(raised).toBe(want.length);
  }, 300_000);
});
