import type { Web } from '../web/shell.js';
import { decisionPages, type DecisionPageDeps } from './pages-decisions.js';
import { disagreementPages, type DisagreementPageDeps } from './pages-disagreements.js';

/** The decision and disagreement pages of a child's record (the child's page section is pages-summary.ts). */
export function decisionsPages(web: Web, deps: DecisionPageDeps & DisagreementPageDeps) {
  decisionPages(web, deps);
  disagreementPages(web, deps);
}
