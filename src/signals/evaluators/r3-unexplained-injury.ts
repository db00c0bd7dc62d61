import { z } from 'zod';
import { medicallyExplained } from './r1-non-mobile-infant.js';
import { defineRule, idsOf, newEntries, whoWhen, words } from './types.js';

const params = z.object({ explanations: z.array(z.enum(['no', 'none_given', 'unclear'])).min(1) }).strict();

const said: Record<string, string> = {
  no: 'an explanation the practitioner found inconsistent with it',
  none_given: 'no explanation',
  unclear: 'an explanation the practitioner could not judge',
};

/** R3: an injury with no explanation, or one inconsistent with the injury or the child's development. */
export const r3 = defineRule({
  id: 'R3',
  params,
  listens: (e) => e.kind === 'injury',
  evaluate(f, p, on) {
    return newEntries(on).flatMap((e) => {
      const given = String(e.data.explanation_consistent);
      if (e.kind !== 'injury' || e.supersedes_id || !(p.explanations as string[]).includes(given) || medicallyExplained(f, e)) return [];
      return [{
        pattern_key: 'unexplained-injury',
        reason: `${e.author_name} (${whoWhen(e)}) recorded a ${words(String(e.data.injury_type))} with ${said[given]}.`,
        entry_ids: idsOf([e]),
      }];
    });
  },
});
