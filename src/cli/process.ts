import { ZodError } from 'zod';
import type { Config } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import { DomainError } from '../errors.js';
import { weekdayName } from '../process/dates.js';
import type { Due } from '../process/due.js';
import { amountOf } from '../process/timescales-view.js';
import type { TimescaleRule } from '../process/rules.js';
import { dueQuery, rulesQuery } from '../process/schemas.js';
import { ProcessRules } from '../process/service.js';

/** `sightline rules` and `sightline due`: a deadline anyone can check against the statute by hand. */
export interface ProcessOptions {
  jurisdiction?: string;
  locality?: string;
}

async function withRules(cfg: Config, fn: (rules: ProcessRules) => Promise<number>): Promise<number> {
  const d = await openDatabase(cfg);
  try {
    await migrate(d.db);
    return await fn(new ProcessRules(d.db));
  } catch (e) {
    if (e instanceof ZodError) console.error(e.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('\n'));
    else if (e instanceof DomainError) console.error(e.message);
    else throw e;
    return 1;
  } finally {
    await d.close();
  }
}

const whose = (r: TimescaleRule) => (r.locality ? `local practice of agency ${r.locality}` : 'national');
const dated = (d: string) => (d.length === 10 ? `${d} (${weekdayName(d)})` : d);

export function describeRule(r: TimescaleRule): string {
  return [
    `${r.code.padEnd(4)} ${r.step}`,
    `     trigger:    ${r.trigger} [${r.trigger_event}]`,
    `     deadline:   ${amountOf(r.amount, r.unit)}, counted ${r.convention}`,
    `     source:     ${r.source}`,
    `     status:     ${r.status}; ${whose(r)}; ${r.local_practice ? 'a local authority may set its own' : 'set nationally'}`,
    `     effective:  from ${r.effective_from}`,
  ].join('\n');
}

export function describeDue(d: { rule: TimescaleRule } & Due): string {
  const r = d.rule;
  const lines = [
    `${r.code} (${r.jurisdiction}, ${whose(r)}): ${r.step}`,
    `Trigger:  ${r.trigger}: ${dated(d.start)}`,
    `Due:      ${dated(d.due)}`,
    `Counted:  ${amountOf(d.amount, d.unit)}, ${d.convention}${d.unit === 'working_days' && d.counted_from !== d.start ? ` (from ${d.counted_from}, the next working day)` : ''}`,
  ];
  if (d.unit === 'working_days') {
    const passed = d.holidays_passed.map((h) => `${h.date} ${h.name}`).join('; ');
    lines.push(`Bank holidays on the way: ${passed || 'none'}`);
  }
  lines.push(`Source:   ${r.source}`, `Rule:     ${r.status}; effective from ${r.effective_from}`);
  return lines.join('\n');
}

export function rulesCommand(cfg: Config, opts: ProcessOptions): Promise<number> {
  return withRules(cfg, async (rules) => {
    const { jurisdiction } = rulesQuery.parse({ jurisdiction: opts.jurisdiction });
    const cal = (await rules.calendar(jurisdiction)).data;
    console.log(`Timescale rules for ${jurisdiction} (working days: ${cal.name} bank holidays, known from ${cal.coversFrom} to ${cal.coversTo})\n`);
    console.log((await rules.rules(jurisdiction)).map(describeRule).join('\n\n'));
    return 0;
  });
}

export function dueCommand(cfg: Config, args: string[], opts: ProcessOptions): Promise<number> | number {
  if (args.length !== 2) {
    console.error('Usage: sightline due RULE START [--jurisdiction england|wales] [--locality AGENCY_ID]\n  e.g. sightline due T2 2026-12-24, or sightline due EP1 2026-03-27T18:00');
    return 2;
  }
  return withRules(cfg, async (rules) => {
    console.log(describeDue(await rules.due(dueQuery.parse({ rule: args[0], start: args[1], ...opts }))));
    return 0;
  });
}
