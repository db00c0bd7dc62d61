import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import { actorKey } from '../access/actor.js';
import { administer, type PractitionerActor } from '../agencies/admin.js';
import { once, type Stored } from '../db/idempotency.js';
import { DomainError, forbidden, notFound } from '../errors.js';
import { localAuthority, agencyJurisdiction } from '../process/rules-store.js';
import { evaluatorOf } from './evaluators/index.js';
import { applicableRules, selectSignalRule, type RulePlace, type SignalRule } from './rules.js';
import { insertSignalRule, loadSignalRules } from './rules-store.js';
import { toNewerView, toRuleView, toTrialHit, type NewerVersionView, type NewVersionInput, type RuleChange, type RuleListItem, type RuleView, type TrialView } from './rules-schemas.js';
import { catchUp, newerThanOwn } from './rules-newer.js';
import { childHistory, childrenOfAuthority } from './trial-store.js';
import { replay } from './trial.js';

/** The red-flag rules as data: read by any practitioner, tried and changed by a local authority's administrator. */
export class SignalRulesService {
  constructor(private readonly db: Kysely<DB>, private readonly clock: () => Date = () => new Date()) {}

  /** Each rule as it applies to the caller's agency now, and any newer version than the authority's own. */
  async list(actor: Actor): Promise<RuleListItem[]> {
    const place = await this.placeOf(practitioner(actor));
    const rows = await loadSignalRules(this.db);
    return applicableRules(rows, place, this.clock()).map((r) => ({ ...toRuleView(r), newer_version: this.newer(rows, r, place) }));
  }

  /** One rule as it applies to the caller, every version of it that could apply to them (newest first), and any newer version than the authority's own. */
  async show(actor: Actor, ruleId: string): Promise<{ rule: RuleView; versions: RuleView[]; newer_version: NewerVersionView | null }> {
    const place = await this.placeOf(practitioner(actor));
    const rows = (await loadSignalRules(this.db)).filter((r) => r.rule_id === ruleId);
    const rule = selectSignalRule(rows, ruleId, place, this.clock());
    if (!rule) throw notFound('The rule');
    const mine = rows.filter((r) => (r.locality === null || r.locality === place.locality) && (r.jurisdiction === null || r.jurisdiction === place.jurisdiction));
    return { rule: toRuleView(rule), versions: [...mine].reverse().map(toRuleView), newer_version: this.newer(rows, rule, place) };
  }

  private newer(rows: SignalRule[], rule: SignalRule, place: RulePlace): NewerVersionView | null {
    const n = newerThanOwn(rows, rule, place, this.clock());
    return n ? toNewerView(n, catchUp(rule, n)) : null;
  }

  /**
   * What the rule, changed as proposed, would have raised over the authority's children's histories,
   * and how many the version in force raises. One audit row names every child read.
   */
  trial(actor: Actor | null, ruleId: string, change: RuleChange): Promise<TrialView> {
    return administer(this.db, actor, 'signal_rule_trial', async ({ tx, admin, audit }) => {
      const { la, current, proposed } = await this.proposal(tx, admin, ruleId, change);
      const logic = evaluatorOf(ruleId)!;
      const now = this.clock();
      const children = await childrenOfAuthority(tx, la.id);
      const hits = [];
      let currentHits = 0;
      for (const c of children) {
        const h = await childHistory(tx, c, now);
        if (!h) continue;
        hits.push(...replay(h, logic, proposed, now));
        currentHits += replay(h, logic, current, now).length;
      }
      Object.assign(audit, { rule_id: ruleId, children: children.map((c) => c.id) });
      return { rule: toRuleView(proposed), children_read: children.length, hits: hits.map(toTrialHit), current_hits: currentHits };
    });
  }

  /** A new version for the administrator's own authority, in force from now. */
  addVersion(actor: Actor | null, ruleId: string, input: NewVersionInput, key?: string): Promise<Stored<RuleView>> {
    return administer(this.db, actor, 'signal_rule_version', async ({ tx, admin, audit }) => {
      const res = await once(tx, actorKey(admin), key, { op: 'signal_rule_version', ruleId, input }, async () => {
        const { proposed } = await this.proposal(tx, admin, ruleId, input);
        const { id: _, recorded_at: __, ...row } = proposed;
        const saved = await insertSignalRule(tx, { ...row, effective_from: this.clock(), recorded_by: admin.id, change_reason: input.reason });
        return { status: 201, body: toRuleView(saved) };
      });
      Object.assign(audit, { rule_id: ruleId, version_id: res.body.version_id, replayed: res.replayed });
      return res;
    });
  }

  /**
   * The version in force for the administrator's authority, and the change applied to what it starts from:
   * that version, or, when a newer jurisdiction or default version is there, that one with the authority's
   * choices kept (rules-newer.ts#catchUp). 409 when the change does not fit the rule.
   */
  private async proposal(q: Kysely<DB>, admin: PractitionerActor, ruleId: string, change: RuleChange) {
    const la = await localAuthority(q, admin.agencyId);
    if (!la) throw forbidden('Red-flag rules are tried and changed by an administrator of a local authority, for that authority.');
    const logic = evaluatorOf(ruleId);
    const rows = await loadSignalRules(q);
    const place = { locality: la.id, jurisdiction: la.jurisdiction };
    const current = logic && selectSignalRule(rows, ruleId, place, this.clock());
    if (!logic || !current) throw notFound('The rule');
    const base = catchUp(current, newerThanOwn(rows, current, place, this.clock()));
    const parameters = { ...base.parameters, ...(change.parameters ?? {}) };
    const fields = Object.keys(change.parameters ?? {}).flatMap((k) => {
      if (!(k in base.parameters)) return [{ path: `parameters.${k}`, message: `${ruleId} has no parameter "${k}"` }];
      const same = JSON.stringify(change.parameters![k]) === JSON.stringify(base.parameters[k]);
      return same || base.local_parameters.includes(k) ? [] : [{ path: `parameters.${k}`, message: 'A local authority may not set this parameter' }];
    });
    const parsed = logic.params.safeParse(parameters);
    if (!parsed.success) fields.push(...parsed.error.issues.map((i) => ({ path: ['parameters', ...i.path].join('.'), message: i.message })));
    if (fields.length) throw new DomainError(`These parameters do not fit ${ruleId} (first: ${fields[0].path}: ${fields[0].message}).`, 409, 'Conflict', fields);
    const proposed: SignalRule = {
      ...base, parameters, severity: change.severity ?? base.severity, enabled: change.enabled ?? base.enabled,
      locality: la.id, jurisdiction: la.jurisdiction,
    };
    return { la, current, proposed };
  }

  private async placeOf(p: PractitionerActor): Promise<RulePlace> {
    const la = await localAuthority(this.db, p.agencyId);
    return la ? { locality: la.id, jurisdiction: la.jurisdiction } : { locality: null, jurisdiction: await agencyJurisdiction(this.db, p.agencyId) };
  }
}

function practitioner(actor: Actor): PractitionerActor {
  if (actor.type !== 'practitioner') throw forbidden('The red-flag rules are read by signed-in practitioners.');
  return actor;
}
