/**
 * Every demo date counts back from one fixed day, so the demo data is the same on every machine and
 * every run. The anchor is in the past, so no entry describes something that has not happened yet.
 */
export const DEMO_ANCHOR = '2026-11-20';

const anchor = Date.parse(`${DEMO_ANCHOR}T00:00:00Z`);
const DAY = 86_400_000;

/** `day(-30, '14:05')`: an ISO instant 30 days before the anchor, at 14:05 UTC. */
export function day(offset: number, time = '10:00'): string {
  return `${date(offset)}T${time}:00Z`;
}

/** The calendar date `offset` days from the anchor (negative is before it). */
export function date(offset: number): string {
  return new Date(anchor + offset * DAY).toISOString().slice(0, 10);
}

export const instant = (offset: number, time = '10:00') => new Date(day(offset, time));
