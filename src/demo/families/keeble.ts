import type { Services } from '../../app.js';
import { addGroupMember, allocate, insertRelationship } from '../../people/store.js';
import type { DemoAgencies } from '../agencies.js';
import type { Cast } from '../practitioners.js';
import { addAdult, addChild, address, writeAll } from '../story.js';
import { day, instant } from '../time.js';

/** A teenager going missing, with signs of criminal exploitation: police, school and social care. */
export async function createKeebleFamily(s: Services, { agencies, teams }: DemoAgencies, c: Cast): Promise<string> {
  const home = address('88 Tannery Road', 'NM5 1PJ', '2012-03-01');
  const jordan = await s.database.db.transaction().execute(async (tx) => {
    const child = await addChild(tx, s, {
      given_name: 'Jordan', family_name: 'Keeble', sex: 'male', date_of_birth: '2011-02-18', nhs_number: '9991060014',
      local_ids: [{ agency_id: agencies.school2, value: 'NMA-2022-1178' }], address: home,
    }, c.sw.id);
    const mother = await addAdult(tx, { given_name: 'Dawn', family_name: 'Keeble', sex: 'female', date_of_birth: '1983-09-09', address: home }, c.sw.id);
    await insertRelationship(tx, child, { other_person_id: mother, kind: 'parent', lives_with_child: true, valid_from: '2011-02-18' }, c.sw.id);
    await allocate(tx, child, c.sw.id, teams.assessment, c.tm.id, instant(-205, '09:00'));
    for (const who of [c.police2, c.police, c.dsl2]) await addGroupMember(tx, child, who.id, 'strategy_discussion', c.sw.id, instant(-61, '10:00'));
    return child;
  });
  await writeAll(s, [
    [c.sw, jordan, { kind: 'home_visit', at: day(-203, '16:30'), narrative:
      'Child and family assessment visit. Jordan seen alone in his bedroom: says he is "fine, just bored". Mother worried about older friends and new trainers she did not buy.',
      data: { child_seen: true, child_seen_alone: true, announced: true, present: ['Dawn Keeble (mother)'] } }],
    [c.dsl2, jordan, { kind: 'school_concern', at: day(-150, '13:00'), narrative: 'Attendance 86% this term. Seen at the gate at lunchtime with two older young men not on roll.',
      data: { concern_type: 'attendance', sessions_missed: 14 } }],
    [c.police2, jordan, { kind: 'police_incident', at: day(-62, '03:10'), narrative:
      'Reported missing by mother at 22:30 after not coming home from school. Found at 03:10 in a flat in the Riverside area with two adults, both known to police. Returned home; safe and well check done. He had a second phone and £60 in cash.',
      data: { incident_type: 'missing_child', reference: 'NMP/26/104877', investigation_status: 'not_applicable' } }],
    [c.sw, jordan, { kind: 'case_note', at: day(-62, '15:00'), narrative:
      'Return home interview. Jordan says he was "with mates" and will not say how he got to Riverside. Would not explain the phone or cash. Strategy discussion requested because of exploitation concerns.' }],
    [c.sw, jordan, { kind: 'case_note', at: day(-61, '11:30'), narrative:
      'Strategy discussion: PC Aisha Brannigan, DC Tom Varley, Carys Whitlow (Northmoor Academy), Graham Ellery. Concern: criminal exploitation (county lines). Decision: section 47 enquiry; police to share intelligence on the Riverside address; school to put a safety plan in place at the gate.' }],
    [c.dsl2, jordan, { kind: 'school_concern', at: day(-40, '14:20'), narrative: 'Jordan has a new phone and designer clothing; says an "uncle" gave them to him. Falling asleep in lessons.',
      data: { concern_type: 'welfare' } }],
    [c.police2, jordan, { kind: 'police_incident', at: day(-12, '18:00'), narrative:
      'Second missing episode: missing for 26 hours, found by officers in the Riverside area. Returned home. Referral for a National Referral Mechanism decision being considered.',
      data: { incident_type: 'missing_child', reference: 'NMP/26/119302', investigation_status: 'open' } }],
    [c.sw, jordan, { kind: 'case_note', at: day(-11, '12:00'), narrative:
      'Second return home interview. Jordan more talkative; said he "owes" someone money. Discussed with police; exploitation meeting set for next week.' }],
  ]);
  return jordan;
}
