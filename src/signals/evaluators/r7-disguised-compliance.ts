import { z } from 'zod';
import { londonDate } from '../../process/dates.js';
import type { FactEntry, Facts } from '../facts.js';
import { defineRule, idsOf, listed, newEntries } from './types.js';

/**
 * `also_counts` (versions from migration 0028): (a) plan actions overdue or not done, and (e) the
 * child's account differing from the parents'. Earlier versions have none and do not look.
 */
const params = z.object({
  window_days: z.number().int().min(7).max(730),
  score: z.number().int().min(2).max(50),
  also_counts: z.array(z.enum(['plan_actions', 'child_account'])).max(2).optional(),
}).strict();
type Params = z.infer<typeof params>;

const DAY = 86_400_000;
const cancelled = (e: FactEntry) => e.kind === 'health_appointment' && ['cancelled_by_family', 'rearranged'].includes(String(e.data.outcome));
const notSeen = (e: FactEntry) => e.kind === 'home_visit' && e.data.child_seen === false;
const notBrought = (e: FactEntry) => e.kind === 'health_appointment' && e.data.outcome === 'was_not_brought';
const attended = (e: FactEntry) => e.kind === 'health_appointment' && e.data.outcome === 'attended';
const differs = (e: FactEntry) => e.kind === 'home_visit' && e.data.child_account_differs === true;
const notDone = (e: FactEntry) => e.kind === 'process_step' && e.data.step === 'plan_action_update' && e.data.outcome === 'not_done';
const counts = (p: Params, what: 'plan_actions' | 'child_account') => !!p.also_counts?.includes(what);
const indicator = (p: Params) => (e: FactEntry) =>
  cancelled(e) || notSeen(e) || notBrought(e) || (counts(p, 'child_account') && differs(e)) || (counts(p, 'plan_actions') && notDone(e));
type Found = { what: string; entries: FactEntry[]; ids?: string[] };

/**
 * The indicators of spec §6 R7 the record can show, within the window ending at `until`: (f)
 * appointments cancelled or rearranged by the family and visits where the child was not seen; (b) an
 * unannounced visit not seeing the child after an announced one that did; (d) engaging with one
 * agency while missing another's appointments. Each counts one; (b) and (d) once each.
 */
function indicators(entries: FactEntry[], until: Date, days: number) {
  const inside = entries.filter((e) => !e.supersedes_id && e.occurred_at <= until && until.getTime() - e.occurred_at.getTime() <= days * DAY);
  const found: Found[] = [];
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

/**
 * (a) Each plan action, once, that was past its date and still open at `until` (its date within the
 * window), or was said not done within the window; (e) each visit where the child's account differed.
 */
function planAndAccount(f: Facts, p: Params, until: Date, days: number): Found[] {
  const found: Found[] = [];
  const today = londonDate(until);
  const from = londonDate(new Date(until.getTime() - days * DAY));
  const byId = new Map(f.entries.map((e) => [e.id, e]));
  if (counts(p, 'plan_actions')) {
    for (const a of f.process.planActions) {
      const overdue = a.dueOn < today && a.dueOn >= from && (!a.closedOn || a.closedOn > today);
      const saidNotDone = a.notDone.filter((n) => n.date >= from && n.date <= today);
      if (!overdue && !saidNotDone.length) continue;
      const ids = [a.agreedEntryId, ...saidNotDone.map((n) => n.entryId)];
      found.push({ what: `a plan action ${overdue ? 'overdue' : 'not done'} (“${a.what}”)`, entries: ids.flatMap((id) => byId.get(id) ?? []), ids });
    }
  }
  if (counts(p, 'child_account')) {
    const inside = f.entries.filter((e) => !e.supersedes_id && differs(e) && e.occurred_at <= until && until.getTime() - e.occurred_at.getTime() <= days * DAY);
    found.push(...inside.map((e) => ({ what: `the child’s account differing from the parents’ (${e.agency_name})`, entries: [e] })));
  }
  return found;
}

/** R7: signs of disguised compliance, scored over a window; for the supervisor to look at the chronology. */
export const r7 = defineRule({
  id: 'R7',
  params,
  listens: (e) => e.kind === 'home_visit' || e.kind === 'health_appointment' || (e.kind === 'process_step' && e.data.step === 'plan_action_update'),
  evaluate(f, p, on) {
    const fresh = newEntries(on).filter(indicator(p));
    if (!fresh.length) return [];
    const until = new Date(Math.max(...fresh.map((e) => e.occurred_at.getTime())));
    const found = [...indicators(f.entries, until, p.window_days), ...planAndAccount(f, p, until, p.window_days)];
    if (found.length < p.score) return [];
    const loaded = idsOf(found.flatMap((x) => x.entries));
    return [{
      pattern_key: 'disguised-compliance',
      reason: `${found.length} signs of disguised compliance within ${p.window_days} days: ${listed(found.map((x) => x.what))}. Look at the chronology with your supervisor.`,
      // A meeting that agreed an action may be older than the entries loaded: named after them.
      entry_ids: [...new Set([...loaded, ...found.flatMap((x) => x.ids ?? [])])],
    }];
  },
});
