import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Services } from '../app.js';
import { createDemoAgencies, type DemoAgencies } from './agencies.js';
import { createDemoPractitioners, type CastKey } from './practitioners.js';
import { createBrennockFamily } from './families/brennock.js';
import type { BrennockFamily } from './families/brennock-household.js';
import { createPennantFamily } from './families/pennant.js';
import { createAskewFamily } from './families/askew.js';
import { createMercerFamily } from './families/mercer.js';
import { createKeebleFamily } from './families/keeble.js';
import { createDanforthFamily } from './families/danforth.js';
import { recordDemoProcess } from './process.js';

export async function isEmpty(db: Kysely<DB>): Promise<boolean> {
  return !(await db.selectFrom('agencies').select('id').limit(1).executeTakeFirst());
}

export interface DemoWorld {
  agencies: DemoAgencies['agencies'];
  teams: DemoAgencies['teams'];
  /** Practitioner ids by demo key (sw, tm, police, hv, dsl, …; see ./practitioners.ts). */
  people: Record<CastKey, string>;
  /** The key family: Kai and Maisie Brennock and the adults around them. */
  brennock: BrennockFamily;
  /** One child from each ordinary family. */
  children: { attendance: string; advice: string; newBaby: string; missing: string; otherTeam: string };
}

/**
 * Fictional agencies, practitioners (the demo sign-ins among them) and families in the town of
 * Northmoor. Entries are written through the record service as the practitioners who made them.
 */
export async function seedDemo(s: Services): Promise<DemoWorld> {
  const { d, cast } = await s.database.db.transaction().execute(async (tx) => {
    const d = await createDemoAgencies(tx);
    return { d, cast: await createDemoPractitioners(tx, d) };
  });
  const brennock = await createBrennockFamily(s, d, cast);
  const children = {
    attendance: await createPennantFamily(s, d, cast),
    advice: await createAskewFamily(s, d, cast),
    newBaby: await createMercerFamily(s, d, cast),
    missing: await createKeebleFamily(s, d, cast),
    otherTeam: await createDanforthFamily(s, d, cast),
  };
  await recordDemoProcess(s, cast, brennock, { oliver: children.attendance, ruby: children.advice, jordan: children.missing, leo: children.otherTeam });
  const people = Object.fromEntries(Object.entries(cast).map(([k, a]) => [k, a.id])) as Record<CastKey, string>;
  return { agencies: d.agencies, teams: d.teams, people, brennock, children };
}
