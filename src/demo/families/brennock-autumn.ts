import type { Cast } from '../practitioners.js';
import type { Step } from '../story.js';
import { hospitals } from '../agencies.js';
import { day } from '../time.js';
import type { BrennockFamily } from './brennock-household.js';

/**
 * September to November: a fracture at the first hospital, a second strategy discussion, a legal
 * planning meeting that keeps not happening, a visit with no answer, and the partner "back".
 */
export function brennockAutumn(c: Cast, f: BrennockFamily): Step[] {
  return [
    [c.paed, f.kai, { kind: 'hospital_attendance', at: day(-74, '19:15'), concerns: [f.mother], narrative:
      'Brought by mother several hours after the injury. She says Kai fell down the stairs. X-ray: buckle fracture of the left wrist. Bruising on the left thigh. Child protection information check: Kai has a child protection plan; the social worker was phoned. We knew of his May attendance here; we did not know of his July attendance at Riverside until the social worker told us.',
      data: { hospital: hospitals.northmoor, department: 'emergency_department', presenting_complaint: 'Swollen left wrist: fell down the stairs' } }],
    [c.paed, f.kai, { kind: 'injury', at: day(-74, '19:40'), narrative:
      'Buckle fracture of the left distal radius; bruising to the left thigh. Delayed presentation. Second "fell down the stairs" explanation at this hospital.',
      data: { body_locations: ['forearm', 'thigh'], injury_type: 'fracture', explanation_given: 'Fell down the stairs', explanation_consistent: 'no', child_mobile: true } }],
    [c.sw, f.kai, { kind: 'case_note', at: day(-73, '12:30'), concerns: [f.mother, f.partner, f.friend], narrative:
      'Second strategy discussion. Present: DC Tom Varley, Dr Imran Castell (Northmoor General), Nia Carrow, Graham Ellery. Section 47 enquiry re-opened. Police again ask for removal. Decision (Graham Ellery): request a legal planning meeting; Kai to stay at home meanwhile with the safety plan strengthened (Tina Folkard to stay overnight for a week). Partner still not identified.',
    }],
    [c.police, f.kai, { kind: 'case_note', at: day(-73, '15:00'), narrative:
      'Police view (second time): a fracture with a delayed presentation and a repeated explanation. Kai should be removed to a place of safety now. I do not agree with a plan that relies on a family friend nobody has assessed. Escalated again to DS Okafor; recorded as a professional disagreement.',
    }],
    [c.sw, f.kai, { kind: 'case_note', at: day(-72, '10:00'), narrative:
      'Legal planning meeting requested from legal services. No date offered yet.',
    }],
    [c.dsl, f.maisie, { kind: 'school_concern', at: day(-70, '15:20'), narrative:
      'New term: Maisie has missed 6 of the first 12 sessions. Says she "had to mind Kai". Uniform unwashed.',
      data: { concern_type: 'attendance', sessions_missed: 6 } }],
    [c.hv, f.kai, { kind: 'health_appointment', at: day(-60, '13:45'), narrative:
      'Development review (15 months), brought by Tina Folkard. Kai quiet and watchful; did not babble or reach for toys. Weight has dropped from the 50th to the 25th centile.',
      data: { service: '15-month development review, Northmoor health visiting', outcome: 'attended' } }],
    [c.sw, f.kai, { kind: 'home_visit', at: day(-45, '16:20'), narrative:
      'Unannounced visit. No answer, although the television was on and a man\'s voice could be heard inside. Card left. Children not seen.',
      data: { child_seen: false, child_seen_alone: false, announced: false, present: [] } }],
    [c.sw, f.kai, { kind: 'correspondence', at: day(-44, '09:00'), concerns: [f.mother], narrative:
      'Letter to mother asking her to ring me today to arrange to see Kai and Maisie.',
      data: { direction: 'sent', counterpart: 'Jade Brennock (mother)', subject: 'I could not see the children yesterday' } }],
    [c.sw, f.kai, { kind: 'home_visit', at: day(-38, '11:00'), concerns: [f.friend], narrative:
      'Announced visit. Kai in long sleeves and leggings; mother would not undress him "because he has a cold". Tina Folkard there and says "everything is fine". Partner not there.',
      data: { child_seen: true, child_seen_alone: false, announced: true, present: ['Jade Brennock (mother)', 'Tina Folkard (family friend)'] } }],
    [c.dsl, f.maisie, { kind: 'school_concern', at: day(-30, '12:40'), concerns: [f.partner, f.friend, f.kai], narrative:
      'Maisie told her teacher "Dean is back living with us and Tina doesn\'t come any more". Told the social worker the same day.',
      data: { concern_type: 'welfare' } }],
    [c.dsl, f.kai, { kind: 'correspondence', at: day(-30, '13:05'), concerns: [f.maisie, f.partner], narrative:
      'Emailed the social worker: Maisie says her mother\'s partner Dean is back in the household and the family friend no longer visits.',
      data: { direction: 'sent', counterpart: 'Priya Ashdown, Northmoor Children\'s Services', subject: 'Maisie says Dean is back living at home' } }],
    [c.gp, f.kai, { kind: 'health_appointment', at: day(-21, '10:30'), narrative:
      'Not brought for the 15-month immunisations. Fourth appointment missed at this practice this year.',
      data: { service: 'Immunisations, Moorside Surgery', outcome: 'was_not_brought' } }],
    [c.police, f.kai, { kind: 'case_note', at: day(-14, '16:45'), concerns: [f.partner], narrative:
      'Investigation still open. Asked children\'s social care again for the partner\'s full name and date of birth so that checks can be run; none held. The legal planning meeting asked for seven weeks ago has still not taken place.',
    }],
    [c.tm, f.kai, { kind: 'case_note', at: day(-7, '15:00'), narrative:
      'Supervision with Priya Ashdown. Legal planning meeting now booked. Partner still not identified or checked; family friend not assessed; monitor arrangement has lapsed. Unannounced visit to be made next week with police.',
    }],
    [c.dsl, f.maisie, { kind: 'school_concern', at: day(-4, '15:10'), narrative:
      'Maisie absent three days this week; mother says she is ill. No medical evidence. Attendance this term 82%.',
      data: { concern_type: 'attendance', sessions_missed: 6 } }],
  ];
}
