import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import { actorKey } from '../access/actor.js';
import { administer, type AdminChange } from '../agencies/admin.js';
import { once, type Stored } from '../db/idempotency.js';
import { DomainError, conflict, forbidden, invalid } from '../errors.js';
import { WorkingCalendar } from './calendar.js';
import { londonDate, parseTrigger } from './dates.js';
import { conventionsFor, dueFor, type Due } from './due.js';
import { byCodeThenDate, selectRule, type Jurisdiction, type TimescaleRule } from './rules.js';
import { agencyJurisdiction, insertRule, loadCalendar, loadRules, localAuthority } from './rules-store.js';
import { toRuleView, type DueQuery, type OverrideInput, type RuleView } from './schemas.js';
import { rulesInForce } from './timescales.js';

/** Timescale rules and the due dates they give: read by the API, the CLI and (later) the process. */
export class ProcessRules {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async rules(jurisdiction: Jurisdiction): Promise<TimescaleRule[]> {
    return (await loadRules(this.db, jurisdiction)).sort(byCodeThenDate);
  }

  calendar(jurisdiction: Jurisdiction): Promise<WorkingCalendar> {
    return loadCalendar(this.db, jurisdiction).then((c) => new WorkingCalendar(c));
  }

  /** The deadline `q.rule` gives for a trigger at `q.start`, with the rule (and its source) that set it. */
  async due(q: DueQuery): Promise<{ rule: TimescaleRule } & Due> {
    const start = parseTrigger(q.start);
    const jurisdiction = await this.jurisdictionOf(q);
    const rule = selectRule(await loadRules(this.db, jurisdiction), { code: q.rule, jurisdiction, locality: q.locality, on: start.date, event: q.event });
    if (!rule) throw new DomainError(`There is no rule ${q.rule} in force in ${jurisdiction} on ${start.date}.`, 404, 'Not found');
    return { rule, ...dueFor(rule, start, await this.calendar(jurisdiction)) };
  }

  private async jurisdictionOf(q: DueQuery): Promise<Jurisdiction> {
    if (!q.locality) return q.jurisdiction ?? 'england';
    const la = await localAuthority(this.db, q.locality);
    if (!la) throw invalid('The locality is not a local authority.', [{ path: 'locality', message: 'Choose a local authority' }]);
    if (q.jurisdiction && q.jurisdiction !== la.jurisdiction) {
      throw invalid(`${la.name} is in ${la.jurisdiction}, not ${q.jurisdiction}.`, [{ path: 'jurisdiction', message: `${la.name} follows the ${la.jurisdiction} rules` }]);
    }
    return la.jurisdiction;
  }

  /**
   * A local authority's own timescale for a step the national rule leaves to local practice. Only
   * that authority's administrator may add one, from today onwards: a back-dated row would move
   * deadlines already given for earlier triggers.
   */
  addLocalOverride(actor: Actor | null, input: OverrideInput): Promise<TimescaleRule> {
    return administer(this.db, actor, 'add_timescale_override', (c) => this.override(c, input));
  }

  /** The same, once per Idempotency-Key: a retry gets the first answer and writes nothing more. */
  createLocalOverride(actor: Actor | null, input: OverrideInput, key?: string): Promise<Stored<RuleView>> {
    return administer(this.db, actor, 'add_timescale_override', async (c) => {
      const res = await once(c.tx, actorKey(c.admin), key, { op: 'add_timescale_override', input }, async () => ({
        status: 201,
        body: toRuleView(await this.override(c, input)),
      }));
      if (res.replayed) Object.assign(c.audit, { rule_id: res.body.id, replayed: true });
      return res;
    });
  }

  /**
   * What a practitioner's agency follows: its jurisdiction's rules in force today and later, and its
   * own local timescales when it is a local authority (other agencies have none of their own).
   */
  async timescalesFor(agencyId: string) {
    const today = londonDate(this.clock());
    const jurisdiction = await agencyJurisdiction(this.db, agencyId);
    const la = await localAuthority(this.db, agencyId);
    const rules = rulesInForce(await loadRules(this.db, jurisdiction), la?.id ?? null, today);
    return { today, jurisdiction, localAuthority: la, rules, calendar: (await this.calendar(jurisdiction)).data };
  }

  private async override({ tx, admin, audit }: AdminChange, input: OverrideInput): Promise<TimescaleRule> {
    const la = await localAuthority(tx, input.locality);
    if (!la) throw invalid('The locality is not a local authority.', [{ path: 'locality', message: 'Choose a local authority' }]);
    if (admin.agencyId !== la.id) throw forbidden(`Only an administrator of ${la.name} can set its local timescales.`);
    const today = londonDate(this.clock());
    if (input.effective_from < today) {
      throw invalid('A local timescale cannot start before today: deadlines already given for earlier triggers must not move.', [
        { path: 'effective_from', message: `Enter today (${today}) or a later date` },
      ]);
    }
    if (!conventionsFor[input.unit].includes(input.convention)) {
      throw invalid(`A timescale in ${input.unit} is counted with ${conventionsFor[input.unit].join(' or ')}.`, [{ path: 'convention', message: 'Choose a convention that fits the unit' }]);
    }
    const rules = await loadRules(tx, la.jurisdiction);
    const national = selectRule(rules, { code: input.code, jurisdiction: la.jurisdiction, on: input.effective_from });
    if (!national) throw invalid(`There is no ${la.jurisdiction} rule ${input.code} in force on ${input.effective_from}.`, [{ path: 'code', message: 'Choose an existing rule' }]);
    if (!national.local_practice) {
      throw invalid(`${input.code} (${national.step}) is set nationally; a local authority cannot change it.`, [{ path: 'code', message: 'Choose a rule left to local practice' }]);
    }
    if (rules.some((r) => r.code === input.code && r.locality === la.id && r.effective_from === input.effective_from)) {
      throw conflict(`${la.name} already has its own ${input.code} from ${input.effective_from}.`);
    }
    const { code, jurisdiction, step, trigger_event, trigger } = national;
    const rule = await insertRule(tx, {
      code, jurisdiction, step, trigger_event, trigger,
      locality: la.id, amount: input.amount, unit: input.unit, convention: input.convention,
      source: input.source, status: 'local', local_practice: true, effective_from: input.effective_from,
    }, admin.id);
    Object.assign(audit, { rule_id: rule.id, code, locality: la.id, effective_from: input.effective_from });
    return rule;
  }
}
