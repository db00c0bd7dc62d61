import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Services } from '../app.js';
import { createAgency, createPractitioner, createTeam } from '../agencies/store.js';
import { DEMO_PASSWORD } from './accounts.js';

export async function isEmpty(db: Kysely<DB>): Promise<boolean> {
  return !(await db.selectFrom('agencies').select('id').limit(1).executeTakeFirst());
}

export interface DemoWorld {
  agencies: Record<'la' | 'police' | 'health' | 'health2' | 'school', string>;
  teams: Record<'assessment' | 'childProtection', string>;
  people: Record<string, string>;
}

/** Fictional agencies and practitioners, the demo sign-ins among them. */
export async function seedDemo(s: Services): Promise<DemoWorld> {
  return s.database.db.transaction().execute(async (tx) => {
    const agencies = {
      la: await createAgency(tx, { kind: 'local_authority', name: 'Northmoor Council Children’s Services', code: 'NMC', jurisdiction: 'england', office_hours_phone: '0300 555 0100', out_of_hours_phone: '0300 555 0199' }),
      police: await createAgency(tx, { kind: 'police', name: 'Northmoor Police', code: 'NMP', jurisdiction: 'england' }),
      health: await createAgency(tx, { kind: 'health', name: 'Northmoor Community Health NHS Trust', code: 'NMH', jurisdiction: 'england' }),
      health2: await createAgency(tx, { kind: 'health', name: 'Riverside University Hospital NHS Trust', code: 'RUH', jurisdiction: 'england' }),
      school: await createAgency(tx, { kind: 'school', name: 'Elm Street Primary School', code: 'ESP', jurisdiction: 'england' }),
    };
    const teams = {
      assessment: await createTeam(tx, agencies.la, 'Assessment and Intervention Team'),
      childProtection: await createTeam(tx, agencies.la, 'Child Protection Team'),
    };
    const p = (email: string, agency: string, display_name: string, role: string, extra: { team?: string; manager?: string; qsw?: boolean } = {}) =>
      createPractitioner(tx, { agency_id: agency, team_id: extra.team, manager_id: extra.manager, email, display_name, role: role as never, qualified_social_worker: !!extra.qsw, password: DEMO_PASSWORD });
    const people: Record<string, string> = {};
    people.hos = await p('head.of.service@demo.sightline.test', agencies.la, 'Ruth Okonedo-Hale', 'head_of_service', { qsw: true });
    people.tm = await p('team.manager@demo.sightline.test', agencies.la, 'Graham Ellery', 'team_manager', { team: teams.assessment, manager: people.hos, qsw: true });
    people.sw = await p('social.worker@demo.sightline.test', agencies.la, 'Priya Ashdown', 'social_worker', { team: teams.assessment, manager: people.tm, qsw: true });
    people.police = await p('police.officer@demo.sightline.test', agencies.police, 'DC Tom Varley', 'police_officer');
    people.hv = await p('health.visitor@demo.sightline.test', agencies.health, 'Nia Carrow', 'health_visitor');
    people.dsl = await p('teacher@demo.sightline.test', agencies.school, 'Owen Fairley', 'designated_safeguarding_lead');
    people.auditor = await p('auditor@demo.sightline.test', agencies.la, 'Helen Marsh', 'auditor');
    people.admin = await p('admin@demo.sightline.test', agencies.la, 'Sam Brightwell', 'administrator');
    return { agencies, teams, people };
  });
}
