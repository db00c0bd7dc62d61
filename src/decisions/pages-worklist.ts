import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { dueText } from './entry-text.js';
import { stageNames } from './schemas.js';
import { myDisagreements, type Part } from './worklist-store.js';

const partWords: Record<Part, string> = { raiser: 'You raised it', respondent: 'It is with you', responder: 'You answer at this stage', told: 'You are told of each step' };

/** "Disagreements you take part in" beside the deadlines: names and dates only, overdue first (the listing is audited). */
export async function disagreementWorklist(db: Kysely<DB>, me: { id: string }, now: Date) {
  return (await myDisagreements(db, me, now)).map((r) => ({
    href: `/children/${r.open_as}/disagreements/${r.id}`,
    childName: r.child_name,
    who: `${r.raiser_name} with ${r.respondent_name}`,
    stage: stageNames[r.stage],
    urgent: r.urgent,
    part: r.parts.map((p) => partWords[p]).join('; '),
    due: r.due_at ? dueText(r.due_at) : 'Answered; waiting for the raiser',
    tag: r.status === 'awaiting_raiser' ? { text: 'Answered', classes: 'govuk-tag--grey' } : r.overdue ? { text: 'Overdue', classes: 'govuk-tag--red' } : { text: 'Open', classes: 'govuk-tag--blue' },
  }));
}
