import type { Services } from '../../app.js';
import { insertRelationship } from '../../people/store.js';
import type { DemoAgencies } from '../agencies.js';
import type { Cast } from '../practitioners.js';
import { addAdult, addChild, address, screenContact, writeAll } from '../story.js';
import { day } from '../time.js';

/** A school attendance concern, talked through with the front door and resolved by the school. */
export async function createPennantFamily(s: Services, { agencies, teams }: DemoAgencies, c: Cast): Promise<string> {
  const home = address('31 Foundry Close', 'NM3 8LA', '2016-09-01');
  const oliver = await s.database.db.transaction().execute(async (tx) => {
    const child = await addChild(tx, s, {
      given_name: 'Oliver', family_name: 'Pennant', sex: 'male', date_of_birth: '2017-05-22', nhs_number: '9991030018',
      local_ids: [{ agency_id: agencies.school, value: 'ESP-2021-0342' }], address: home,
    }, c.dsl.id);
    const mother = await addAdult(tx, { given_name: 'Claire', family_name: 'Pennant', sex: 'female', date_of_birth: '1988-12-04', address: home }, c.dsl.id);
    await insertRelationship(tx, child, { other_person_id: mother, kind: 'parent', lives_with_child: true, valid_from: '2017-05-22' }, c.dsl.id);
    return child;
  });
  await writeAll(s, [
    [c.dsl, oliver, { kind: 'contact_referral', at: day(-130, '11:15'), narrative:
      'Consultation, not a referral: Oliver\'s attendance is 84% this term, mostly Mondays. Mother works early shifts and says mornings are "chaos". No other worries about his care. Asked whether children\'s social care should be involved.',
      data: { source: 'school', is_referral: false, referrer_name: 'Owen Fairley, Elm Street Primary School' } }],
    [c.dsl, oliver, { kind: 'school_concern', at: day(-130, '11:30'), narrative: 'Attendance 84% this term; 16 sessions missed, 11 of them Mondays.',
      data: { concern_type: 'attendance', sessions_missed: 16 } }],
  ]);
  await screenContact(s, c.sw, teams.assessment, oliver, { kind: 'case_note', at: day(-129, '14:00'), narrative:
    'Consultation from Elm Street Primary screened. Not known to children\'s social care; no safeguarding concerns described. Advised the school to hold an attendance support meeting with mother and to offer early help (breakfast club). No further action by children\'s social care.' });
  await writeAll(s, [
    [c.dsl, oliver, { kind: 'correspondence', at: day(-115, '16:00'), narrative: 'Attendance support meeting with mother. Agreed: breakfast club place from Monday; weekly check-in with his class teacher.',
      data: { direction: 'sent', counterpart: 'Claire Pennant (mother)', subject: 'Attendance support plan for Oliver' } }],
    [c.dsl, oliver, { kind: 'case_note', at: day(-60, '15:45'), narrative:
      'Attendance 97% over the last eight weeks and no late marks. Oliver enjoys breakfast club. Concern closed.' }],
  ]);
  return oliver;
}
