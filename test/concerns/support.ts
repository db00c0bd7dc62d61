import { sql } from 'kysely';
import type { Services } from '../../src/app.js';
import { buildApp } from '../../src/app.js';
import { createPractitioner } from '../../src/agencies/store.js';
import type { ConcernView } from '../../src/concerns/schemas.js';
import { PASSWORD, world, type World } from '../support/fixtures.js';

export type App = Awaited<ReturnType<typeof buildApp>>;
type Who = World['actors'][string];

/** The test world plus the ladder's upper rungs: the authority's director and the partnership's independent chair. */
export async function concernWorld(s: Services): Promise<World> {
  const w = await world(s);
  const add = async (key: string, role: string) => {
    const email = `${key}@example.test`;
    const id = await createPractitioner(s.database.db, { agency_id: w.la, email, display_name: `Test ${key}`, role: role as never, qualified_social_worker: false, password: PASSWORD });
    w.actors[key] = { type: 'practitioner', id, name: `Test ${key}`, role, agencyId: w.la, teamId: null, qualifiedSocialWorker: false };
    w.emails[key] = email;
  };
  await add('director', 'director');
  await add('chair', 'partnership_chair');
  return w;
}

export async function tokens(app: App, w: World): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [key, email] of Object.entries(w.emails)) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/token', payload: { email, password: PASSWORD } });
    out[key] = res.json().token;
  }
  return out;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A concern about the local authority's service, as the API answers the raiser. */
export async function raiseByApi(app: App, token: string, body: Record<string, unknown>, key?: string) {
  return app.inject({ method: 'POST', url: '/api/concerns', headers: { ...bearer(token), ...(key ? { 'idempotency-key': key } : {}) }, payload: body });
}

export async function stepByApi(app: App, token: string, id: string, body: Record<string, unknown>, key?: string) {
  return app.inject({ method: 'POST', url: `/api/concerns/${id}/steps`, headers: { ...bearer(token), ...(key ? { 'idempotency-key': key } : {}) }, payload: body });
}

export const staffing = (w: World, over: Record<string, unknown> = {}) => ({
  agency_id: w.la,
  service: 'Assessment Team A',
  category: 'unsafe_staffing',
  what: 'Three of five posts are vacant and locums change weekly; visits are being missed.',
  ...over,
});

/** The read_concern audit rows for one concern, as "actor basis via identity_shown" lines. */
export async function concernReads(s: Services, concernId: string): Promise<string[]> {
  const r = await sql<{ line: string }>`SELECT actor_practitioner_id || ' ' || basis || ' ' || (detail->>'via') || ' ' || (detail->>'identity_shown') AS line
    FROM audit_events WHERE action = 'read_concern' AND child_id IS NULL AND detail->>'concern_id' = ${concernId} ORDER BY id`.execute(s.database.db);
  return r.rows.map((x) => x.line);
}

/** Notices about concerns a practitioner has had, as "kind: title" lines, oldest first. */
export async function concernNotices(s: Services, who: Who): Promise<string[]> {
  const rows = await s.database.db.selectFrom('notifications').select(['kind', 'title', 'body']).where('recipient_id', '=', who.id).where('kind', 'like', 'concern_%').orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => `${r.kind}: ${r.title}`);
}

export const trailTypes = (v: ConcernView) => v.trail.map((t) => t.type);
