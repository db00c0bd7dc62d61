import type { Services } from '../../app.js';
import { insertRelationship } from '../../people/store.js';
import type { DemoAgencies } from '../agencies.js';
import type { Cast } from '../practitioners.js';
import { addAdult, addChild, address, screenContact, write } from '../story.js';
import { day } from '../time.js';

/** A single referral from the GP, closed with advice and signposting. */
export async function createAskewFamily(s: Services, { teams }: DemoAgencies, c: Cast): Promise<string> {
  const home = address('5 Heron Walk', 'NM1 4TG', '2021-04-12');
  const ruby = await s.database.db.transaction().execute(async (tx) => {
    const child = await addChild(tx, s, { given_name: 'Ruby', family_name: 'Askew', sex: 'female', date_of_birth: '2022-01-09', nhs_number: '9991040013', address: home }, c.gp.id);
    const mother = await addAdult(tx, { given_name: 'Gemma', family_name: 'Askew', sex: 'female', date_of_birth: '1994-07-19', nhs_number: '9991080015', address: home }, c.gp.id);
    await insertRelationship(tx, child, { other_person_id: mother, kind: 'parent', lives_with_child: true, valid_from: '2022-01-09' }, c.gp.id);
    return child;
  });
  await write(s, c.gp, ruby, { kind: 'contact_referral', at: day(-95, '12:10'), narrative:
    'Mother disclosed low mood and said she sometimes "can\'t cope" with Ruby\'s tantrums. Ruby well presented, growth normal, immunisations up to date; no injuries or concerns about her care. Mother agrees to this referral for family support.',
    data: { source: 'health', is_referral: true, referrer_name: 'Dr Alun Prothero, Moorside Surgery' } });
  await screenContact(s, c.sw, teams.assessment, ruby, { kind: 'case_note', at: day(-94, '15:30'), narrative:
    'Referral screened. Spoke to mother and the GP. Mother is on the waiting list for talking therapies and would like a parenting group. No safeguarding concerns. Closed with advice: referred to the family hub parenting group and given the out-of-hours number.' });
  await write(s, c.sw, ruby, { kind: 'correspondence', at: day(-94, '16:00'), narrative: 'Told the GP the outcome: closed with advice and a family hub referral.',
    data: { direction: 'sent', counterpart: 'Dr Alun Prothero, Moorside Surgery', subject: 'Your referral about Ruby Askew: closed with advice' } });
  return ruby;
}
