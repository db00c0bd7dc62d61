import type { Cast } from '../practitioners.js';
import type { Step } from '../story.js';
import { hospitals } from '../agencies.js';
import { day } from '../time.js';
import type { BrennockFamily } from './brennock-household.js';

/**
 * March to early July: each agency sees a piece (bruises that "come easily", a fall down the stairs,
 * appointments missed, a man nobody names, a domestic call-out) and nobody puts the pieces together.
 */
export function brennockSpring(c: Cast, f: BrennockFamily): Step[] {
  return [
    [c.gp, f.kai, { kind: 'injury', at: day(-248, '10:20'), concerns: [f.mother], narrative:
      'Seen with mother for a cough. Two small bruises on the forehead and one on the left side of the chest. Mother says Kai "bruises easily" and must have knocked himself on the cot bars. Kai sits unsupported and is not yet crawling. Chest clear. Advised to bring him back in a week so the bruising can be reviewed.',
      data: { body_locations: ['head', 'chest'], injury_type: 'bruise', explanation_given: 'Bruises easily; knocked himself on the cot bars', explanation_consistent: 'unclear', child_mobile: false } }],
    [c.gp, f.kai, { kind: 'health_appointment', at: day(-241, '09:40'), narrative:
      'Kai was not brought to the bruising review. Text reminder sent; no reply.',
      data: { service: 'GP review of bruising, Moorside Surgery', outcome: 'was_not_brought' } }],
    [c.hv, f.kai, { kind: 'health_appointment', at: day(-232, '13:30'), narrative:
      'Not brought to the 9 to 12 month development review at the clinic. Mother rang later to say she "forgot". Rebooked as a home visit.',
      data: { service: '9 to 12 month development review, Northmoor health visiting', outcome: 'was_not_brought' } }],
    [c.hv, f.kai, { kind: 'home_visit', at: day(-221, '11:00'), narrative:
      'Development review done at home. Kai now crawling and pulling to stand; babbling. Fading yellow bruise on the right cheek: mother says he "bruises easily" and bumps into the furniture. No stair gate. A man\'s work boots and jacket in the hall; mother said they belong to "a friend who helps out". Not asked further.',
      data: { child_seen: true, child_seen_alone: false, announced: true, present: ['Jade Brennock (mother)', 'Kai'] } }],
    [c.hv, f.kai, { kind: 'injury', at: day(-221, '11:05'), narrative:
      'Fading bruise, about 2 cm, on the right cheek. Explanation: bumps into furniture, bruises easily.',
      data: { body_locations: ['face'], injury_type: 'bruise', explanation_given: 'Bumps into the furniture; bruises easily', explanation_consistent: 'unclear', child_mobile: true } }],
    [c.paed, f.kai, { kind: 'hospital_attendance', at: day(-203, '21:40'), concerns: [f.mother], narrative:
      'Brought to the emergency department by mother at 21:40. Mother says Kai fell down the stairs about an hour earlier while she was in the kitchen. Swelling and bruising on the left forehead and a bruise behind the left ear. Alert and feeding. No skull fracture found on examination. Discharged home with head-injury advice; discharge letter to the GP and the health visitor.',
      data: { hospital: hospitals.northmoor, department: 'emergency_department', presenting_complaint: 'Head injury: fell down the stairs' } }],
    [c.paed, f.kai, { kind: 'injury', at: day(-203, '21:50'), narrative:
      'Swelling and bruising, left forehead (4 cm); bruise behind the left ear. Mother: "fell down the stairs".',
      data: { body_locations: ['head', 'ear'], injury_type: 'head_injury', explanation_given: 'Fell down the stairs while mother was in the kitchen', explanation_consistent: 'unclear', child_mobile: true } }],
    [c.hv, f.kai, { kind: 'correspondence', at: day(-199, '09:15'), narrative:
      'Discharge letter received from Northmoor General: head injury, "fell down stairs". Filed; to discuss at the next contact.',
      data: { direction: 'received', counterpart: 'Northmoor General Hospital emergency department', subject: 'Discharge letter: head injury (fell down the stairs)' } }],
    [c.gp, f.kai, { kind: 'health_appointment', at: day(-190, '10:10'), narrative:
      'Not brought for the 12-month immunisations. Second missed appointment this year. Letter sent to mother.',
      data: { service: '12-month immunisations, Moorside Surgery', outcome: 'was_not_brought' } }],
    [c.dsl, f.maisie, { kind: 'school_concern', at: day(-172, '15:30'), narrative:
      'Maisie\'s attendance has fallen to 89% this term: mostly Mondays, and late three times last week. She says she was "looking after Kai". Letter to mother.',
      data: { concern_type: 'attendance', sessions_missed: 11 } }],
    [c.dsl, f.maisie, { kind: 'school_concern', at: day(-165, '14:10'), concerns: [f.kai, f.partner, f.mother], narrative:
      'In circle time Maisie said "mum\'s boyfriend lives with us now, he\'s called Dean" and that "he shouts when Kai cries". She was tired and had not had breakfast. At pick-up mother said Dean "stays over sometimes". Added Dean Harker to Maisie\'s and Kai\'s household from what Maisie said (moved in "after Easter"). Logged; will keep an eye on Maisie.',
      data: { concern_type: 'welfare' } }],
    [c.hv, f.kai, { kind: 'home_visit', at: day(-158, '10:30'), narrative:
      'Kai seen in his high chair, content. Mother says she is coping well. No marks seen. New partner not mentioned and not asked about.',
      data: { child_seen: true, child_seen_alone: false, announced: true, present: ['Jade Brennock (mother)', 'Kai'] } }],
    [c.police, f.kai, { kind: 'police_incident', at: day(-146, '23:50'), concerns: [f.mother, f.partner, f.maisie], narrative:
      'A neighbour reported shouting and a baby screaming. Officers attended. Present: mother, a man who gave his name only as "Dean", Maisie and Kai. Both adults denied an argument. The man left while officers spoke to the mother; his details were not confirmed and no checks were done. Children seen, no visible injuries. DASH: standard risk. Notice sent to children\'s social care.',
      data: { incident_type: 'domestic_abuse', reference: 'NMP/26/071432', investigation_status: 'no_further_action' } }],
    [c.police, f.kai, { kind: 'contact_referral', at: day(-145, '08:30'), narrative:
      'Police protection notice: verbal domestic incident at 14 Carder Row, two children present (Kai, 12 months; Maisie, 7). Standard risk. For information.',
      data: { source: 'police', is_referral: false, referrer_name: 'DC Tom Varley, Northmoor Police' } }],
    [c.tm, f.kai, { kind: 'case_note', at: day(-144, '11:20'), narrative:
      'Police notice screened. First notice for this family; standard risk; no open involvement. Information passed to the health visitor and the school. No further action by children\'s social care.',
    }],
    [c.hv, f.kai, { kind: 'health_appointment', at: day(-140, '14:00'), narrative:
      'Not brought to clinic for the rebooked weight check. No answer on the phone.',
      data: { service: 'Weight check, Northmoor health visiting clinic', outcome: 'was_not_brought' } }],
  ];
}
