import { z } from 'zod';
import { dayOf, defineRule } from './types.js';

const params = z.object({ codes: z.array(z.string().min(1)).min(1) }).strict();

type Clock = { code: string; label: string; triggerAt: Date; dueOn: string };
const dateOf = (d: string) => dayOf(new Date(`${d}T12:00:00Z`));

/** Deadlines better said from what started them than by the rule's label. */
const said: Record<string, (c: Clock) => string> = {
  LPM: (c) => `A legal planning meeting was requested on ${dayOf(c.triggerAt)} and is not yet held: it was due by ${dateOf(c.dueOn)} (LPM).`,
};

/** R9 (absence, on a schedule): a statutory deadline past with its step not done. Each deadline is raised once. */
export const r9 = defineRule({
  id: 'R9',
  params,
  listens: () => false,
  scheduled: true,
  evaluate(f, p, on) {
    if (!('at' in on)) return [];
    return f.process.clocks
      .filter((c) => c.open && p.codes.includes(c.code) && c.overdueAt <= on.at)
      .map((c) => ({
        pattern_key: `overdue:${c.key}`,
        reason: said[c.code]?.(c) ?? `${c.label} (${c.code}) was due by ${dateOf(c.dueOn)} and is not yet recorded as done.`,
        entry_ids: [c.triggerEntryId],
        once: true,
      }));
  },
});
