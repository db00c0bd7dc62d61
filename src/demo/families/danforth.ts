import type { Services } from '../../app.js';
import { allocate, insertRelationship } from '../../people/store.js';
import type { DemoAgencies } from '../agencies.js';
import type { Cast } from '../practitioners.js';
import { addAdult, addChild, address, writeAll } from '../story.js';
import { day, instant } from '../time.js';

/**
 * A child allocated to the Child Protection Team. The demo social worker (another team) has no
 * relationship with him: she reaches him only by recorded emergency access.
 */
export async function createDanforthFamily(s: Services, { teams }: DemoAgencies, c: Cast): Promise<string> {
  const home = address('2 Quarry Cottages, Moor Road', 'NM6 3DF', '2018-05-01');
  const leo = await s.database.db.transaction().execute(async (tx) => {
    const child = await addChild(tx, s, { given_name: 'Leo', family_name: 'Danforth', sex: 'male', date_of_birth: '2019-11-30', nhs_number: '9991070028', address: home }, c.cpsw.id);
    const mother = await addAdult(tx, { given_name: 'Sarah', family_name: 'Danforth', sex: 'female', date_of_birth: '1990-01-27', address: home }, c.cpsw.id);
    await insertRelationship(tx, child, { other_person_id: mother, kind: 'parent', lives_with_child: true, valid_from: '2019-11-30' }, c.cpsw.id);
    return child;
  });
  await writeAll(s, [
    [c.police2, leo, { kind: 'contact_referral', at: day(-153, '22:40'), narrative:
      'Officers at a neighbour dispute found Leo (6) alone at home at 21:00. Mother came back at 22:15 and said she had "popped to a friend\'s". Little food in the house. Referral for assessment.',
      data: { source: 'police', is_referral: true, referrer_name: 'PC Aisha Brannigan, Northmoor Police' } }],
  ]);
  await allocate(s.database.db, leo, c.cpsw.id, teams.childProtection, c.cptm.id, instant(-152, '09:00'));
  await writeAll(s, [
    [c.cpsw, leo, { kind: 'case_note', at: day(-152, '12:00'), narrative:
      'Strategy discussion with police (PC Brannigan) and school. Decision: section 47 enquiry for neglect. Allocated to me in the Child Protection Team.' }],
    [c.cpsw, leo, { kind: 'home_visit', at: day(-150, '15:30'), narrative:
      'Leo seen alone in his bedroom: bed without a sheet, few toys. Says he is "sometimes on my own at night". Kitchen nearly empty; food parcel arranged.',
      data: { child_seen: true, child_seen_alone: true, announced: true, present: ['Sarah Danforth (mother)'] } }],
    [c.cpsw, leo, { kind: 'case_note', at: day(-138, '14:30'), narrative:
      'Initial child protection conference: child protection plan, category neglect. Plan: childcare for evening shifts, family hub support, weekly visits.' }],
    [c.cpsw, leo, { kind: 'home_visit', at: day(-40, '16:00'), narrative:
      'Unannounced visit. Leo seen alone; cheerful, showed me his new bedding and school reading book. Food in the cupboards. Grandmother now looks after him on evening shifts.',
      data: { child_seen: true, child_seen_alone: true, announced: false, present: ['Sarah Danforth (mother)', 'Maternal grandmother'] } }],
  ]);
  return leo;
}
