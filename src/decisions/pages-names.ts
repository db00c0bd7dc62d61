import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { roleLabels, type Role } from '../agencies/schemas.js';
import { dueText } from './entry-text.js';

/** A practitioner as the decision pages name them: "Name (Role, Agency)". */
export interface Named { id: string; name: string; label: string }

export const roleLabel = (role: string) => roleLabels[role as Role] ?? role;

/** Names, roles and agencies of practitioners (no child data), for decisions and disagreements. */
export async function practitionerLabels(db: Kysely<DB>, ids: (string | null | undefined)[]): Promise<Map<string, Named>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (!wanted.length) return new Map();
  const rows = await db.selectFrom('practitioners as p').innerJoin('agencies as a', 'a.id', 'p.agency_id')
    .select(['p.id', 'p.display_name', 'p.role', 'a.name as agency']).where('p.id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.display_name, label: `${r.display_name} (${roleLabel(r.role)}, ${r.agency})` }]));
}

export const labelOf = (names: Map<string, Named>, id: string | null | undefined, fallback = 'A practitioner') => (id && names.get(id)?.label) || fallback;

/** When a stage's response is due, and a red tag once it is past. */
export function deadlineText(escalatesAt: string | null | undefined, overdue: boolean) {
  if (!escalatesAt) return null;
  return { when: dueText(escalatesAt), tag: overdue ? { text: 'Overdue', classes: 'govuk-tag--red' } : { text: 'Open', classes: 'govuk-tag--blue' } };
}

