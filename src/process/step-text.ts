import { stepLabels, type StepName } from './steps.js';

const words = (v: unknown) => String(v).replaceAll('_', ' ');

/** A one-line narrative for a step recorded without one: the step and its outcome, in words. */
export function narrativeOf(step: StepName, data: Record<string, unknown>): string {
  const parts = [stepLabels[step]];
  if (data.outcome) parts.push(`outcome: ${words(data.outcome)}`);
  if (data.category) parts.push(`category ${String(data.category)}`);
  if (data.reason) parts.push(`reason ${words(data.reason)}`);
  return parts.join('; ') + '.';
}

/** Every practitioner a step names, by the part they play in it. */
export function practitionersNamed(data: Record<string, unknown>) {
  const attendees = ((data.attendees as { practitioner_id?: string }[] | undefined) ?? []).flatMap((a) => (a.practitioner_id ? [a.practitioner_id] : []));
  const coreGroup = (data.core_group_ids as string[] | undefined) ?? [];
  const conditions = (data.conditions as { monitor?: { practitioner_id?: string; person_id?: string } }[] | undefined) ?? [];
  const monitors = conditions.flatMap((c) => (c.monitor?.practitioner_id ? [c.monitor.practitioner_id] : []));
  const people = conditions.flatMap((c) => (c.monitor?.person_id ? [c.monitor.person_id] : []));
  const leads = [data.s47_lead_id, data.lead_id, data.chair_id].filter((x): x is string => typeof x === 'string');
  const owners = ((data.actions as { practitioner_id?: string }[] | undefined) ?? []).flatMap((a) => (a.practitioner_id ? [a.practitioner_id] : []));
  return { attendees, coreGroup, monitors, people, all: [...new Set([...attendees, ...coreGroup, ...monitors, ...leads, ...owners])] };
}

/** The few facts of a step that the chronology shows beside its narrative. */
export function stepFacts(data: Record<string, unknown>): string[] {
  const facts: string[] = [];
  if (data.outcome) facts.push(`Outcome: ${words(data.outcome)}`);
  if (data.category) facts.push(`Category: ${String(data.category)}`);
  if (data.reason) facts.push(`Reason: ${words(data.reason)}`);
  if (typeof data.late_reason === 'string') facts.push(`Late: ${data.late_reason}`);
  const actions = (data.actions as { what: string; due_on: string }[] | undefined) ?? [];
  for (const a of actions) facts.push(`Action: ${a.what}, by ${a.due_on}`);
  for (const d of (data.deadlines as { label: string; due_on: string; due_at: string | null; code: string }[] | undefined) ?? []) {
    facts.push(`${d.label}: due by ${d.due_at ?? d.due_on} (${d.code})`);
  }
  return facts;
}

/** The chronology's label for a process entry. */
export const stepLabelOf = (data: Record<string, unknown>) => stepLabels[data.step as StepName] ?? 'Statutory process';
