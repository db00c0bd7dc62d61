import type { Services } from '../../app.js';
import { addGroupMember, allocate, insertRelationship } from '../../people/store.js';
import type { DemoAgencies } from '../agencies.js';
import type { Cast } from '../practitioners.js';
import { addAdult, addChild, address } from '../story.js';
import { date, instant } from '../time.js';

export interface BrennockFamily {
  kai: string;
  maisie: string;
  mother: string;
  father: string;
  partner: string;
  friend: string;
}

const home = address('14 Carder Row', 'NM4 7QT', '2024-03-01');

/**
 * The key demo family. Kai (an infant) and his sister Maisie live with their mother. Kai's father
 * left in February; the mother's new partner moved in soon after. The partner is on record only
 * because the school's DSL wrote down what Maisie said; nobody has checked who he is.
 */
export async function createBrennockHousehold(s: Services, { agencies, teams }: DemoAgencies, cast: Cast): Promise<BrennockFamily> {
  return s.database.db.transaction().execute(async (tx) => {
    const sw = cast.sw.id;
    const kai = await addChild(tx, s, {
      given_name: 'Kai', family_name: 'Brennock', sex: 'male', date_of_birth: '2025-06-14', nhs_number: '9991010017',
      local_ids: [{ agency_id: agencies.la, value: 'NMC-104233' }], address: home,
    }, sw);
    const maisie = await addChild(tx, s, {
      given_name: 'Maisie', family_name: 'Brennock', sex: 'female', date_of_birth: '2018-10-03', nhs_number: '9991020012',
      local_ids: [{ agency_id: agencies.la, value: 'NMC-104234' }, { agency_id: agencies.school, value: 'ESP-2022-0187' }], address: home,
    }, sw);
    const mother = await addAdult(tx, { given_name: 'Jade', family_name: 'Brennock', sex: 'female', date_of_birth: '1999-02-11', address: home }, sw);
    const father = await addAdult(tx, {
      given_name: 'Liam', family_name: 'Sorrell', sex: 'male', date_of_birth: '1997-08-29',
      address: address('Flat 3, 22 Weaver Street', 'NM2 5HD', '2026-02-27'),
    }, sw);
    // Only a first name and a family name heard second-hand: no date of birth, no address of his own.
    const partner = await addAdult(tx, { given_name: 'Dean', family_name: 'Harker', sex: 'male' }, cast.dsl.id);
    const friend = await addAdult(tx, { given_name: 'Tina', family_name: 'Folkard', sex: 'female', address: address('7 Mill Lane', 'NM4 2BX', '2019-06-01') }, sw);

    const rel = (child: string, other: string, kind: string, lives: boolean, from: string, to: string | null, by: string) =>
      insertRelationship(tx, child, { other_person_id: other, kind, lives_with_child: lives, valid_from: from, valid_to: to }, by);
    await rel(kai, mother, 'parent', true, '2025-06-14', null, sw);
    await rel(kai, father, 'parent', true, '2025-06-14', '2026-02-27', sw);
    await rel(kai, maisie, 'sibling', true, '2025-06-14', null, sw);
    await rel(maisie, mother, 'parent', true, '2018-10-03', null, sw);
    await rel(maisie, kai, 'sibling', true, '2025-06-14', null, sw);
    await rel(maisie, father, 'partner_of_carer', true, '2023-05-01', '2026-02-27', sw);
    // Recorded by the school DSL from what Maisie said ("after Easter"); no check has been done.
    await rel(kai, partner, 'partner_of_carer', true, '2026-04-13', null, cast.dsl.id);
    await rel(maisie, partner, 'partner_of_carer', true, '2026-04-13', null, cast.dsl.id);
    // The "monitor" the mother chose when Kai went home; never assessed.
    await rel(kai, friend, 'family_friend', false, date(-126), null, sw);

    // Allocated the evening the Riverside referral came in.
    const referred = instant(-127, '17:30');
    await allocate(tx, kai, sw, teams.assessment, cast.tm.id, referred);
    await allocate(tx, maisie, sw, teams.assessment, cast.tm.id, referred);
    const strategy = instant(-126, '09:30');
    for (const who of [cast.police, cast.hv, cast.paed2, cast.dsl, cast.gp]) await addGroupMember(tx, kai, who.id, 'strategy_discussion', sw, strategy);
    for (const who of [cast.police, cast.dsl]) await addGroupMember(tx, maisie, who.id, 'strategy_discussion', sw, strategy);
    await addGroupMember(tx, kai, cast.paed.id, 'strategy_discussion', sw, instant(-73, '09:00'));
    const conference = instant(-108, '13:00');
    for (const who of [cast.hv, cast.gp, cast.dsl]) await addGroupMember(tx, kai, who.id, 'core_group', sw, conference);
    for (const who of [cast.hv, cast.dsl]) await addGroupMember(tx, maisie, who.id, 'core_group', sw, conference);
    return { kai, maisie, mother, father, partner, friend };
  });
}
