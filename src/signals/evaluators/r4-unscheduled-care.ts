import { z } from 'zod';
import { londonDate } from '../../process/dates.js';
import { openOn, type FactEntry, type Facts } from '../facts.js';
import { dayOf, defineRule, idsOf, listed, newEntries, type Found } from './types.js';

const params = z.object({
  attendances: z.number().int().min(2).max(50),
  window_days: z.number().int().min(1).max(3650),
  departments: z.array(z.string().min(1)),
  any_on_plan: z.boolean(),
}).strict();
type P = z.infer<typeof params>;

const DAY = 86_400_000;

/** An attendance in unscheduled care: a hospital attendance in one of the departments, or a CP-IS style check. */
const isAttendance = (p: P) => (e: FactEntry) =>
  !e.supersedes_id && (e.kind === 'unscheduled_care_check' || (e.kind === 'hospital_attendance' && p.departments.includes(String(e.data.department))));

const where = (e: FactEntry) => `${e.agency_name} on ${dayOf(e.occurred_at)}`;

/**
 * The attendances in a window of `window_days` that holds the new one, when there are enough. The
 * record often holds one visit twice (the hospital's attendance and its check), so a day counts once.
 */
function repeated(all: FactEntry[], e: FactEntry, p: P): FactEntry[] | undefined {
  for (const start of all) {
    const from = start.occurred_at.getTime();
    if (from > e.occurred_at.getTime() || e.occurred_at.getTime() - from > p.window_days * DAY) continue;
    const inside = all.filter((a) => a.occurred_at.getTime() >= from && a.occurred_at.getTime() <= from + p.window_days * DAY);
    if (new Set(inside.map((a) => londonDate(a.occurred_at))).size >= p.attendances) return inside;
  }
  return undefined;
}

function onPlan(f: Facts, e: FactEntry, p: P): Found | undefined {
  const day = londonDate(e.occurred_at);
  const plan = f.process.cpPlans.find((x) => openOn(x, day));
  if (!p.any_on_plan || (!plan && !f.process.lookedAfter)) return undefined;
  const status = plan ? `on a child protection plan since ${dayOf(new Date(`${plan.start}T12:00:00Z`))}` : 'looked after';
  return { pattern_key: 'attendance-on-plan', reason: `The child, ${status}, was seen in unscheduled care (${where(e)}).`, entry_ids: idsOf([e]) };
}

/** R4: repeated unscheduled-care attendances, or any by a child on a plan or looked after. */
export const r4 = defineRule({
  id: 'R4',
  params,
  listens: (e) => e.kind === 'unscheduled_care_check' || e.kind === 'hospital_attendance',
  evaluate(f, p, on) {
    const all = f.entries.filter(isAttendance(p));
    const out: Found[] = [];
    for (const e of newEntries(on).filter(isAttendance(p))) {
      const planned = onPlan(f, e, p);
      if (planned) out.push(planned);
      const many = repeated(all, e, p);
      if (!many) continue;
      const days = new Set(many.map((a) => londonDate(a.occurred_at))).size;
      out.push({
        pattern_key: 'repeat-attendances',
        reason: `${days} attendances in unscheduled care within ${p.window_days} days: ${listed(many.map(where))}.`,
        entry_ids: idsOf(many),
      });
    }
    return out;
  },
});
