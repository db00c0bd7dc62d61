import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../access/actor.js';
import { getPractitionerRow } from '../agencies/store.js';
import type { ChildSummary } from '../people/views.js';
import { formatDate, formatDateTime } from '../web/dates.js';
import { planActionRows } from './pages-plan-actions.js';
import { addDays, fromLondonLocal } from './dates.js';
import { categoryLabels, closureReasonLabels, legalStatusLabels, placementTypeLabels, primaryNeedLabels, referralSourceLabels, words } from './code-labels.js';
import type { ProcessService } from './process-service.js';
import type { ClockView, ProcessView } from './view.js';
import { labelsOf } from '../person-index/merged-records.js';

/** What the child's page needs to show the statutory process. */
export interface ProcessSummaryDeps {
  db: Kysely<DB>;
  process: Pick<ProcessService, 'overview'>;
}

type Row = { key: string; value: string };
const label = (labels: Record<string, string>, code: string) => (labels[code] ? `${labels[code]} (${code})` : code);

/** Deadline tags as GOV.UK colours them: overdue red, due soon yellow, upcoming grey. */
export const dueTags: Record<string, { text: string; classes: string }> = {
  overdue: { text: 'Overdue', classes: 'govuk-tag--red' },
  due_soon: { text: 'Due soon', classes: 'govuk-tag--yellow' },
  upcoming: { text: 'Upcoming', classes: 'govuk-tag--grey' },
};

/**
 * When a deadline falls: a day, or for emergency powers (which run out at an instant) the exact UK
 * time and the hours left. An order counted in days runs to the end of its last day.
 */
export function dueWhen(d: { code: string; due_on: string; due_at: string | null }, now: Date | null): { when: string; hours?: string } {
  const emergency = d.due_at || d.code.startsWith('EP');
  if (!emergency) return { when: formatDate(d.due_on) };
  const when = d.due_at ? `${formatDateTime(d.due_at)} (UK time)` : `the end of ${formatDate(d.due_on)} (midnight, UK time)`;
  if (!now) return { when };
  const ends = d.due_at ? new Date(d.due_at) : fromLondonLocal(addDays(d.due_on, 1), '00:00');
  const left = Math.floor((ends.getTime() - now.getTime()) / 3_600_000);
  const hours = (n: number) => `${n} ${n === 1 ? 'hour' : 'hours'}`;
  return { when, hours: left >= 0 ? `${hours(left)} left` : `${hours(-left)} overdue` };
}

/**
 * The "Statutory process" section of the child's page, read through ProcessService.overview (the
 * door checks and audits it). People are named from the summary already read; practitioners by name.
 */
export async function processSummary(deps: ProcessSummaryDeps, actor: Actor, childId: string, summary: ChildSummary) {
  const v = await deps.process.overview(actor, childId);
  const now = new Date();
  const people = new Map([...summary.household.current, ...summary.household.previous, ...summary.relationships].map((m) => [m.person.id, `${m.person.name.given_name} ${m.person.name.family_name}`]));
  const merged = [];
  // Each merged record's process beside the child's own, labelled, never folded into it.
  for (const m of v.merged_records) merged.push({ childId: m.child_id, label: m.label, ...(await stateSummary(deps.db, m.process, people, now)) });
  return { ...(await stateSummary(deps.db, v, people, now)), merged, mergedLabels: labelsOf(v.merged_records) };
}
export type ProcessSummary = Awaited<ReturnType<typeof processSummary>>;

/** One process as the page shows it: stage, situation, safety plans, what is due and what was done. */
async function stateSummary(db: Kysely<DB>, v: ProcessView, people: Map<string, string>, now: Date) {
  const names = await practitionerNames(db, v);
  const monitor = (m?: { practitioner_id?: string; person_id?: string }) =>
    !m ? 'No one named' : m.practitioner_id ? names.get(m.practitioner_id) ?? 'A practitioner' : people.get(m.person_id ?? '') ?? 'Someone no longer recorded as related';
  return {
    stage: v.stage,
    rows: situation(v, names),
    safetyPlans: v.safety_plans.map((p) => ({
      title: `Agreed ${formatDate(p.agreed)}`,
      status: p.ended ? `Ended ${formatDate(p.ended)}` : `Review by ${formatDate(p.reviewOn)}`,
      ended: !!p.ended,
      conditions: p.conditions.map((c, i) => ({
        condition: c.condition,
        monitor: monitor(c.monitor),
        howChecked: c.how_checked,
        breaches: p.breaches.filter((b) => b.condition === i).map((b) => `${b.breach === 'breached' ? 'Breached' : 'Could not be checked'} on ${formatDate(b.date)}`),
      })),
    })),
    planActions: planActionRows(v.plan_actions, names, now),
    due: v.due.map((d) => ({ label: d.label, code: d.code, tag: dueTags[d.status], ...dueWhen(d, now) })),
    done: [...v.done].reverse().map((d) => ({ label: d.label, code: d.code, due: dueWhen(d, null).when, result: doneWords(d), lateReason: d.late_reason, entryId: d.completed_by_entry_id })),
  };
}

const doneWords = (d: ClockView) => (d.status === 'done' ? 'Done in time' : d.status === 'done_late' ? 'Done late' : 'No longer needed');

async function practitionerNames(db: Kysely<DB>, v: ProcessView): Promise<Map<string, string>> {
  const ids = new Set<string>();
  if (v.child_protection_plan) ids.add(v.child_protection_plan.lead_id);
  for (const p of v.safety_plans) for (const c of p.conditions) if (c.monitor?.practitioner_id) ids.add(c.monitor.practitioner_id);
  for (const a of v.plan_actions) if (a.practitioner_id) ids.add(a.practitioner_id);
  const names = new Map<string, string>();
  for (const id of ids) {
    const p = await getPractitionerRow(db, id);
    if (p) names.set(id, p.display_name);
  }
  return names;
}

/** The open episode, plans, orders and proceedings, one summary row each, only those the child has. */
function situation(v: ProcessView, names: Map<string, string>): Row[] {
  const rows: Row[] = [];
  const ep = v.episode;
  if (ep) {
    const s47 = ep.section_47;
    rows.push({ key: ep.closed ? 'Last episode' : 'Open episode', value: [
      `Referral ${formatDate(ep.referral_date)} from ${label(referralSourceLabels, ep.referral_source)}`,
      `primary need ${label(primaryNeedLabels, ep.primary_need)}`,
      ep.decision ? `decision: ${words(ep.decision).toLowerCase()}` : 'awaiting decision',
      ep.assessment ? `assessment from ${formatDate(ep.assessment.start)}${ep.assessment.open ? ', open' : ''}` : '',
      s47 ? `section 47 enquiry from ${formatDate(s47.start)}${s47.status === 'open' ? ', open' : s47.status === 'awaiting_conference' ? ', conference to convene' : ''}` : '',
      ep.closed ? `closed ${formatDate(ep.closed.on)}: ${label(closureReasonLabels, ep.closed.reason)}` : '',
    ].filter(Boolean).join('; ') });
  }
  const cp = v.child_protection_plan;
  if (cp) {
    const category = cp.latest_category === cp.initial_category ? label(categoryLabels, cp.latest_category) : `${label(categoryLabels, cp.latest_category)}, first ${label(categoryLabels, cp.initial_category)}`;
    rows.push({ key: 'Child protection plan', value: `${category}; since ${formatDate(cp.start)}; lead social worker ${names.get(cp.lead_id) ?? 'not known'}${cp.reviews.length ? `; last reviewed ${formatDate(cp.reviews.at(-1)!)}` : ''}` });
  }
  if (v.child_in_need_plan) rows.push({ key: 'Child in need plan', value: `Since ${formatDate(v.child_in_need_plan.start)}` });
  const pp = v.police_protection;
  if (pp) rows.push({ key: 'Police protection', value: `From ${formatDateTime(pp.start)}${pp.end ? `, ended ${formatDateTime(pp.end)}${pp.outcome ? ` (${words(pp.outcome).toLowerCase()})` : ''}` : ', in force'}` });
  const epo = v.emergency_protection_order;
  if (epo) rows.push({ key: 'Emergency protection order', value: `Made ${formatDate(epo.made)}${epo.until ? `, extended until ${formatDate(epo.until)}` : ''}${epo.ended ? `, ended ${formatDate(epo.ended)}` : ', in force'}` });
  const lpm = v.legal_planning;
  if (lpm) rows.push({ key: 'Legal planning meeting', value: `Requested on ${formatDate(lpm.requested_on)} by ${lpm.requested_by ?? 'someone not recorded'}; not yet held${lpm.due_on ? ` (due by ${formatDate(lpm.due_on)})` : ''}` });
  const pre = v.pre_proceedings;
  if (pre) rows.push({ key: 'Pre-proceedings', value: `From ${formatDate(pre.start)}${pre.letterSent ? `, letter before proceedings ${formatDate(pre.letterSent)}` : ''}${pre.decision ? `, decision: ${words(pre.decision).toLowerCase()}` : ''}${pre.closed ? `, closed ${formatDate(pre.closed)}` : ''}` });
  const court = v.care_proceedings;
  if (court) rows.push({ key: 'Care proceedings', value: `Issued ${formatDate(court.issued)}${court.extensions ? `, timetable extended ${court.extensions === 1 ? 'once' : `${court.extensions} times`}` : ''}${court.concluded ? `, concluded ${formatDate(court.concluded)}${court.outcome ? ` (${words(court.outcome).toLowerCase()})` : ''}` : ', under way'}` });
  const la = v.looked_after;
  if (la) {
    const placement = la.placement ? `placement: ${(placementTypeLabels[la.placement.type] ?? words(la.placement.type)).toLowerCase()} since ${formatDate(la.placement.since)}` : 'no current placement';
    rows.push({ key: 'Looked after', value: `Since ${formatDate(la.since)}; ${label(legalStatusLabels, la.legal_status)}; ${placement}` });
  }
  return rows;
}
