import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import type { Role } from '../agencies/schemas.js';
import { createPractitioner } from '../agencies/store.js';
import { hashPassword } from '../auth/password.js';
import { DEMO_PASSWORD } from './accounts.js';
import type { DemoAgencies } from './agencies.js';

export type PractitionerActor = Extract<Actor, { type: 'practitioner' }>;

interface Spec {
  email: string;
  name: string;
  role: Role;
  agency: keyof DemoAgencies['agencies'];
  team?: keyof DemoAgencies['teams'];
  manager?: string;
  qsw?: boolean;
}

/**
 * Everyone who works with the demo families, managers before the people they manage. The first
 * eight are the printed demo sign-ins (src/demo/accounts.ts); all share the demo password.
 */
const specs = {
  hos: { email: 'head.of.service@demo.sightline.test', name: 'Ruth Okonedo-Hale', role: 'head_of_service', agency: 'la', qsw: true },
  tm: { email: 'team.manager@demo.sightline.test', name: 'Graham Ellery', role: 'team_manager', agency: 'la', team: 'assessment', manager: 'hos', qsw: true },
  sw: { email: 'social.worker@demo.sightline.test', name: 'Priya Ashdown', role: 'social_worker', agency: 'la', team: 'assessment', manager: 'tm', qsw: true },
  police: { email: 'police.officer@demo.sightline.test', name: 'DC Tom Varley', role: 'police_officer', agency: 'police' },
  hv: { email: 'health.visitor@demo.sightline.test', name: 'Nia Carrow', role: 'health_visitor', agency: 'health' },
  dsl: { email: 'teacher@demo.sightline.test', name: 'Owen Fairley', role: 'designated_safeguarding_lead', agency: 'school' },
  auditor: { email: 'auditor@demo.sightline.test', name: 'Helen Marsh', role: 'auditor', agency: 'la' },
  admin: { email: 'admin@demo.sightline.test', name: 'Sam Brightwell', role: 'administrator', agency: 'la' },
  sw2: { email: 'social.worker.2@demo.sightline.test', name: 'Megan Thistlewood', role: 'social_worker', agency: 'la', team: 'assessment', manager: 'tm', qsw: true },
  cptm: { email: 'cp.team.manager@demo.sightline.test', name: 'Marion Stroud', role: 'team_manager', agency: 'la', team: 'childProtection', manager: 'hos', qsw: true },
  cpsw: { email: 'cp.social.worker@demo.sightline.test', name: 'Kwabena Hollins', role: 'social_worker', agency: 'la', team: 'childProtection', manager: 'cptm', qsw: true },
  chair: { email: 'conference.chair@demo.sightline.test', name: 'Lorna Featherstone', role: 'conference_chair', agency: 'la', manager: 'hos', qsw: true },
  director: { email: 'director@demo.sightline.test', name: 'Everard Quilliam', role: 'director', agency: 'la', qsw: true },
  partnership: { email: 'partnership.chair@demo.sightline.test', name: 'Rosalind Ashcombe-Vey', role: 'partnership_chair', agency: 'la' },
  police2: { email: 'police.officer.2@demo.sightline.test', name: 'PC Aisha Brannigan', role: 'police_officer', agency: 'police' },
  hv2: { email: 'health.visitor.2@demo.sightline.test', name: 'Bethan Lowry', role: 'health_visitor', agency: 'health' },
  paed: { email: 'paediatrician@demo.sightline.test', name: 'Dr Imran Castell', role: 'paediatrician', agency: 'health' },
  paed2: { email: 'paediatrician.riverside@demo.sightline.test', name: 'Dr Freya Lindholm', role: 'paediatrician', agency: 'health2' },
  gp: { email: 'gp@demo.sightline.test', name: 'Dr Alun Prothero', role: 'gp', agency: 'gp' },
  dsl2: { email: 'dsl.academy@demo.sightline.test', name: 'Carys Whitlow', role: 'designated_safeguarding_lead', agency: 'school2' },
} satisfies Record<string, Spec>;

export type CastKey = keyof typeof specs;
export type Cast = Record<CastKey, PractitionerActor>;

export async function createDemoPractitioners(tx: Transaction<DB>, { agencies, teams }: DemoAgencies): Promise<Cast> {
  const cast = {} as Cast;
  // They all share one password, so one argon2 hash serves them all (hashing each took seconds).
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const [key, p] of Object.entries(specs) as [CastKey, Spec][]) {
    const teamId = p.team ? teams[p.team] : null;
    const managerId = p.manager ? cast[p.manager as CastKey].id : undefined;
    const id = await createPractitioner(tx, {
      agency_id: agencies[p.agency], team_id: teamId ?? undefined, manager_id: managerId, email: p.email,
      display_name: p.name, role: p.role, qualified_social_worker: !!p.qsw,
    });
    cast[key] = { type: 'practitioner', id, name: p.name, role: p.role, agencyId: agencies[p.agency], teamId, qualifiedSocialWorker: !!p.qsw };
  }
  await tx.updateTable('practitioners').set({ password_hash: passwordHash }).where('id', 'in', Object.values(cast).map((a) => a.id)).execute();
  return cast;
}
