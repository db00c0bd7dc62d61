import type { Actor } from './actor.js';

/**
 * The legitimate relationships through which a practitioner reaches a child, strongest first.
 * This list is the whole access policy for child records; src/access/store.ts finds which apply.
 */
export const bases = [
  'allocated_worker',
  'allocated_team',
  'manager',
  'core_group',
  'strategy_discussion',
  'disagreement',
  'screening_team',
  'author',
  'emergency',
] as const;
export type Basis = (typeof bases)[number] | 'own_agency_entries' | 'front_door' | 'system';

export const basisLabels: Record<Basis, string> = {
  allocated_worker: 'Allocated worker',
  allocated_team: 'Member of the allocated team',
  manager: "Manager of the allocated worker",
  core_group: 'Core group member',
  strategy_discussion: 'Strategy discussion member',
  disagreement: 'Answering a professional disagreement about the child',
  screening_team: 'Front-door screening team (child not yet allocated)',
  author: 'Author of an entry about the child',
  emergency: 'Emergency access',
  own_agency_entries: "Agency system (its own agency's entries only)",
  front_door: 'New contact or referral, or an unscheduled-care check',
  system: 'Sightline itself (an automatic step)',
};

export interface Found {
  basis: Exclude<Basis, 'own_agency_entries' | 'front_door' | 'system'>;
  emergencyAccessId?: string;
}

/** Picks the strongest of the relationships found, or none. */
export function strongest(found: Found[]): Found | undefined {
  return [...found].sort((a, b) => bases.indexOf(a.basis) - bases.indexOf(b.basis))[0];
}

/**
 * Anyone may make a contact or referral about a child they cannot see: the front door must never be
 * closed to a worried professional. Agency systems may write only the kinds their token names.
 */
export function mayWriteWithoutRelationship(actor: Actor, kind: string): boolean {
  if (actor.type === 'token') return actor.entryKinds.includes(kind);
  // Police may take any child into police protection (CA89 s46) and must be able to record it.
  if (kind === 'process_step:police_protection_started') return actor.role === 'police_officer';
  // A health practitioner checking a child in unscheduled care (CP-IS, spec §9) records that check,
  // and only that: it gives no read of the record (the check answers from the plan alone).
  if (kind === 'unscheduled_care_check') return isUnscheduledCarePractitioner(actor);
  return kind === 'contact_referral';
}

/** Health roles (only ever held in a health agency) who may run an unscheduled-care check. */
export const unscheduledCareRoles: readonly string[] = ['gp', 'paediatrician', 'health_visitor'];
export const isUnscheduledCarePractitioner = (actor: Extract<Actor, { type: 'practitioner' }>) => unscheduledCareRoles.includes(actor.role);
