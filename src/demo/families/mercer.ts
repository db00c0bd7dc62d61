import type { Services } from '../../app.js';
import { insertRelationship } from '../../people/store.js';
import type { DemoAgencies } from '../agencies.js';
import type { Cast } from '../practitioners.js';
import { addAdult, addChild, address, screenContact, writeAll } from '../story.js';
import { date, day } from '../time.js';

/** A new baby, a young mother doing well, and the health visitor's routine contacts. */
export async function createMercerFamily(s: Services, { teams }: DemoAgencies, c: Cast): Promise<string> {
  const born = date(-79);
  const home = address('Flat 12, Linnet House, Canal Street', 'NM2 9EW', '2026-06-20');
  const isla = await s.database.db.transaction().execute(async (tx) => {
    const child = await addChild(tx, s, { given_name: 'Isla', family_name: 'Mercer', sex: 'female', date_of_birth: born, nhs_number: '9991050019', address: home }, c.hv2.id);
    const mother = await addAdult(tx, { given_name: 'Chloe', family_name: 'Mercer', sex: 'female', date_of_birth: '2006-03-15', address: home }, c.hv2.id);
    const father = await addAdult(tx, { given_name: 'Ryan', family_name: 'Tofts', sex: 'male', date_of_birth: '2005-11-02', address: home }, c.hv2.id);
    await insertRelationship(tx, child, { other_person_id: mother, kind: 'parent', lives_with_child: true, valid_from: born }, c.hv2.id);
    await insertRelationship(tx, child, { other_person_id: father, kind: 'parent', lives_with_child: true, valid_from: born }, c.hv2.id);
    return child;
  });
  await writeAll(s, [
    [c.hv2, isla, { kind: 'contact_referral', at: day(-77, '10:00'), narrative:
      'For information, not a referral: birth notification from maternity. Mother is 20 and a care leaver, supported by her personal adviser; father lives with them. Shared with consent so that early help is offered if wanted.',
      data: { source: 'health', is_referral: false, referrer_name: 'Bethan Lowry, Northmoor health visiting' } }],
  ]);
  await screenContact(s, c.sw, teams.assessment, isla, { kind: 'case_note', at: day(-76, '11:40'), narrative:
    'Information from the health visitor screened. No concerns for the baby\'s safety. Personal adviser told (with consent); family hub contact details sent to mother. No further action by children\'s social care.' });
  await writeAll(s, [
    [c.hv2, isla, { kind: 'home_visit', at: day(-67, '10:30'), narrative:
      'New birth visit, day 12. Isla feeding well and back to birth weight. Mother tired but confident; father doing night feeds. Flat warm and clean; safe sleep discussed and Moses basket seen.',
      data: { child_seen: true, child_seen_alone: false, announced: true, present: ['Chloe Mercer (mother)', 'Ryan Tofts (father)'] } }],
    [c.hv2, isla, { kind: 'health_appointment', at: day(-35, '14:15'), narrative: '6 to 8 week review at clinic: growth on the 50th centile, smiling, hips normal.',
      data: { service: '6 to 8 week review, Northmoor health visiting', outcome: 'attended' } }],
    [c.hv2, isla, { kind: 'home_visit', at: day(-22, '11:00'), narrative:
      'Maternal mood visit: mother feels well (EPDS 6). Going to the family hub baby group on Thursdays. No further visits needed beyond the universal schedule.',
      data: { child_seen: true, child_seen_alone: false, announced: true, present: ['Chloe Mercer (mother)'] } }],
  ]);
  return isla;
}
