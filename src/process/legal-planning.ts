import type { IsoDate } from './dates.js';
import type { ProcessState } from './state.js';

/**
 * A legal planning meeting asked for and not yet held (spec §6 R9, Connelly's waited 7 weeks): shown as
 * its own item, not only as the LPM deadline. Who asked is the request step's own words.
 */
export interface LegalPlanningView {
  request_entry_id: string;
  requested_on: IsoDate;
  requested_by: string | null;
  /** The LPM deadline the request started; null where no rule gave one. */
  due_on: IsoDate | null;
}

/** The latest request, while it waits: not held, and the case not closed since (machine.ts). */
export const awaitedMeeting = (s: ProcessState) => {
  const lp = s.legalPlanning;
  return lp && !lp.held && !lp.lapsed ? lp : undefined;
};

export function legalPlanningView(s: ProcessState): LegalPlanningView | null {
  const lp = awaitedMeeting(s);
  if (!lp) return null;
  const clock = s.clocks.find((c) => c.code === 'LPM' && c.triggerEntryId === lp.requestId);
  return { request_entry_id: lp.requestId, requested_on: lp.requested, requested_by: lp.requestedBy ?? null, due_on: clock?.due.dueOn ?? null };
}
