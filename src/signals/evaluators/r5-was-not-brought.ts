import { z } from 'zod';
import { addMonths, londonDate } from '../../process/dates.js';
import { openOn, type FactEntry, type Facts } from '../facts.js';
import { dayOf, defineRule, idsOf, listed, newEntries, type Found } from './types.js';

const params = z.object({
  cin_count: z.number().int().min(1).max(20),
  cin_window_months: z.number().int().min(1).max(36),
  outcomes: z.array(z.enum(['was_not_brought', 'cancelled_by_family', 'rearranged'])).min(1),
}).strict();

const missed = (e: FactEntry, outcomes: string[]) => e.kind === 'health_appointment' && !e.supersedes_id && outcomes.includes(String(e.data.outcome));
const what = (e: FactEntry) => `${String(e.data.service ?? 'an appointment')} (${e.agency_name}, ${dayOf(e.occurred_at)})`;

/** A child in need on `day`: an open child in need plan, or an open referral (an episode not yet closed). */
const inNeed = (f: Facts, day: string) =>
  f.process.cinPlans.some((p) => openOn(p, day)) || f.process.referrals.some((r) => r.date <= day && (!r.closed || r.closed > day));

/** R5: a child on a plan not brought to a health appointment, or a child in need not brought again and again. */
export const r5 = defineRule({
  id: 'R5',
  params,
  listens: (e) => e.kind === 'health_appointment',
  evaluate(f, p, on) {
    const out: Found[] = [];
    for (const e of newEntries(on).filter((x) => missed(x, p.outcomes))) {
      const day = londonDate(e.occurred_at);
      if (f.process.cpPlans.some((x) => openOn(x, day))) {
        out.push({ pattern_key: 'not-brought-on-plan', reason: `The child, on a child protection plan, was not brought to ${what(e)}.`, entry_ids: idsOf([e]) });
        continue;
      }
      if (!inNeed(f, day)) continue;
      const since = addMonths(day, -p.cin_window_months);
      const recent = f.entries.filter((x) => missed(x, p.outcomes) && londonDate(x.occurred_at) > since && x.occurred_at <= e.occurred_at);
      if (recent.length < p.cin_count) continue;
      out.push({
        pattern_key: 'not-brought-repeatedly',
        reason: `The child, a child in need, was not brought ${recent.length} times within ${p.cin_window_months} months: ${listed(recent.map(what))}.`,
        entry_ids: idsOf(recent),
      });
    }
    return out;
  },
});
