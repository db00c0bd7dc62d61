import type { RuleLogic } from './types.js';
import { r1 } from './r1-non-mobile-infant.js';

/** Every rule's logic. A rule row with no evaluator here is never run. */
export const evaluators: RuleLogic[] = [r1];
export const evaluatorOf = (ruleId: string) => evaluators.find((e) => e.id === ruleId);
