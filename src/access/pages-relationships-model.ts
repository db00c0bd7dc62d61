import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { practitionerDirectory, type DirectoryEntry } from '../agencies/directory.js';
import { roleLabels, type Role } from '../agencies/schemas.js';
import { getAgency, listAgencies, listTeams } from '../agencies/store.js';
import type { PeopleService } from '../people/service.js';
import type { Practitioner } from '../web/shell.js';
import type { Basis } from './policy.js';
import { groupKindLabels, groupKinds, relationshipRefusal, type GroupKind } from './relationships-schemas.js';
import type { RelationshipService } from './relationships-service.js';
import type { GroupMemberView } from './relationships-store.js';

export interface RelationshipPageDeps {
  db: Kysely<DB>;
  relationships: Pick<RelationshipService, 'allocations' | 'groupMembers' | 'allocate' | 'endAllocation' | 'endAllocationById' | 'addGroupMember' | 'removeGroupMember'>;
  people: Pick<PeopleService, 'childSummary'>;
}

/** What the person picked so far: the GET forms' team and agency, and a failed POST's other choices. */
export interface Choices {
  team?: string;
  worker?: string;
  agency?: string;
  member?: string;
  group?: string;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && uuidPattern.test(v);
export const isGroupKind = (v: unknown): v is GroupKind => (groupKinds as readonly unknown[]).includes(v);

const roleLabel = (role: string) => roleLabels[role as Role] ?? role;
const option = (value: string, text: string, chosen?: string) => ({ value, text, selected: value === chosen });

/**
 * Everything the "People working with this child" page shows. The child's name, basis, allocations
 * and groups are read through the services (so through the door, audited); the pickers appear only
 * for someone the relationship rule lets decide, and list only active practitioners.
 */
export async function relationshipsModel(deps: RelationshipPageDeps, actor: Practitioner, childId: string, choices: Choices) {
  const summary = await deps.people.childSummary(actor, childId);
  const allocations = await deps.relationships.allocations(actor, childId);
  const members = await deps.relationships.groupMembers(actor, childId);
  const agency = await getAgency(deps.db, actor.agencyId);
  const refusal = relationshipRefusal(actor, agency?.kind, summary.basis as Basis);
  const current = allocations.current;
  // A record merged into this child keeps its own members; they are shown (and removed) here, marked.
  const member = (m: GroupMemberView) => ({ ...m, role_label: roleLabel(m.role), group_label: groupKindLabels[m.group_kind as GroupKind] ?? m.group_kind, fromMerged: m.child_id !== childId.toLowerCase() });
  return {
    childId,
    childName: `${summary.child.name.given_name} ${summary.child.name.family_name}`,
    given: summary.child.name.given_name,
    allocation: current,
    pastAllocations: allocations.history.filter((a) => a.id !== current?.id),
    mergedAllocations: allocations.merged,
    groups: groupKinds.map((kind) => ({ kind, id: kind.replace('_', '-'), label: groupKindLabels[kind], members: members.current.filter((m) => m.group_kind === kind).map(member) })),
    pastMembers: members.past.map(member),
    mayManage: !refusal,
    refusal,
    pickers: refusal ? null : await pickers(deps.db, actor, choices),
  };
}

/** The no-JavaScript pickers: a team, then its workers; an agency, then its practitioners. */
async function pickers(db: Kysely<DB>, actor: Practitioner, choices: Choices) {
  const teams = await listTeams(db, actor.agencyId);
  const agencies = await listAgencies(db);
  const team = teams.find((t) => t.id === choices.team?.toLowerCase());
  const agency = agencies.find((a) => a.id === choices.agency?.toLowerCase());
  const workers = team ? await practitionerDirectory(db, actor, { team: team.id }) : [];
  const people = agency ? await practitionerDirectory(db, actor, { agency: agency.id }) : [];
  const placeholder = (text: string) => ({ value: '', text, selected: false });
  return {
    team: team ? { id: team.id, name: team.name } : null,
    agency: agency ? { id: agency.id, name: agency.name } : null,
    teamOptions: [placeholder('Choose a team'), ...teams.map((t) => option(t.id, t.name, team?.id))],
    agencyOptions: [placeholder('Choose an agency'), ...agencies.map((a) => option(a.id, a.name, agency?.id))],
    workerOptions: workers.length ? [placeholder('Choose a worker'), ...workers.map((p) => option(p.id, `${p.name} (${roleLabel(p.role)})`, choices.worker?.toLowerCase()))] : [],
    memberOptions: people.length ? [placeholder('Choose a practitioner'), ...people.map((p) => option(p.id, describe(p), choices.member?.toLowerCase()))] : [],
    groupOptions: groupKinds.map((k) => ({ value: k, text: groupKindLabels[k], checked: k === choices.group })),
  };
}

const describe = (p: DirectoryEntry) => `${p.name} (${roleLabel(p.role)}${p.team_name ? `, ${p.team_name}` : ''})`;
