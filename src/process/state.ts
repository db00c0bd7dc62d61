import type { IsoDate } from './dates.js';
import type { StepName } from './steps.js';

/**
 * The statutory process of one child, folded from the `process_step` and `home_visit` entries of
 * their chronology in record order (machine.ts). Nothing here is stored as truth: the projection
 * tables (store.ts) are a copy of it, for lists.
 */

/** One recorded event: a process step, or a home visit (which keeps the visit clock on a plan). */
export type ProcessEvent =
  | { type: 'step'; id: string; step: StepName; at: Date; date: IsoDate; data: Record<string, unknown>; authorId: string | null; agencyId: string }
  | { type: 'visit'; id: string; at: Date; date: IsoDate; childSeen: boolean; seenAlone: boolean; authorId: string | null; agencyId: string };

/** A deadline given by a rule (or, for a safety-plan review, by the plan itself). */
export interface ClockDue {
  ruleId: string | null;
  code: string;
  /** The UK date it is due by; for hours, the date of the due instant. */
  dueOn: IsoDate;
  /** For hours: the exact instant, written with its UK offset. */
  dueAt: string | null;
  /** The first instant at which it is overdue. */
  overdueAt: Date;
  convention: string;
  amount: number;
  unit: string;
}

export interface Clock {
  key: string;
  code: string;
  label: string;
  episodeId: string | null;
  triggerEntryId: string;
  triggerAt: Date;
  due: ClockDue;
  completedEntryId?: string;
  completedAt?: Date;
  late?: boolean;
  lateReason?: string;
  cancelledAt?: Date;
  /** Who answers for it besides the allocated worker: the police officer who took the child, a chair's list. */
  alsoFor?: 'author' | 'conference_chairs';
  authorId?: string | null;
}

export interface Episode {
  id: string;
  referralAt: Date;
  referralDate: IsoDate;
  referralSource: string;
  primaryNeed: string;
  decision?: string;
  assessment?: { start: IsoDate; open: boolean };
  assessmentsCompleted: number;
  s47?: { start: IsoDate; strategyEntryId: string; status: 'open' | 'awaiting_conference' | 'closed'; icpcDate?: IsoDate; icpcNotRequired?: boolean };
  closed?: { on: IsoDate; reason: string; referralNfa: boolean };
}

export interface CpPlan {
  id: string;
  start: IsoDate;
  initialCategory: string;
  latestCategory: string;
  leadId: string;
  end?: IsoDate;
  reviews: IsoDate[];
}

export interface SafetyPlan {
  id: string;
  agreed: IsoDate;
  conditions: { condition: string; monitor?: { practitioner_id?: string; person_id?: string }; how_checked: string }[];
  reviewOn: IsoDate;
  breaches: { entryId: string; condition: number; breach: string; date: IsoDate }[];
  ended?: IsoDate;
}

export interface ProcessState {
  episodes: Episode[];
  cpPlans: CpPlan[];
  cinPlans: { id: string; start: IsoDate; end?: IsoDate }[];
  policeProtection?: { id: string; start: Date; startDate: IsoDate; end?: Date; outcome?: string };
  epo?: { id: string; made: IsoDate; countedFrom: IsoDate; extended: boolean; until?: IsoDate; ended?: IsoDate };
  /** The latest request for a legal planning meeting: pending until the meeting is held or the case closes. */
  legalPlanning?: { requestId: string; requested: IsoDate; held?: IsoDate; lapsed?: IsoDate };
  preProceedings?: { start: IsoDate; letterSent?: IsoDate; decision?: string; closed?: IsoDate };
  proceedings?: { issued: IsoDate; concluded?: IsoDate; outcome?: string; extensions: number };
  safetyPlans: SafetyPlan[];
  died?: IsoDate;
  clocks: Clock[];
}

export const emptyState = (): ProcessState => ({ episodes: [], cpPlans: [], cinPlans: [], safetyPlans: [], clocks: [] });

export const openEpisode = (s: ProcessState) => {
  const last = s.episodes.at(-1);
  return last && !last.closed ? last : undefined;
};
export const openCpPlan = (s: ProcessState) => s.cpPlans.find((p) => !p.end);
export const openCinPlan = (s: ProcessState) => s.cinPlans.find((p) => !p.end);
export const openClocks = (s: ProcessState) => s.clocks.filter((c) => !c.completedAt && !c.cancelledAt);

/** Where the child is in the process, in words a practitioner uses. */
export function stageOf(s: ProcessState): string {
  if (s.policeProtection && !s.policeProtection.end) return 'In police protection';
  if (s.epo && !s.epo.ended) return 'Emergency protection order';
  if (openCpPlan(s)) return 'Child protection plan';
  const ep = openEpisode(s);
  if (ep?.s47 && ep.s47.status !== 'closed') return ep.s47.status === 'open' ? 'Section 47 enquiry' : 'Initial conference to convene';
  if (openCinPlan(s)) return 'Child in need plan';
  if (ep?.assessment?.open) return 'Assessment';
  if (ep && !ep.decision) return 'Referral awaiting decision';
  if (ep) return 'Open case';
  return s.episodes.length ? 'Closed' : 'No referral';
}
