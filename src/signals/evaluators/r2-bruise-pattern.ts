import { z } from 'zod';
import { medicallyExplained } from './r1-non-mobile-infant.js';
import { defineRule, idsOf, listed, newEntries, whoWhen, words } from './types.js';

const params = z.object({
  injury_types: z.array(z.string().min(1)).min(1),
  locations: z.array(z.string().min(1)),
  cluster_locations: z.number().int().min(2).max(20),
}).strict();

/** R2: a bruise or bite where accidents rarely leave one, or on several parts of the body at once. */
export const r2 = defineRule({
  id: 'R2',
  params,
  listens: (e) => e.kind === 'injury',
  evaluate(f, p, on) {
    return newEntries(on).flatMap((e) => {
      if (e.kind !== 'injury' || e.supersedes_id || !p.injury_types.includes(String(e.data.injury_type)) || medicallyExplained(f, e)) return [];
      const where = [...new Set((e.data.body_locations as string[] | undefined) ?? [])];
      const risky = where.filter((l) => p.locations.includes(l));
      const cluster = where.length >= p.cluster_locations;
      if (!risky.length && !cluster) return [];
      const what = cluster ? `on ${where.length} parts of the body (${listed(where.map(words))})` : `on the ${listed(risky.map(words))}`;
      return [{
        pattern_key: 'bruise-pattern',
        reason: `${e.author_name} (${whoWhen(e)}) recorded a ${words(String(e.data.injury_type))} ${what}: a pattern that suggests the injury may not be accidental.`,
        entry_ids: idsOf([e]),
      }];
    });
  },
});
