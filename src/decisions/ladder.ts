import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { deadlineFor } from '../process/deadlines.js';
import { rulesAndCalendar } from '../process/rules-store.js';
import { responsibleAuthority } from '../process/store.js';
import type { Disagreement, StageDeadline } from './disagreement.js';
import { holdersOf, practitioners, type PractitionerFacts } from './store.js';

/**
 * The escalation ladder (spec §5): who answers at each stage, and by when. Stage 1 is the
 * practitioner the disagreement is with; 2 their line managers; 3 the senior level of each side (a
 * local authority's heads of service, a school's designated lead, otherwise the manager's manager);
 * 4 the safeguarding partnership's independent chair.
 */
export interface StageParties { respond: string[]; told: string[] }

async function seniorOf(tx: Transaction<DB>, p: PractitionerFacts | undefined, facts: Map<string, PractitionerFacts>): Promise<string[]> {
  if (!p) return [];
  if (p.agencyKind === 'local_authority') return holdersOf(tx, ['head_of_service'], p.agencyId);
  if (p.agencyKind === 'school') return (await holdersOf(tx, ['designated_safeguarding_lead'], p.agencyId)).filter((id) => id !== p.id);
  const manager = p.managerId ? facts.get(p.managerId) ?? (await practitioners(tx, [p.managerId])).get(p.managerId) : undefined;
  return [manager?.managerId ?? manager?.id].filter((x): x is string => !!x);
}

export async function stageParties(tx: Transaction<DB>, d: Pick<Disagreement, 'stage' | 'raiserId' | 'respondentId'>): Promise<StageParties> {
  const facts = await practitioners(tx, [d.raiserId, d.respondentId]);
  const raiser = facts.get(d.raiserId);
  const respondent = facts.get(d.respondentId);
  const both = [d.raiserId, d.respondentId];
  const managers = await practitioners(tx, [raiser?.managerId ?? null, respondent?.managerId ?? null]);
  const active = (ids: string[]) => ids.filter((id) => facts.get(id)?.active !== false && managers.get(id)?.active !== false);
  let respond: string[];
  switch (d.stage) {
    case 1: respond = [d.respondentId]; break;
    case 2: respond = active([respondent?.managerId, raiser?.managerId].filter((x): x is string => !!x)); break;
    case 3: respond = [...(await seniorOf(tx, respondent, managers)), ...(await seniorOf(tx, raiser, managers))]; break;
    default: respond = await holdersOf(tx, ['partnership_chair'], null);
  }
  // With no one at a level (no manager recorded), the level above answers rather than no one.
  if (!respond.length && d.stage < 4) return stageParties(tx, { ...d, stage: d.stage + 1 });
  const unique = [...new Set(respond)];
  return { respond: unique, told: both.filter((id) => !unique.includes(id)) };
}

/** The deadline of `stage` beginning at `at`, from the rules of the child's authority (E1–E4, EU1–EU4). */
export async function stageDeadline(tx: Transaction<DB>, childId: string, agencyId: string, stage: number, urgent: boolean, at: Date): Promise<StageDeadline | null> {
  const { laId, jurisdiction } = await responsibleAuthority(tx, childId, agencyId, at);
  const { rules, calendar } = await rulesAndCalendar(tx, jurisdiction);
  const due = deadlineFor(rules, calendar, jurisdiction, laId, `disagreement_${urgent ? 'urgent_' : ''}stage_${stage}`, at);
  return due ? { code: due.code, rule_id: due.ruleId, due_on: due.dueAt ?? due.dueOn, escalates_at: due.overdueAt.toISOString() } : null;
}
