import type { RuleLogic } from './types.js';
import { r1 } from './r1-non-mobile-infant.js';
import { r2 } from './r2-bruise-pattern.js';
import { r3 } from './r3-unexplained-injury.js';
import { r4 } from './r4-unscheduled-care.js';
import { r5 } from './r5-was-not-brought.js';
import { r6 } from './r6-unchecked-adult.js';
import { r7 } from './r7-disguised-compliance.js';
import { r8 } from './r8-not-seen.js';
import { r9 } from './r9-timescale-breach.js';
import { r10 } from './r10-repeats.js';
import { r11 } from './r11-connected-carer.js';

/** Every rule's logic (spec §6 R1–R11). A rule row with no evaluator here is never run. */
export const evaluators: RuleLogic[] = [r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11];
export const evaluatorOf = (ruleId: string) => evaluators.find((e) => e.id === ruleId);
