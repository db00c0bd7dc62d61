import { conflict } from '../errors.js';
import { cancelClocks, completeClocks, startClocks, type ClockSource } from './clocks.js';
import { stepLabels } from './steps.js';
import { lookedAfterNow, type LegalStatus, type LookedAfter, type ProcessEvent, type ProcessState } from './state.js';

/**
 * Looked-after children (Children Act 1989 s20, s22, s31, s38): the period of being looked after,
 * its legal status as the SSDA903 return codes it, the placement, and the statutory visits to the
 * child in it (T12, Care Planning, Placement and Case Review (England) Regulations 2010 reg 28).
 * What the steps do (machine.ts) and when they are refused (guards.ts).
 */
type StepEvent = Extract<ProcessEvent, { type: 'step' }>;
type VisitEvent = Extract<ProcessEvent, { type: 'visit' }>;
type LookedAfterStep = 'interim_care_order_made' | 'accommodated_section_20' | 'placement_started' | 'placement_ended' | 'ceased_looked_after';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Starts a looked-after period, or changes its legal status (an interim order, then a care order). */
export function lookAfter(s: ProcessState, ev: StepEvent, legalStatus: LegalStatus): void {
  const la = lookedAfterNow(s);
  if (la) Object.assign(la, { legalStatus, legalStatusSince: ev.date });
  else s.lookedAfter = { id: ev.id, since: ev.date, legalStatus, legalStatusSince: ev.date };
}

/** The placement ends, and with it the visits reg 28 asks for in it. */
function endPlacement(s: ProcessState, ev: StepEvent) {
  const la = lookedAfterNow(s);
  if (!la?.placement) return;
  delete la.placement;
  cancelClocks(s, ev.at, (c) => c.code === 'T12');
}

export function ceaseLookedAfter(s: ProcessState, ev: StepEvent, reason: string): void {
  const la = lookedAfterNow(s);
  if (!la) return;
  endPlacement(s, ev);
  la.ceased = { on: ev.date, reason };
}

export const lookedAfterEffects: Record<LookedAfterStep, (s: ProcessState, ev: StepEvent, src: ClockSource) => void> = {
  interim_care_order_made: (s, ev) => lookAfter(s, ev, 'C1'),
  accommodated_section_20: (s, ev) => lookAfter(s, ev, 'V2'),
  placement_started(s, ev, src) {
    const la = lookedAfterNow(s);
    if (!la) return;
    // A move: the new placement has its own first visit within a week (reg 28(2)(a)).
    endPlacement(s, ev);
    const postcode = str(ev.data.postcode);
    la.placement = { id: ev.id, type: String(ev.data.placement_type), since: ev.date, ...(postcode ? { postcode } : {}) };
    startClocks(s, src, 'placement_started', ev);
  },
  placement_ended: (s, ev) => endPlacement(s, ev),
  ceased_looked_after: (s, ev) => ceaseLookedAfter(s, ev, String(ev.data.reason)),
};

/** A visit in which the placed child was seen meets the visit due, and the next is due within the interval. */
export function visitLookedAfter(s: ProcessState, ev: VisitEvent, src: ClockSource): void {
  if (!ev.childSeen || !lookedAfterNow(s)?.placement) return;
  completeClocks(s, ['T12'], ev);
  startClocks(s, src, 'looked_after_visit', ev);
}

const refuse = (reason: string) => conflict(reason);
const legalStatusWords: Record<LegalStatus, string> = { C1: 'an interim care order (C1)', C2: 'a care order (C2)', V2: 'section 20 accommodation (V2)' };

/** The looked-after period a placement step needs, dated within it. */
function needLookedAfter(s: ProcessState, ev: StepEvent): LookedAfter {
  const la = lookedAfterNow(s);
  if (!la) throw refuse(`${stepLabels[ev.step]} needs the child to be looked after: record the interim care order, care order or section 20 accommodation first`);
  if (ev.date < la.since) throw refuse(`${stepLabels[ev.step]} cannot be dated before the child became looked after on ${la.since}`);
  return la;
}

/** A new period of being looked after cannot begin while one lasts (other than s20 giving way to an order) or before the last ceased. */
function mayStartPeriod(s: ProcessState, ev: StepEvent, orderMayFollowS20: boolean) {
  const la = lookedAfterNow(s);
  if (la && !(orderMayFollowS20 && la.legalStatus === 'V2')) throw refuse(`The child is already looked after under ${legalStatusWords[la.legalStatus]} since ${la.legalStatusSince}`);
  if (la && ev.date < la.since) throw refuse(`${stepLabels[ev.step]} cannot be dated before the child became looked after on ${la.since}`);
  const ceased = s.lookedAfter?.ceased;
  if (ceased && ev.date < ceased.on) throw refuse(`The child ceased to be looked after on ${ceased.on}: a new period cannot start before that`);
}

export const lookedAfterGuards: Record<LookedAfterStep, (s: ProcessState, ev: StepEvent) => void> = {
  interim_care_order_made(s, ev) {
    const court = s.proceedings;
    if (!court || court.concluded) throw refuse('An interim care order is made in care proceedings (Children Act 1989 s38): there are none under way');
    if (ev.date < court.issued) throw refuse(`The order cannot be made before the proceedings were issued on ${court.issued}`);
    mayStartPeriod(s, ev, true);
  },
  accommodated_section_20: (s, ev) => mayStartPeriod(s, ev, false),
  placement_started(s, ev) {
    const la = needLookedAfter(s, ev);
    if (la.placement && ev.date < la.placement.since) throw refuse(`A new placement cannot start before the current one did, on ${la.placement.since}`);
  },
  placement_ended(s, ev) {
    const la = needLookedAfter(s, ev);
    if (!la.placement) throw refuse('The child has no current placement to end');
    if (ev.date < la.placement.since) throw refuse(`The placement cannot end before it started on ${la.placement.since}`);
  },
  ceased_looked_after(s, ev) {
    if (!lookedAfterNow(s)) throw refuse('The child is not looked after');
    needLookedAfter(s, ev);
  },
};
