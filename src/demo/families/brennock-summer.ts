import type { Cast } from '../practitioners.js';
import type { Step } from '../story.js';
import { hospitals } from '../agencies.js';
import { day } from '../time.js';
import type { BrennockFamily } from './brennock-household.js';

/**
 * Mid-July to August: a second hospital, a referral at last, a strategy discussion, and a return home
 * with a family friend as the "monitor" while the police argue for removal.
 */
export function brennockSummer(c: Cast, f: BrennockFamily): Step[] {
  return [
    [c.paed2, f.kai, { kind: 'hospital_attendance', at: day(-127, '14:30'), concerns: [f.mother], narrative:
      'Brought by mother; a man who came with them waited outside and left. Mother first said Kai fell off the sofa, then that his sister pulled him off it. Fingertip-pattern bruises on both upper arms, three bruises on the lower back and one on the left buttock. No previous attendance at this trust; we do not know whether he has been seen elsewhere. Admitted for a skeletal survey. Referred to children\'s social care.',
      data: { hospital: hospitals.riverside, department: 'emergency_department', presenting_complaint: 'Bruising to arms and back; fall from the sofa' } }],
    [c.paed2, f.kai, { kind: 'injury', at: day(-127, '14:45'), narrative:
      'Fingertip-pattern bruising on both upper arms; three bruises on the lower back; one on the left buttock. The explanation changed during the attendance.',
      data: { body_locations: ['upper_arm', 'back', 'buttocks'], injury_type: 'bruise', explanation_given: 'First: fell off the sofa. Later: his sister pulled him off the sofa.', explanation_consistent: 'no', child_mobile: true } }],
    [c.paed2, f.kai, { kind: 'contact_referral', at: day(-127, '16:10'), concerns: [f.mother], narrative:
      'Referral: bruising to a 13-month-old in a pattern that suggests gripping, with two different explanations. Mother mentions a partner but would not give his name. Kai admitted overnight for a skeletal survey. Please arrange a strategy discussion.',
      data: { source: 'health', is_referral: true, referrer_name: 'Dr Freya Lindholm, Riverside University Hospital' } }],
    [c.sw, f.kai, { kind: 'case_note', at: day(-127, '17:45'), narrative:
      'Referral from Riverside paediatrics received and allocated to me. Checks today: police domestic notice in June (a man called "Dean" present, not identified); health visitor reports missed appointments and a head injury seen at Northmoor General in May ("fell down stairs"); GP recorded bruising in March ("bruises easily"). Strategy discussion arranged for 09:30 tomorrow.',
    }],
    [c.dsl, f.kai, { kind: 'correspondence', at: day(-126, '09:00'), concerns: [f.maisie, f.partner], narrative:
      'Sent our records to children\'s social care for the strategy discussion: Maisie\'s attendance (89%, late often); on 8 June she said "mum\'s boyfriend lives with us" (Dean) and that he shouts when Kai cries.',
      data: { direction: 'sent', counterpart: 'Priya Ashdown, Northmoor Children\'s Services', subject: 'Information for the strategy discussion: Maisie and Kai Brennock' } }],
    [c.sw, f.kai, { kind: 'case_note', at: day(-126, '10:45'), concerns: [f.maisie, f.mother, f.partner], narrative:
      'Strategy discussion (by phone, chaired by Graham Ellery). Present: DC Tom Varley (police), Dr Freya Lindholm (Riverside paediatrics), Nia Carrow (health visitor), Dr Alun Prothero (GP), Owen Fairley (Elm Street Primary, for Maisie). Shared: four injuries in four months with different explanations; attendances at two hospitals; four appointments missed; a partner in the household whom no agency has identified. Decision: section 47 enquiries for Kai and Maisie, joint with police. Actions: identify the mother\'s partner and complete checks (Priya Ashdown, DC Varley); await the skeletal survey before deciding where Kai stays.',
    }],
    [c.police, f.kai, { kind: 'case_note', at: day(-126, '12:15'), concerns: [f.partner], narrative:
      'Police view after the strategy discussion: four injuries in four months with changing explanations, two hospitals, and an unidentified man living in the home. I believe Kai is at risk of significant harm and should be removed to a place of safety (police protection tonight, or an emergency protection order) until the partner is identified and checked. Children\'s social care do not agree. Disagreement recorded; raised with DS Okafor for escalation.',
    }],
    [c.paed2, f.kai, { kind: 'case_note', at: day(-126, '15:00'), narrative:
      'Skeletal survey: no fractures. The bruising pattern and the changing explanation remain of concern; a non-accidental cause cannot be excluded. Medically fit for discharge; where Kai goes is for children\'s social care.',
    }],
    [c.sw, f.kai, { kind: 'case_note', at: day(-126, '16:30'), concerns: [f.mother, f.friend, f.partner], narrative:
      'Decision (agreed with Graham Ellery, team manager): Kai will return home under safeguards rather than be removed. Safeguards: a written safety plan signed by the mother; Tina Folkard, a family friend the mother proposed, to visit every day and be there at bath and bed times as a monitor; the mother\'s partner not to be left alone with the children; unannounced visits. Police disagree and want removal to a place of safety; their view is recorded. Ms Folkard has not yet been assessed.',
    }],
    [c.sw, f.kai, { kind: 'correspondence', at: day(-126, '17:30'), concerns: [f.friend], narrative:
      'Letter to Tina Folkard confirming her part in the safety plan: a daily visit, present at bath and bed times, and to ring children\'s social care or the police at once if she is worried.',
      data: { direction: 'sent', counterpart: 'Tina Folkard (family friend)', subject: 'Safety plan: your role as Kai\'s monitor' } }],
    [c.sw, f.kai, { kind: 'home_visit', at: day(-125, '11:00'), concerns: [f.maisie, f.friend], narrative:
      'Visit the day after Kai came home. Kai and Maisie seen; bedrooms seen. Safety plan gone through with mother and Ms Folkard. The partner was not there: mother says he is "staying at his brother\'s" and would not give his surname or date of birth.',
      data: { child_seen: true, child_seen_alone: false, announced: true, present: ['Jade Brennock (mother)', 'Tina Folkard (family friend)', 'Maisie'] } }],
    [c.sw, f.maisie, { kind: 'home_visit', at: day(-125, '11:30'), narrative:
      'Maisie seen alone in her bedroom. She said Dean "is nice sometimes" and "gets cross when Kai cries". She likes Tina.',
      data: { child_seen: true, child_seen_alone: true, announced: true, present: ['Jade Brennock (mother)', 'Tina Folkard (family friend)'] } }],
    [c.police, f.kai, { kind: 'police_incident', at: day(-123, '14:00'), concerns: [f.mother], narrative:
      'Mother interviewed under caution about Kai\'s injuries and released under investigation. She declined to give her partner\'s full name.',
      data: { incident_type: 'assault', reference: 'NMP/26/082211', investigation_status: 'open' } }],
    [c.tm, f.kai, { kind: 'case_note', at: day(-120, '16:00'), narrative:
      'Management oversight: I agree the return home under safeguards. Escalation received from police (DS Okafor); discussed by phone; the decision stands and police disagreement is noted. Initial child protection conference to be held within 15 working days of the strategy discussion.',
    }],
    [c.sw, f.kai, { kind: 'case_note', at: day(-108, '15:30'), concerns: [f.maisie], narrative:
      'Initial child protection conference (chair: Lorna Featherstone). Kai: child protection plan, physical abuse. Maisie: child protection plan, neglect. Core group: Priya Ashdown, Nia Carrow, Dr Alun Prothero, Owen Fairley. Actions: identify and check the mother\'s partner; assess Tina Folkard; first core group within 10 working days. Police invited; report sent, did not attend.',
    }],
    [c.hv, f.kai, { kind: 'home_visit', at: day(-101, '10:15'), concerns: [f.partner], narrative:
      'Unannounced visit. A man introduced as "Dean" was there and left the room when I arrived. Kai has a new bruise on the left cheek: mother says Maisie hit him with a toy. Tina Folkard not there; mother says she "comes in the evenings". Told the social worker by phone.',
      data: { child_seen: true, child_seen_alone: false, announced: false, present: ['Jade Brennock (mother)', 'A man introduced as "Dean"'] } }],
    [c.hv, f.kai, { kind: 'injury', at: day(-101, '10:20'), narrative:
      'Bruise about 3 cm on the left cheek. Mother: sister hit him with a toy.',
      data: { body_locations: ['face'], injury_type: 'bruise', explanation_given: 'His sister hit him with a toy', explanation_consistent: 'unclear', child_mobile: true } }],
    [c.sw, f.kai, { kind: 'case_note', at: day(-98, '14:00'), concerns: [f.friend, f.partner], narrative:
      'First core group. Ms Folkard told me by phone she visits "most days". Partner check still outstanding: mother now says he "doesn\'t live here". Health visitor\'s sighting of him on 11 August discussed. No assessment of Ms Folkard yet.',
    }],
    [c.gp, f.kai, { kind: 'health_appointment', at: day(-88, '09:20'), narrative:
      'Not brought to the review of the cheek bruise asked for by the core group.',
      data: { service: 'GP review, Moorside Surgery', outcome: 'was_not_brought' } }],
  ];
}
