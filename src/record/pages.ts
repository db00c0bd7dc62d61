import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { ChildDoor } from '../access/door.js';
import { basisLabels, type Basis } from '../access/policy.js';
import { roleLabels, type Role } from '../agencies/schemas.js';
import { recentLooks } from '../access/pages.js';
import { listAgencies } from '../agencies/store.js';
import { conflict, DomainError } from '../errors.js';
import type { PeopleService } from '../people/service.js';
import { relationshipLabels } from '../people/schemas.js';
import { changeNotice } from '../people/pages-context.js';
import type { ChildSummary, HouseholdMember } from '../people/views.js';
import { londonParts } from '../web/dates.js';
import { asForm, field, formErrors, type FormBody } from '../web/forms.js';
import { uuidParam, type Practitioner, type Web } from '../web/shell.js';
import { entryFromForm, entryErrorMapping, valuesFromEntry } from './entry-page.js';
import { formFields, kindFields } from './entry-form.js';
import { entryKindLabels, entryKindNames, type EntryKind } from './kinds.js';
import type { RecordService } from './service.js';
import { timeline } from './timeline.js';
import { addAcknowledgements } from '../notifications/acknowledged.js';
import { processSummary, type ProcessSummaryDeps } from '../process/pages-summary.js';
import { decisionsSummary, type DecisionSummaryDeps } from '../decisions/pages-summary.js';
import { alertsSection } from '../signals/pages-alerts-summary.js';
import { asksAboutBaby } from '../signals/baby-visits.js';
import { personIndexOnChildPage } from '../person-index/section.js';

export interface RecordPageDeps {
  db: Kysely<DB>;
  door: ChildDoor;
  record: RecordService;
  people: Pick<PeopleService, 'childSummary'>;
  process: ProcessSummaryDeps['process'];
  decisions: DecisionSummaryDeps;
  /** The child's alerts from the red-flag rules, read through the door. */
  alerts?: Parameters<typeof alertsSection>[0];
}

const kindOptions = entryKindNames.map((k) => ({ value: k, text: entryKindLabels[k] }));
const asKind = (v: unknown): EntryKind | undefined => (typeof v === 'string' && (entryKindNames as string[]).includes(v) ? (v as EntryKind) : undefined);
const isUuid = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
const formKey = (form: FormBody) => (isUuid(field(form, '_idem')) ? field(form, '_idem') : randomUUID());

/** The child's page (summary, household, chronology, who has looked) and the entry forms. */
export function recordPages(web: Web, deps: RecordPageDeps) {
  web.get('/children/:childId', async (req, reply, actor) => {
    const childId = uuidParam(req, 'childId');
    const q = req.query as Record<string, unknown>;
    const filter = { agency: isUuid(q.agency) ? q.agency : undefined, kind: asKind(q.kind) };
    const summary = await deps.people.childSummary(actor, childId);
    const chron = await deps.record.chronology(actor, childId, { agencyId: filter.agency, kinds: filter.kind ? [filter.kind] : undefined });
    const looks = await recentLooks(deps.door, actor, childId);
    const agencies = await listAgencies(deps.db);
    const items = timeline(chron.entries);
    await addAcknowledgements(deps.door, actor, childId, items);
    const statutory = await processSummary(deps, actor, childId, summary);
    // What came from a record merged into this child is marked with that record's label.
    const from = statutory.mergedLabels;
    return web.render(req, reply, 'record/child.njk', {
      ...childModel(summary),
      pageTitle: childName(summary),
      childId,
      items: items.map((i) => ({ ...i, from: from.get(i.entry.child_id) ?? null })),
      filter,
      filtered: !!(filter.agency || filter.kind),
      agencyOptions: agencies.map((a) => ({ value: a.id, text: a.name })),
      kindOptions,
      looks: looks.slice(0, 8),
      moreLooks: looks.length > 8,
      added: items.find((i) => i.entry.id === q.added) ? q.added : undefined,
      corrected: items.find((i) => i.entry.id === q.corrected) ? q.corrected : undefined,
      changed: changeNotice(q.changed),
      statutory,
      decisionSection: await decisionsSummary(deps.decisions, actor, childId, from),
      personIndex: await personIndexOnChildPage(deps.door, actor, childId),
      alertSection: deps.alerts ? await alertsSection(deps.alerts, actor, childId, from) : null,
    });
  });

  web.get('/children/:childId/entries/new', async (req, reply, actor) => {
    const childId = uuidParam(req, 'childId');
    const kind = asKind((req.query as Record<string, unknown>).kind);
    const name = await nameIfVisible(deps, actor, childId, kind);
    if (!kind) return web.render(req, reply, 'record/choose-kind.njk', { pageTitle: 'Add an entry', childId, childName: name, kindOptions });
    const today = londonParts(new Date());
    const values = { 'occurred-day': String(Number(today.day)), 'occurred-month': String(Number(today.month)), 'occurred-year': today.year };
    return entryForm(web, req, reply, { childId, childName: name, kind, values, idem: randomUUID(), baby: await asksBaby(deps, actor, childId, kind) });
  });

  web.post('/children/:childId/entries', async (req, reply, actor) => {
    const childId = uuidParam(req, 'childId');
    const form = asForm(req.body);
    const kind = asKind(field(form, 'kind'));
    if (!kind) return reply.redirect(`/children/${childId}/entries/new`, 303);
    const idem = formKey(form);
    const again = async (errors: unknown) => {
      const childName = await nameIfVisible(deps, actor, childId, kind);
      return entryForm(web, req, reply, { childId, childName, kind, values: form, idem, errors, baby: await asksBaby(deps, actor, childId, kind) }, 422);
    };

    const parsed = entryFromForm(kind, form);
    if (parsed.errors) return again(parsed.errors);
    try {
      const res = await deps.record.append(actor, childId, parsed.input, `page-entry-${idem}`);
      return reply.redirect(`/children/${childId}?added=${res.body.id}#entry-${res.body.id}`, 303);
    } catch (err) {
      const errors = formErrors(err, entryErrorMapping(kind, form));
      if (!errors) throw err;
      return again(errors);
    }
  });

  web.get('/children/:childId/entries/:entryId/correct', async (req, reply, actor) => {
    const childId = uuidParam(req, 'childId');
    const original = await findEntry(deps, actor, childId, uuidParam(req, 'entryId'));
    // Steps, decisions and disagreements are corrected by their own later steps, never by the generic form.
    if (!original.item.correctable) throw conflict('This entry is changed by a later step of its own (a later decision or response), not corrected here.');
    // Correct the latest version: a correction of a superseded entry would fork the story.
    if (original.latest !== original.item.entry.id) return reply.redirect(`/children/${childId}/entries/${original.latest}/correct`, 303);
    const e = original.item.entry;
    const kind = e.kind as EntryKind;
    return entryForm(web, req, reply, { childId, childName: original.childName, kind, values: valuesFromEntry(e), idem: randomUUID(), original: original.item, baby: await asksBaby(deps, actor, childId, kind) });
  });

  web.post('/children/:childId/entries/:entryId/correct', async (req, reply, actor) => {
    const childId = uuidParam(req, 'childId');
    const entryId = uuidParam(req, 'entryId');
    const form = asForm(req.body);
    const kind = asKind(field(form, 'kind'));
    if (!kind) return reply.redirect(`/children/${childId}/entries/${entryId}/correct`, 303);
    const idem = formKey(form);
    const again = async (errors: unknown) => {
      const original = await findEntry(deps, actor, childId, entryId);
      return entryForm(web, req, reply, { childId, childName: original.childName, kind, values: form, idem, errors, original: original.item, baby: await asksBaby(deps, actor, childId, kind) }, 422);
    };
    const parsed = entryFromForm(kind, form, { supersedes: entryId });
    if (parsed.errors) return again(parsed.errors);
    try {
      const res = await deps.record.append(actor, childId, parsed.input, `page-entry-${idem}`);
      return reply.redirect(`/children/${childId}?corrected=${res.body.id}#entry-${res.body.id}`, 303);
    } catch (err) {
      const errors = formErrors(err, entryErrorMapping(kind, form));
      if (!errors) throw err;
      return again(errors);
    }
  });
}

interface EntryFormModel {
  childId: string;
  childName: string | null;
  kind: EntryKind;
  values: Record<string, unknown>;
  idem: string;
  errors?: unknown;
  original?: ReturnType<typeof timeline>[number];
  /** Whether a home visit asks if the baby was seen awake and undressed. */
  baby: boolean;
}

function entryForm(web: Web, req: FastifyRequest, reply: FastifyReply, m: EntryFormModel, status = 200) {
  const label = entryKindLabels[m.kind];
  const title = m.original ? `Correct this ${label.toLowerCase()}` : m.kind === 'contact_referral' && !m.childName ? 'Make a referral' : `Add ${article(label)} ${label.toLowerCase()}`;
  // Several selects share a choices field's name: the template wants a list, however many came back.
  const values = { ...m.values };
  for (const f of kindFields[m.kind]) {
    if (f.type === 'choices') values[f.name] = ([] as unknown[]).concat(values[f.name] ?? []);
  }
  return web.render(req, reply, 'record/entry-form.njk', { ...m, values, pageTitle: title, kindLabel: label, fields: formFields(m.kind, m.baby) }, status);
}

/** A home visit to a baby asks two more questions (R8): the child's age and authority are read through the door. */
async function asksBaby(deps: RecordPageDeps, actor: Practitioner, childId: string, kind: EntryKind): Promise<boolean> {
  if (kind !== 'home_visit') return false;
  return deps.door.read(actor, childId, 'read_summary', (a) => asksAboutBaby(a.tx, childId, a.now));
}

const article = (s: string) => (/^[aeiou]/i.test(s) ? 'an' : 'a');

/**
 * The child's name for a form's heading, read through the door. Someone with no relationship may
 * still make a referral (the front door is never closed), but learns nothing about the child.
 */
async function nameIfVisible(deps: RecordPageDeps, actor: Practitioner, childId: string, kind: EntryKind | undefined): Promise<string | null> {
  try {
    return childName(await deps.people.childSummary(actor, childId));
  } catch (err) {
    if (err instanceof DomainError && err.status === 404 && kind === 'contact_referral') return null;
    throw err;
  }
}

async function findEntry(deps: RecordPageDeps, actor: Practitioner, childId: string, entryId: string) {
  const chron = await deps.record.chronology(actor, childId, {});
  const items = timeline(chron.entries);
  const item = items.find((i) => i.entry.id === entryId);
  if (!item) throw new DomainError('The entry was not found.', 404, 'Not found');
  let latest = item.entry;
  for (let hops = 0; latest.superseded_by && hops < 1000; hops++) latest = chron.entries.find((e) => e.id === latest.superseded_by) ?? latest;
  const summary = await deps.people.childSummary(actor, childId);
  return { item, latest: latest.id, childName: childName(summary) };
}

const childName = (s: ChildSummary) => `${s.child.name.given_name} ${s.child.name.family_name}`;

function childModel(s: ChildSummary) {
  const member = (m: HouseholdMember) => ({
    id: m.person.id,
    name: `${m.person.name.given_name} ${m.person.name.family_name}`,
    relationship: relationshipLabels[m.kind as keyof typeof relationshipLabels] ?? m.kind,
    dateOfBirth: m.person.date_of_birth,
    from: m.valid_from,
    to: m.valid_to,
  });
  return {
    child: s.child,
    nhsNumber: s.child.identifiers.find((i) => i.scheme === 'nhs_number')?.value ?? null,
    address: s.child.addresses.find((a) => a.valid_to === null) ?? null,
    otherNames: s.child.names,
    allocation: s.allocation,
    groupMembers: s.group_members.map((g) => ({ ...g, role_label: roleLabels[g.role as Role] ?? g.role, group_label: g.group_kind === 'core_group' ? 'core group' : 'strategy discussion' })),
    householdNow: s.household.current.map(member),
    householdBefore: s.household.previous.map(member),
    otherPeople: s.relationships.map(member),
    basis: s.basis,
    basisLabel: basisLabels[s.basis as Basis] ?? s.basis,
  };
}
