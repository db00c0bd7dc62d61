import type { Services } from '../../app.js';
import { ChildDoor } from '../../access/door.js';
import type { DemoAgencies } from '../agencies.js';
import type { Cast } from '../practitioners.js';
import { writeAll } from '../story.js';
import { instant } from '../time.js';
import { brennockAutumn } from './brennock-autumn.js';
import { createBrennockHousehold, type BrennockFamily } from './brennock-household.js';
import { brennockSpring } from './brennock-spring.js';
import { brennockSummer } from './brennock-summer.js';

/**
 * The key demo family: about eight months of the pattern that child safeguarding practice reviews keep
 * finding (repeated injuries with changing explanations, two hospitals, children not brought, an
 * unchecked man in the household, a "monitor" instead of an assessment, police and social care
 * disagreeing about removal), recorded by all four agencies into one chronology.
 */
export async function createBrennockFamily(s: Services, d: DemoAgencies, c: Cast): Promise<BrennockFamily> {
  const f = await createBrennockHousehold(s, d, c);
  await writeAll(s, [...brennockSpring(c, f), ...brennockSummer(c, f), ...brennockAutumn(c, f)]);
  // The Northmoor paediatrician looked at Kai's record from the emergency department before he was
  // part of the strategy discussion; the door's clock is set to that evening so the grant is in the past.
  await new ChildDoor(s.database.db, () => instant(-74, '19:25')).grantEmergency(c.paed, f.kai,
    'Child in the emergency department with a wrist fracture; the child protection information check shows a plan. Need the history before deciding on discharge.', 4);
  return f;
}
