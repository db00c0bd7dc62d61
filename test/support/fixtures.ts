import type { Actor } from '../../src/access/actor.js';
import type { Services } from '../../src/app.js';
import { createAgency, createPractitioner, createTeam } from '../../src/agencies/store.js';
import { allocate, insertPerson } from '../../src/people/store.js';
import { startChain } from '../../src/record/store.js';
import type { PersonInput } from '../../src/people/schemas.js';

export const PASSWORD = 'correct horse battery staple';

export interface World {
  la: string;
  police: string;
  health: string;
  school: string;
  team: string;
  otherTeam: string;
  actors: Record<string, Actor & { type: 'practitioner' }>;
  emails: Record<string, string>;
  child: string;
}

/** A small multi-agency world: one allocated child, and one practitioner of each kind of relationship. */
export async function world(s: Services): Promise<World> {
  const db = s.database.db;
  const la = await createAgency(db, { kind: 'local_authority', name: 'Northmoor Council', code: 'NMC', jurisdiction: 'england', office_hours_phone: '01000 000001', out_of_hours_phone: '01000 000002' });
  const police = await createAgency(db, { kind: 'police', name: 'Northmoor Police', code: 'NMP', jurisdiction: 'england' });
  const health = await createAgency(db, { kind: 'health', name: 'Northmoor NHS Trust', code: 'NMH', jurisdiction: 'england' });
  const school = await createAgency(db, { kind: 'school', name: 'Elm Street Primary', code: 'ESP', jurisdiction: 'england' });
  const team = await createTeam(db, la, 'Assessment Team A');
  const otherTeam = await createTeam(db, la, 'Assessment Team B');
  const actors: World['actors'] = {};
  const emails: Record<string, string> = {};
  const add = async (key: string, agency: string, role: string, opts: { team?: string; manager?: string; qsw?: boolean } = {}) => {
    const email = `${key}@example.test`;
    const id = await createPractitioner(db, { agency_id: agency, team_id: opts.team, manager_id: opts.manager, email, display_name: `Test ${key}`, role: role as never, qualified_social_worker: !!opts.qsw, password: PASSWORD });
    actors[key] = { type: 'practitioner', id, name: `Test ${key}`, role, agencyId: agency, teamId: opts.team ?? null, qualifiedSocialWorker: !!opts.qsw };
    emails[key] = email;
    return id;
  };
  const head = await add('head', la, 'head_of_service', { qsw: true });
  const manager = await add('manager', la, 'team_manager', { team, manager: head, qsw: true });
  await add('worker', la, 'social_worker', { team, manager, qsw: true });
  await add('teammate', la, 'social_worker', { team, manager, qsw: true });
  await add('otherworker', la, 'social_worker', { team: otherTeam, qsw: true });
  await add('police', police, 'police_officer');
  await add('hv', health, 'health_visitor');
  await add('dsl', school, 'designated_safeguarding_lead');
  await add('auditor', la, 'auditor');
  await add('admin', la, 'administrator');
  const child = await newChild(s, { given_name: 'Alex', family_name: 'Testchild', date_of_birth: '2025-03-01', nhs_number: '9990000018' });
  await allocate(db, child, actors.worker.id, team, actors.manager.id);
  return { la, police, health, school, team, otherTeam, actors, emails, child };
}

export async function newChild(s: Services, p: Partial<PersonInput> = {}): Promise<string> {
  return s.database.db.transaction().execute(async (tx) => {
    const id = await insertPerson(tx, { kind: 'child', given_name: 'Sam', family_name: 'Example', sex: 'unknown', date_of_birth: '2024-01-01', local_ids: [], ...p } as PersonInput, null);
    await startChain(tx, s.sealer, id);
    return id;
  });
}

export const homeVisit = (over: Record<string, unknown> = {}) => ({
  kind: 'home_visit',
  occurred_at: '2026-01-10T10:00:00Z',
  narrative: 'Visited at home. Child seen in the living room with mother.',
  data: { child_seen: true, child_seen_alone: false, present: ['Mother'] },
  ...over,
});
