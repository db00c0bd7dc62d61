import { z } from 'zod';
import { addDays, londonDate } from '../../process/dates.js';
import { ageInMonths, openOn } from '../facts.js';
import { dayOf, defineRule, type Found } from './types.js';
import { babyNotSeenAwakeUndressed } from './r8-baby.js';

const params = z.object({
  visit_codes: z.array(z.string().min(1)),
  seen_alone_days: z.number().int().min(1).max(365),
  seen_alone_from_years: z.number().int().min(0).max(17),
  // Added by migration 0026; a version without them does not look at babies.
  baby_under_months: z.number().int().min(1).max(36).optional(),
  baby_seen_awake_undressed_days: z.number().int().min(1).max(365).nullable().optional(),
}).strict();

/** The age under which a home visit asks whether the baby was seen awake and undressed, by this version's parameters. */
export const babyUnderMonths = (parameters: unknown): number | undefined => {
  const p = params.safeParse(parameters);
  return p.success ? p.data.baby_under_months : undefined;
};

const dateOf = (d: string) => dayOf(new Date(`${d}T12:00:00Z`));

/**
 * R8 (absence, on a schedule): a child on a plan whose visit is overdue, who has not been seen
 * alone for `seen_alone_days` (from the plan's start or the last visit that saw them alone), or a
 * baby not seen awake and undressed (r8-baby.ts). Each stretch unseen is one occurrence, raised once.
 */
export const r8 = defineRule({
  id: 'R8',
  params,
  listens: () => false,
  scheduled: true,
  evaluate(f, p, on) {
    if (!('at' in on)) return [];
    const out: Found[] = f.process.clocks
      .filter((c) => c.open && p.visit_codes.includes(c.code) && c.overdueAt <= on.at)
      .map((c) => ({
        pattern_key: `not-seen:${c.key}`,
        reason: `No visit has seen the child on a child protection plan since the visit was due (${c.label}, due by ${dateOf(c.dueOn)}).`,
        entry_ids: [c.triggerEntryId],
        once: true,
      }));
    const today = londonDate(on.at);
    const plan = f.process.cpPlans.find((x) => openOn(x, today));
    const months = ageInMonths(f, today);
    if (!plan || months === null) return out;
    if (p.baby_under_months !== undefined && months < p.baby_under_months) out.push(...babyNotSeenAwakeUndressed(f, p, plan, on.at));
    if (months < p.seen_alone_from_years * 12) return out;
    const alone = f.entries.filter((e) => e.kind === 'home_visit' && e.data.child_seen_alone === true && londonDate(e.occurred_at) >= plan.start);
    const last = alone.at(-1);
    const since = last ? londonDate(last.occurred_at) : plan.start;
    if (addDays(since, p.seen_alone_days) >= today) return out;
    out.push({
      pattern_key: `not-seen-alone:${plan.id}:${last?.id ?? 'none'}`,
      reason: last
        ? `The child on a child protection plan was last seen alone on ${dayOf(last.occurred_at)} (${last.agency_name}), more than ${p.seen_alone_days} days ago.`
        : `The child has not been seen alone since the child protection plan began on ${dateOf(plan.start)}, more than ${p.seen_alone_days} days ago.`,
      entry_ids: [last?.id ?? plan.id],
      once: true,
    });
    return out;
  },
});
