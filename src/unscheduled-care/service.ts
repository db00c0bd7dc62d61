import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import { actorKey } from '../access/actor.js';
import type { ChildDoor, Access } from '../access/door.js';
import { allocatedWorkerAndManager, writeAudit } from '../access/store.js';
import { isUnscheduledCarePractitioner } from '../access/policy.js';
import type { Sealer, StoredLink } from '../record/chain.js';
import { appendEntries } from '../record/store.js';
import { notify } from '../notifications/store.js';
import { once, type Stored } from '../db/idempotency.js';
import { forbidden } from '../errors.js';
import { settingLabels, type CheckAnswer, type CheckInput } from './schemas.js';
import { findChild } from './find.js';
import { planFacts, previousChecks } from './store.js';

export const CHECK_KIND = 'unscheduled_care_check';
type Practitioner = Extract<Actor, { type: 'practitioner' }>;

/**
 * The unscheduled-care check (issue 5 part 4, CP-IS in spec §9): find the child, answer only what an
 * A&E clinician needs, record the check in the child's chronology and tell the allocated worker and
 * their manager, all in one transaction.
 */
export class UnscheduledCareService {
  constructor(
    private readonly db: Kysely<DB>, private readonly door: ChildDoor, private readonly sealer: Sealer,
    /** Told of the check's entry in its transaction (the red-flag rules: an attendance of a child on a plan). */
    private readonly appended: (tx: Transaction<DB>, rows: StoredLink[]) => Promise<void> = async () => {},
  ) {}

  async check(actor: Actor, input: CheckInput, key?: string): Promise<Stored<CheckAnswer>> {
    if (actor.type !== 'practitioner' || !isUnscheduledCarePractitioner(actor)) {
      throw forbidden('Unscheduled-care checks are for signed-in health practitioners (GP, paediatrician, health visitor).');
    }
    return this.db.transaction().execute(async (tx) => {
      const childId = await findChild(tx, input);
      if (!childId) {
        await writeAudit(tx, { actorPractitionerId: actor.id, actorTokenId: null, childId: null, action: 'unscheduled_care_check_no_match', basis: 'front_door', detail: { lookup: lookupOf(input) } });
        return { status: 200, body: { match: 'none' as const }, replayed: false };
      }
      return this.door.within(tx).write(actor, childId, CHECK_KIND, (a) =>
        once(a.tx, actorKey(actor), key, { check: input }, () => this.record(a, actor, input)), CHECK_KIND);
    });
  }

  private async record(a: Access, actor: Practitioner, input: CheckInput): Promise<{ status: number; body: CheckAnswer }> {
    const [facts, earlier, agency] = [await planFacts(a.tx, a.childId, a.now), await previousChecks(a.tx, a.childId), await agencyName(a.tx, actor.agencyId)];
    const onPlan = facts.planStart !== null;
    const lookedAfter = facts.lookedAfterSince !== null;
    const setting = settingLabels[input.setting];
    const [entry] = await appendEntries(a.tx, this.sealer, [{
      child_id: a.childId, kind: CHECK_KIND, occurred_at: a.now, author_id: actor.id, author_name: actor.name, author_role: actor.role,
      author_agency_id: actor.agencyId, via_token_id: null, concerns: [], supersedes_id: null, correction_reason: null,
      narrative: `Checked by ${actor.name} at ${agency} (${setting}). Reason: ${input.reason}`,
      data: { setting: input.setting, reason: input.reason, lookup: lookupOf(input), on_plan: onPlan, looked_after: lookedAfter },
    }]);
    await this.appended(a.tx, [entry]);
    const told = (await allocatedWorkerAndManager(a.tx, a.childId, a.now)).filter((p) => p !== actor.id);
    await notify(a.tx, told, {
      kind: CHECK_KIND, childId: a.childId, at: a.now, mustAcknowledge: true, entryId: entry.id,
      title: `Seen in unscheduled care: ${setting}, ${agency}`,
      body: `${actor.name} (${agency}, ${setting}) checked this child. Reason: ${input.reason}. This alert must be acknowledged.`,
    });
    Object.assign(a.audit, { setting: input.setting, lookup: lookupOf(input), on_plan: onPlan, looked_after: lookedAfter, notified: told.length });
    if (!onPlan && !lookedAfter) return { status: 201, body: { on_plan: false, looked_after: false } };
    return {
      status: 201,
      body: {
        on_plan: onPlan, looked_after: lookedAfter, unborn: facts.unborn, plan_start: facts.planStart, looked_after_since: facts.lookedAfterSince,
        local_authority: facts.la ?? { name: 'Unknown', office_hours_phone: null, out_of_hours_phone: null },
        last_accesses: earlier,
      },
    };
  }
}

const lookupOf = (input: CheckInput) => ('nhs_number' in input ? 'nhs_number' : 'demographics');

async function agencyName(tx: Transaction<DB>, id: string): Promise<string> {
  return (await tx.selectFrom('agencies').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name;
}
