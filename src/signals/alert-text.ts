import { answerText, type AlertData } from './alert.js';

/** How the chronology shows an `alert` entry: a label and the few facts beside its narrative. Pure. */
const labels: Record<AlertData['action'], string> = { raised: 'Alert raised', added: 'Alert: more entries added', escalated: 'Alert escalated', answered: 'Alert answered' };

export function alertEntryLabel(d: Record<string, unknown>): string {
  const x = d as unknown as AlertData;
  return `${labels[x.action] ?? 'Alert'}${x.action === 'raised' ? ` (${x.rule_id}, ${x.severity})` : ''}`;
}

export function alertEntryFacts(d: Record<string, unknown>): string[] {
  const x = d as unknown as AlertData;
  if (x.action === 'raised' || x.action === 'added') return [`Triggered by ${x.entry_ids.length} ${x.entry_ids.length === 1 ? 'entry' : 'entries'}`];
  if (x.action === 'answered') return [answerText(x.answer)];
  return [];
}
