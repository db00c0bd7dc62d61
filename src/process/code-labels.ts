import type { assessmentFactors, categories, closureReasons, primaryNeeds, referralSources } from './steps.js';

/**
 * What the CIN census codes mean (spec §3.2, from the census XSD), for the step forms and the
 * child's page. A practitioner chooses "Health visitor", the census gets "3B".
 */
export const referralSourceLabels: Record<(typeof referralSources)[number], string> = {
  '1A': 'Family member, relative or carer', '1B': 'Acquaintance (neighbour, child minder)', '1C': 'The child or young person', '1D': 'Other individual (including strangers)',
  '2A': 'School', '2B': 'Education services',
  '3A': 'GP', '3B': 'Health visitor', '3C': 'School nurse', '3D': 'Other primary health services', '3E': 'A&E', '3F': 'Other health services',
  '4': 'Housing',
  '5A': 'Local authority social care (such as adults’ social care)', '5B': 'Other local authority service (such as youth justice)', '5C': 'Another local authority’s services', '5D': 'Early help',
  '6': 'Police', '7': 'Other legal agency (courts, probation, CAFCASS, prison)', '8': 'Other (children’s centre, voluntary organisation)', '9': 'Anonymous', '10': 'Unknown',
};

export const primaryNeedLabels: Record<(typeof primaryNeeds)[number], string> = {
  N0: 'Not stated', N1: 'Abuse or neglect', N2: 'Child’s disability', N3: 'Parental disability or illness', N4: 'Family in acute stress',
  N5: 'Family dysfunction', N6: 'Socially unacceptable behaviour', N7: 'Low income', N8: 'Absent parenting', N9: 'Cases other than children in need',
};

export const closureReasonLabels: Record<(typeof closureReasons)[number], string> = {
  RC1: 'Adopted', RC2: 'Died', RC3: 'Child arrangements order', RC4: 'Special guardianship order', RC5: 'Transferred to another local authority',
  RC6: 'Transferred to adult social care', RC7: 'Services ceased for any other reason, including no longer in need',
  RC8: 'Closed after assessment, no further action', RC9: 'Closed after assessment, referred to early help',
};

export const categoryLabels: Record<(typeof categories)[number], string> = {
  NEG: 'Neglect', PHY: 'Physical abuse', SAB: 'Sexual abuse', EMO: 'Emotional abuse', MUL: 'Multiple',
};

const whose = { A: 'child', B: 'parent or carer', C: 'another household member' } as const;
const three = (n: string, what: string): [string, string][] => (['A', 'B', 'C'] as const).map((k) => [`${n}${k}`, `${what}: ${whose[k]}`]);

export const assessmentFactorLabels = Object.fromEntries([
  ...three('1', 'Alcohol misuse'), ...three('2', 'Drug misuse'), ...three('3', 'Domestic abuse'), ...three('4', 'Mental health'),
  ...three('5', 'Learning disability'), ...three('6', 'Physical disability or illness'),
  ['7A', 'Young carer'], ['8B', 'Privately fostered: overseas, intend to return'], ['8C', 'Privately fostered: overseas, intend to stay'],
  ['8D', 'Privately fostered: UK, educational placement'], ['8E', 'Privately fostered: UK, alternative family arrangement'], ['8F', 'Privately fostered: other'],
  ['9A', 'Unaccompanied asylum-seeking child'], ['10A', 'Going or being missing'], ['11A', 'Child sexual exploitation'], ['12A', 'Trafficking'], ['13A', 'Gangs'],
  ['14A', 'Socially unacceptable behaviour'], ['15A', 'Self-harm'], ['16A', 'Neglect'], ['17A', 'Emotional abuse'],
  ['18B', 'Physical abuse: child on child'], ['18C', 'Physical abuse: adult on child'], ['19B', 'Sexual abuse: child on child'], ['19C', 'Sexual abuse: adult on child'],
  ['20', 'Other'], ['21', 'No factors identified'], ['22A', 'Female genital mutilation'], ['23A', 'Abuse linked to faith or belief'], ['24A', 'Child criminal exploitation'],
]) as Record<(typeof assessmentFactors)[number], string>;

/** Looked-after legal status as the SSDA903 return codes it (spec §4 list 8). */
export const legalStatusLabels: Record<string, string> = { C1: 'Interim care order', C2: 'Care order', V2: 'Accommodated under section 20' };
export const placementTypeLabels: Record<string, string> = {
  foster_care: 'Foster care', kinship_connected_person: 'Kinship or connected person', residential: 'Residential', placed_with_parents: 'Placed with parents', other: 'Other',
};

/** "no_further_action" → "No further action": outcomes are named in the schemas as people say them. */
export const words = (v: string) => v.charAt(0).toUpperCase() + v.slice(1).replaceAll('_', ' ');
