import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { WorkingCalendar, type CalendarData } from './calendar.js';
import type { Convention, Unit } from './due.js';
import type { Jurisdiction, RuleStatus, TimescaleRule } from './rules.js';

type Q = Kysely<DB> | Transaction<DB>;

const ruleColumns = [
  'id', 'code', 'jurisdiction', 'locality', 'step', 'trigger_event', 'trigger', 'amount', 'unit', 'convention',
  'source', 'status', 'local_practice', 'effective_from', 'recorded_at',
] as const;

/** The CHECKs in migration 0010 keep these columns to the listed values. */
type RuleRow = Omit<TimescaleRule, 'jurisdiction' | 'unit' | 'convention' | 'status'> & { jurisdiction: string; unit: string; convention: string; status: string };
const asRule = (r: RuleRow): TimescaleRule => ({
  ...r,
  jurisdiction: r.jurisdiction as Jurisdiction,
  unit: r.unit as Unit,
  convention: r.convention as Convention,
  status: r.status as RuleStatus,
});

/** Every version of every rule of a jurisdiction: national and local, past and future. */
export async function loadRules(q: Q, jurisdiction: Jurisdiction): Promise<TimescaleRule[]> {
  const rows = await q.selectFrom('timescale_rules').select(ruleColumns).where('jurisdiction', '=', jurisdiction).execute();
  return rows.map(asRule);
}

export async function insertRule(q: Q, rule: Omit<TimescaleRule, 'id' | 'recorded_at'>, recordedBy: string | null): Promise<TimescaleRule> {
  const row = await q
    .insertInto('timescale_rules')
    .values({ ...rule, recorded_by: recordedBy })
    .returning(ruleColumns)
    .executeTakeFirstOrThrow();
  return asRule(row);
}

/** The jurisdiction's working-day calendar with all its bank holidays. */
export async function loadCalendar(q: Q, jurisdiction: Jurisdiction): Promise<CalendarData> {
  const c = await q
    .selectFrom('jurisdictions as j')
    .innerJoin('calendars as c', 'c.code', 'j.calendar')
    .select(['c.code', 'c.name', 'c.weekend', 'c.covers_from', 'c.covers_to'])
    .where('j.code', '=', jurisdiction)
    .executeTakeFirstOrThrow();
  const holidays = await q.selectFrom('bank_holidays').select(['date', 'name', 'source']).where('calendar', '=', c.code).orderBy('date').execute();
  return { code: c.code, name: c.name, weekend: c.weekend.map(Number), coversFrom: c.covers_from, coversTo: c.covers_to, holidays };
}

/** A local authority by id, with its jurisdiction; undefined for any other agency or none. */
export async function localAuthority(q: Q, id: string): Promise<{ id: string; name: string; jurisdiction: Jurisdiction } | undefined> {
  const a = await q
    .selectFrom('agencies')
    .select(['id', 'name', 'jurisdiction'])
    .where('id', '=', id)
    .where('kind', '=', 'local_authority')
    .executeTakeFirst();
  return a && { ...a, jurisdiction: a.jurisdiction as Jurisdiction };
}

/** Which country's rules an agency follows (every agency has one). */
export async function agencyJurisdiction(q: Q, id: string): Promise<Jurisdiction> {
  const a = await q.selectFrom('agencies').select('jurisdiction').where('id', '=', id).executeTakeFirstOrThrow();
  return a.jurisdiction as Jurisdiction;
}

/** A jurisdiction's rules and working-day calendar: what every deadline is computed from. */
export async function rulesAndCalendar(q: Q, jurisdiction: Jurisdiction): Promise<{ rules: TimescaleRule[]; calendar: WorkingCalendar }> {
  return { rules: await loadRules(q, jurisdiction), calendar: new WorkingCalendar(await loadCalendar(q, jurisdiction)) };
}
