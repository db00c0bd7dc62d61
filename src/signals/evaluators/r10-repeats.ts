import { z } from 'zod';
import { addMonths, londonDate } from '../../process/dates.js';
import { dayOf, defineRule, listed, newEntries, type Found } from './types.js';

const params = z.object({
  referrals: z.number().int().min(2).max(20),
  s47s: z.number().int().min(2).max(20),
  window_months: z.number().int().min(1).max(60),
  previous_plans: z.number().int().min(1).max(20),
}).strict();

const dateOf = (d: string) => dayOf(new Date(`${d}T12:00:00Z`));
const listens = ['referral', 'strategy_discussion', 'icpc'];

/** R10: a repeat referral, a repeat section 47 enquiry, or a child protection plan for a child who has had one. */
export const r10 = defineRule({
  id: 'R10',
  params,
  listens: (e) => e.kind === 'process_step' && listens.includes(String(e.data.step)),
  evaluate(f, p, on) {
    const out: Found[] = [];
    for (const e of newEntries(on).filter((x) => x.kind === 'process_step')) {
      const day = londonDate(e.occurred_at);
      const since = addMonths(day, -p.window_months);
      const within = <T extends { date: string }>(xs: T[]) => xs.filter((x) => x.date > since && x.date <= day);
      const step = e.data.step;
      const referrals = within(f.process.referrals);
      if (step === 'referral' && referrals.length >= p.referrals) {
        out.push({ pattern_key: 'repeat-referrals', reason: `${referrals.length} referrals within ${p.window_months} months: ${listed(referrals.map((r) => dateOf(r.date)))}.`, entry_ids: referrals.map((r) => r.entryId) });
      }
      const s47s = within(f.process.s47s);
      if (step === 'strategy_discussion' && e.data.outcome === 's47' && s47s.length >= p.s47s) {
        out.push({ pattern_key: 'repeat-s47', reason: `${s47s.length} section 47 enquiries within ${p.window_months} months: ${listed(s47s.map((r) => dateOf(r.date)))}.`, entry_ids: s47s.map((r) => r.entryId) });
      }
      const before = f.process.cpPlans.filter((x) => x.id !== e.id && x.start <= day && x.end);
      if (step === 'icpc' && e.data.outcome === 'cp_plan' && before.length >= p.previous_plans) {
        out.push({
          pattern_key: 'repeat-plan',
          reason: `A child protection plan was made on ${dayOf(e.occurred_at)} for a child who has had ${before.length} before (from ${listed(before.map((x) => dateOf(x.start)))}).`,
          entry_ids: [...before.map((x) => x.id), e.id],
        });
      }
    }
    return out;
  },
});
