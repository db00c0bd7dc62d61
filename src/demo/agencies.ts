import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { createAgency, createTeam } from '../agencies/store.js';

/** The fictional town of Northmoor: its council, police, two NHS trusts, a GP practice and two schools. */
export async function createDemoAgencies(tx: Transaction<DB>) {
  const agencies = {
    la: await createAgency(tx, { kind: 'local_authority', name: 'Northmoor Council Children’s Services', code: 'NMC', jurisdiction: 'england', office_hours_phone: '0300 555 0100', out_of_hours_phone: '0300 555 0199' }),
    police: await createAgency(tx, { kind: 'police', name: 'Northmoor Police', code: 'NMP', jurisdiction: 'england' }),
    // Runs Northmoor General Hospital and the town's health visiting service.
    health: await createAgency(tx, { kind: 'health', name: 'Northmoor NHS Foundation Trust', code: 'NMH', jurisdiction: 'england' }),
    health2: await createAgency(tx, { kind: 'health', name: 'Riverside University Hospital NHS Trust', code: 'RUH', jurisdiction: 'england' }),
    gp: await createAgency(tx, { kind: 'health', name: 'Moorside Surgery', code: 'MSG', jurisdiction: 'england' }),
    school: await createAgency(tx, { kind: 'school', name: 'Elm Street Primary School', code: 'ESP', jurisdiction: 'england' }),
    school2: await createAgency(tx, { kind: 'school', name: 'Northmoor Academy', code: 'NMA', jurisdiction: 'england' }),
  };
  const teams = {
    assessment: await createTeam(tx, agencies.la, 'Assessment and Intervention Team', true),
    childProtection: await createTeam(tx, agencies.la, 'Child Protection Team'),
  };
  return { agencies, teams };
}

export type DemoAgencies = Awaited<ReturnType<typeof createDemoAgencies>>;

/** Where each hospital in the demo belongs. */
export const hospitals = {
  northmoor: 'Northmoor General Hospital',
  riverside: 'Riverside University Hospital',
} as const;
