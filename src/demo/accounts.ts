/**
 * The demo sign-ins printed at start-up. Fictional people; `@demo.sightline.test` is a reserved test
 * domain. Every demo practitioner (./practitioners.ts) has this password; only these are printed.
 */
export const DEMO_PASSWORD = 'sightline-demo-2026';

export interface DemoAccount {
  key: string;
  email: string;
  name: string;
  role: string;
}

export const demoAccountList: DemoAccount[] = [
  { key: 'sw', email: 'social.worker@demo.sightline.test', name: 'Priya Ashdown', role: 'Social worker (Northmoor Council)' },
  { key: 'tm', email: 'team.manager@demo.sightline.test', name: 'Graham Ellery', role: 'Team manager (Northmoor Council)' },
  { key: 'hos', email: 'head.of.service@demo.sightline.test', name: 'Ruth Okonedo-Hale', role: 'Head of service (Northmoor Council)' },
  { key: 'police', email: 'police.officer@demo.sightline.test', name: 'DC Tom Varley', role: 'Police officer (Northmoor Police)' },
  { key: 'hv', email: 'health.visitor@demo.sightline.test', name: 'Nia Carrow', role: 'Health visitor (Northmoor NHS Foundation Trust)' },
  { key: 'dsl', email: 'teacher@demo.sightline.test', name: 'Owen Fairley', role: 'Designated safeguarding lead (Elm Street Primary)' },
  { key: 'gp', email: 'gp@demo.sightline.test', name: 'Dr Alun Prothero', role: 'GP (Moorside Surgery)' },
  { key: 'paed2', email: 'paediatrician.riverside@demo.sightline.test', name: 'Dr Freya Lindholm', role: 'Paediatrician (Riverside University Hospital)' },
  { key: 'chair', email: 'conference.chair@demo.sightline.test', name: 'Lorna Featherstone', role: 'Conference chair (Northmoor Council)' },
  { key: 'partnership', email: 'partnership.chair@demo.sightline.test', name: 'Rosalind Ashcombe-Vey', role: 'Independent chair, Northmoor Safeguarding Partnership' },
  { key: 'auditor', email: 'auditor@demo.sightline.test', name: 'Helen Marsh', role: 'Auditor or inspector' },
  { key: 'admin', email: 'admin@demo.sightline.test', name: 'Sam Brightwell', role: 'Administrator' },
];

export const demoAccounts = () => demoAccountList;
