import type { HouseholdMember, NameView } from './views.js';

/** Today's calendar date in England (YYYY-MM-DD): validity dates are UK calendar dates. */
export function ukDate(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Something dated is current until its `valid_to` day arrives. */
export const isCurrent = (validTo: string | null, today: string) => validTo === null || validTo > today;

/** Newest first: by the date it took effect (undated last), then by when it was recorded. */
export function newestFirst<T extends { valid_from: string | null; recorded_at: Date }>(rows: T[]): T[] {
  return [...rows].sort(
    (a, b) =>
      (b.valid_from ?? '').localeCompare(a.valid_from ?? '') || b.recorded_at.getTime() - a.recorded_at.getTime(),
  );
}

/** The current legal name, and the rest of the name history newest first. */
export function nameHistory<T extends NameView & { recorded_at: Date }>(rows: T[], today: string, own: (n: T) => boolean = () => true): { name: NameView; names: NameView[] } {
  const ordered = newestFirst(rows);
  // A child's own current legal name comes before one from a record merged into theirs.
  const legalNow = (n: T) => n.name_type === 'legal' && isCurrent(n.valid_to, today);
  const current = ordered.find((n) => own(n) && legalNow(n)) ?? ordered.find(legalNow) ?? ordered[0];
  const view = (n: T): NameView => ({ given_name: n.given_name, family_name: n.family_name, name_type: n.name_type, valid_from: n.valid_from, valid_to: n.valid_to });
  return { name: view(current), names: ordered.filter((n) => n !== current).map(view) };
}

/**
 * Who lives with the child now and who did before (relationships flagged lives_with_child), and
 * every other relationship over time.
 */
export function splitHousehold(members: HouseholdMember[], today: string) {
  const living = members.filter((m) => m.lives_with_child);
  return {
    household: {
      current: living.filter((m) => isCurrent(m.valid_to, today)),
      previous: living.filter((m) => !isCurrent(m.valid_to, today)),
    },
    relationships: members.filter((m) => !m.lives_with_child),
  };
}

/**
 * A new period (a legal name, an address) ends the one before it on the day it starts. It cannot
 * start before the period it replaces began.
 */
export function startsAfter(newFrom: string, previousFrom: string | null): boolean {
  return previousFrom === null || newFrom >= previousFrom;
}
