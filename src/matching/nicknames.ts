import { parse } from 'csv-parse/sync';
import { normaliseName } from './strings.js';

/**
 * Given names that are forms of one another (Robert, Rob, Bob), as groups: each name maps to the
 * groups it belongs to. A group is a name and its nicknames, so "rob" and "bob" share Robert's group.
 */
export type Nicknames = ReadonlyMap<string, readonly number[]>;

export const noNicknames: Nicknames = new Map();

/** Reads `name1,relationship,name2` rows (carltonnorthern/nicknames `names.csv`). */
export function parseNicknames(csv: string): Nicknames {
  const rows = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  const groupOf = new Map<string, number>();
  const groups = new Map<string, number[]>();
  const join = (name: string, group: number) => {
    const list = groups.get(name) ?? [];
    if (!list.includes(group)) list.push(group);
    groups.set(name, list);
  };
  for (const row of rows) {
    const formal = normaliseName(row.name1);
    const nick = normaliseName(row.name2);
    if (!formal || !nick || row.relationship !== 'has_nickname') continue;
    let g = groupOf.get(formal);
    if (g === undefined) groupOf.set(formal, (g = groupOf.size));
    join(formal, g);
    join(nick, g);
  }
  return groups;
}

/** Two given names that are forms of one name. */
export function sameNameGroup(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  if (!a || !b) return false;
  for (const g of a) if (b.includes(g)) return true;
  return false;
}
