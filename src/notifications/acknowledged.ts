import type { Actor } from '../access/actor.js';
import type { ChildDoor } from '../access/door.js';
import { roleLabels, type Role } from '../agencies/schemas.js';
import { formatDateTime } from '../web/dates.js';
import { acknowledgementsOfEntries, type EntryAcknowledgement } from './store.js';

/** Entry kinds whose notices must be acknowledged, so the child's page says who has. */
const acknowledgedKinds = new Set(['unscheduled_care_check']);

interface Item { entry: { id: string; kind: string }; facts: string[] }

/**
 * Adds to each unscheduled-care check on the child's page whether the worker and manager it told
 * have acknowledged it. Read through the door, and only when such an entry is shown.
 */
export async function addAcknowledgements(door: ChildDoor, actor: Actor, childId: string, items: Item[]): Promise<void> {
  const shown = items.filter((i) => acknowledgedKinds.has(i.entry.kind));
  if (!shown.length) return;
  const rows = await door.read(actor, childId, 'read_acknowledgements', (a) => acknowledgementsOfEntries(a.tx, childId, shown.map((i) => i.entry.id)));
  for (const i of shown) {
    const told = rows.filter((r) => r.entry_id === i.entry.id);
    i.facts.push(...(told.length ? told.map(line) : ['No one was told (no allocated worker)']));
  }
}

function line(r: EntryAcknowledgement): string {
  const who = `${r.recipient_name} (${roleLabels[r.recipient_role as Role] ?? r.recipient_role})`;
  if (!r.acknowledged_at) return `Not yet acknowledged by ${who}`;
  return `Acknowledged by ${who}, ${formatDateTime(r.acknowledged_at)}${r.note ? `: ${r.note}` : ''}`;
}
