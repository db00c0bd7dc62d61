import type { Services } from '../../app.js';
import { ChildDoor } from '../../access/door.js';
import { DisagreementService } from '../../decisions/disagreement-service.js';
import { scheduleStageTimer } from '../../decisions/timers.js';
import type { Cast } from '../practitioners.js';
import { instant } from '../time.js';

/**
 * The police's disagreement with Kai's return home, opened by DC Varley's dissent at the strategy
 * discussion of day -126 (src/demo/process.ts). Each response and answer is recorded through
 * DisagreementService at the moment it happened (a door and a service whose clock is that moment), so
 * the stages, deadlines, notices and escalation timers are those a real service would have given.
 * On the anchor day it waits at stage 3 (heads of service), past its deadline.
 */
export async function playBrennockDisagreement(s: Services, c: Cast, kai: string, id: string): Promise<void> {
  const at = (when: Date) => {
    const clock = () => when;
    const service = new DisagreementService(new ChildDoor(s.database.db, clock), s.sealer, clock);
    service.onChange(scheduleStageTimer);
    return service;
  };
  // Stage 1: the social worker answers the police officer; he does not accept it.
  await at(instant(-123, '09:30')).respond(c.sw, kai, id, { response:
    'Discussed with DC Varley by phone. The skeletal survey found no fractures and Kai was fit for discharge, so with Graham Ellery I decided he could go home under a written safety plan: Tina Folkard there every day at bath and bed times, the partner not left alone with the children, unannounced visits. Agreed: police and I identify and check the partner this week; I see Ms Folkard on Wednesday; the conference reviews the plan.' });
  await at(instant(-123, '16:00')).answer(c.police, kai, id, { accept: false, reason:
    'Mother was interviewed under caution today and still will not name her partner. The plan rests on a family friend nobody has assessed while an unidentified man lives in the home. Not accepted; raised with DS Okafor for the managers.' });
  // Stage 2: the team manager answers for social care (DC Varley's sergeant is not a Sightline user).
  await at(instant(-120, '15:45')).respond(c.tm, kai, id, { response:
    'I have reviewed the decision and spoken to DS Okafor: the decision stands. The survey found no fractures, the mother is working with the plan and Kai has been seen at home since. The plan is strengthened: Ms Folkard to be seen and checked by Friday; the partner identified with police before the conference; unannounced visits at least weekly. The police view goes to the conference.' });
  // The fracture in September: the police do not accept it any longer and take it to the senior managers.
  await at(instant(-73, '15:00')).answer(c.police, kai, id, { accept: false, reason:
    'Kai now has a fracture with a delayed presentation and the same "fell down the stairs" explanation. Ms Folkard has still not been assessed and the partner is still not identified. He should be removed to a place of safety now. Escalated to senior managers; DS Okafor informed.' });
}
