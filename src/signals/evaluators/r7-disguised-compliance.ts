import { z } from 'zod';
import type { FactEntry } from '../facts.js';
import { defineRule, idsOf, listed, newEntries } from './types.js';

const params = z.object({ window_days: z.number().int().min(7).max(730), score: z.number().int().min(2).max(50) }).strict();

const DAY = 86_400_000;
const cancelled = (e: FactEntry) => e.kind === 'health_appointment' && ['cancelled_by_family', 'rearranged'].includes(String(e.data.outcome));
const notSeen = (e: FactEntry) => e.kind === 'home_visit' && e.data.child_seen === false;
const notBrought = (e: FactEntry) => e.kind === 'health_appointment' && e.data.outcome === 'was_not_brought';
const attended = (e: FactEntry) => e.kind === 'health_appointment' && e.data.outcome === 'attended';
const indicator = (e: FactEntry) => cancelled(e) || notSeen(e) || notBrought(e);

/**
 * The indicators of spec §6 R7 the record can show, within the window ending at `until`: (f)
 * appointments cancelled or rearranged by the family and visits where the child was not seen; (b) an
 * unannounced visit not seeing the child after an announced one that did; (d) engaging with one
 * agency while missing another's appointments. Each counts one; (b) and (d) once each.
 */
function indicators(entries: FactEntry[], until: Date, days: number) {
  const inside = entries.filter((e) => !e.supersedes_id && e.occurred_at <= until && until.getTime() - e.occurred_at.getTime() <= days * DAY);
  const found: { what: string; entries: FactEntry[] }[] = [];
  const cancels = inside.filter(cancelled);
  if (cancels.length) found.push(...cancels.map((e) => ({ what: `an appointment cancelled or rearranged by the family (${e.agency_name})`, entries: [e] })));
  const unseen = inside.filter(notSeen);
  found.push(...unseen.map((e) => ({ what: `a visit where the child was not seen (${e.agency_name})`, entries: [e] })));
  const announcedSeen = inside.filter((e) => e.kind === 'home_visit' && e.data.announced !== false && e.data.child_seen === true);
  const surprise = unseen.find((e) => e.data.announced === false && announcedSeen.some((a) => a.occurred_at < e.occurred_at));
  if (surprise) found.push({ what: 'the child seen on announced visits but not on an unannounced one', entries: [announcedSeen[0], surprise] });
  const missedAt = inside.filter(notBrought);
  const engaged = inside.filter((e) => attended(e) && missedAt.some((m) => m.agency_id !== e.agency_id));
  if (missedAt.length && engaged.length) found.push({ what: `appointments kept with ${engaged[0].agency_name} while missed with ${missedAt[0].agency_name}`, entries: [engaged[0], missedAt[0]] });
  return found;
}

/** R7: signs of disguised compliance, scored over a window; for the supervisor to look at the chronology. */
export const r7 = defineRule({
  id: 'R7',
  params,
  listens: (e) => e.kind === 'home_visit' || e.kind === 'health_appointment',
  evaluate(f, p, on) {
    const fresh = newEntries(on).filter(indicator);
    if (!fresh.length) return [];
    const until = new Date(Math.max(...fresh.map((e) => e.occurred_at.getTime())));
    const found = indicators(f.entries, until, p.window_days);
    if (found.length < p.score) return [];
    return [{
      pattern_key: 'disguised-compliance',
      reason: `${found.length} signs of disguised compliance within ${p.window_days} days: ${listed(found.map((x) => x.what))}. Look at the chronology with your supervisor.`,
      entry_ids: idsOf(found.flatMap((x) => x.entries)),
    }];
  },
});
