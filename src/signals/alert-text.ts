import { answerText, type AlertData } from './alert.js';

/** How the chronology shows an `alert` entry: a label and the few facts beside its narrative. Pure. */
const labels: Record<AlertData['action'], string> = { raised: 'Alert raised', added: 'Alert: more entries added', escalated: 'Alert escalated', answered: 'Alert answered' };

export function alertEntryLabel(d: Record<string, unknown>): string {
  const x = d as unknown as AlertData;
  return `${labels[x.action] ?? 'Alert'}${x.action === 'raised' ? ` (${x.rule_id}, ${x.severity})` : ''}`;
}

export function alertEntryFacts(d: Record<string, unknown>): string[] {
  const x = d as unknown as AlertData;
  if (x.action === 'raised' || x.action === 'added') {
    // An adult linked by a relationship or an address raises R6/R11 with no entry behind it.
    const n = x.entry_ids.length;
    return [n ? `Triggered by ${n} ${n === 1 ? 'entry' : 'entries'}` : 'Raised when a person was linked to the child'];
  }
  if (x.action === 'answered') return [answerText(x.answer)];
  return [];
}
