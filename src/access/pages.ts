import { randomUUID } from 'node:crypto';
import { roleLabels, type Role } from '../agencies/schemas.js';
import { asForm, field, formErrors } from '../web/forms.js';
import { uuidParam, type Web } from '../web/shell.js';
import type { Actor } from './actor.js';
import type { ChildDoor } from './door.js';
import { accessLog, type AccessLogLine } from './log.js';

const actionLabels: Record<string, string> = {
  read_summary: 'Opened the record',
  read_household: 'Looked at the household',
  read_chronology: 'Read the chronology',
  read_access_log: 'Checked who has looked at the record',
  append_entry: 'Added an entry',
  append_entries: 'Added entries',
  create_child: 'Created the record',
  search_match: 'Found the child in a search',
  emergency_access_granted: 'Started emergency access',
  read_allocations: 'Looked at who is allocated',
  read_group_members: 'Looked at the core group and strategy discussion',
  allocation_changed: 'Changed the allocated worker',
  allocation_ended: 'Ended the allocation',
  group_member_added: 'Added someone to a group',
  group_member_removed: 'Removed someone from a group',
  read_process: 'Looked at the statutory process',
  record_process_step: 'Recorded a step of the statutory process',
  read_decisions: 'Looked at the decisions',
  read_disagreements: 'Looked at the disagreements',
  read_disagreement: 'Read a disagreement',
  record_decision: 'Recorded a decision',
  state_position: 'Stated a position on a decision',
  open_disagreement: 'Raised a disagreement',
  act_on_disagreement: 'Responded to, accepted or escalated a disagreement',
  escalate_disagreement: 'A disagreement escalated by itself (no response by the deadline)',
  unscheduled_care_check: 'Checked for a child protection plan in unscheduled care (CP-IS)',
  read_acknowledgements: 'Looked at who acknowledged the notices',
  read_person_index: 'Looked at the agency records linked to the child',
  read_merge_form: 'Opened a merge form',
  merge_person: 'Merged two records of the child',
  unmerge_person: 'Undid a merge of the child’s records',
  read_review_item: 'Compared an agency’s record with the child’s (review queue)',
};
const reads = new Set(['read_person_index', 'read_acknowledgements', 'read_summary', 'read_household', 'read_chronology', 'read_access_log', 'read_allocations', 'read_group_members', 'read_process', 'read_decisions', 'read_disagreements']);

/** One line of "who has looked at this record", with a page view's several reads shown as one. */
export interface LookLine {
  at: string;
  who: string;
  role: string;
  agency: string;
  what: string;
  basis: string;
  emergencyReason: string | null;
}

/** Consecutive reads by the same person within a minute are one look at the page. */
export function whoLooked(lines: AccessLogLine[]): LookLine[] {
  const out: (LookLine & { reads: boolean })[] = [];
  for (const l of lines) {
    const isRead = reads.has(l.action);
    const prev = out[out.length - 1];
    if (prev && isRead && prev.reads && prev.who === l.actor.name && prev.agency === l.actor.agency && Math.abs(Date.parse(prev.at) - Date.parse(l.at)) < 60_000) {
      prev.what = 'Viewed the record';
      continue;
    }
    out.push({
      at: l.at,
      who: l.actor.name,
      role: l.actor.kind === 'agency_system' ? 'Agency system' : roleLabels[l.actor.role as Role] ?? l.actor.role,
      agency: l.actor.agency,
      what: actionLabels[l.action] ?? l.action.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()),
      basis: l.basis_label,
      emergencyReason: l.emergency_reason,
      reads: isRead,
    });
  }
  return out.map(({ reads: _r, ...line }) => line);
}

/** The last looks at a child's record, for the child's page (itself an audited read). */
export async function recentLooks(door: ChildDoor, actor: Actor, childId: string, limit = 60): Promise<LookLine[]> {
  return whoLooked((await accessLog(door, actor, childId, limit)).entries);
}

export function accessPages(web: Web, door: ChildDoor, emergencyHours: number) {
  web.get('/children/:childId/access-log', async (req, reply, actor) => {
    const childId = uuidParam(req, 'childId');
    const lines = await recentLooks(door, actor, childId, 1000);
    return web.render(req, reply, 'access/access-log.njk', { pageTitle: 'Who has looked at this record', childId, lines });
  });

  const emergencyPage = { pageTitle: 'Emergency access', hours: emergencyHours };

  web.get('/children/:childId/emergency-access', async (req, reply) => {
    const childId = uuidParam(req, 'childId');
    return web.render(req, reply, 'access/emergency.njk', { ...emergencyPage, childId, values: {}, idem: randomUUID() });
  });

  web.post('/children/:childId/emergency-access', async (req, reply, actor) => {
    const childId = uuidParam(req, 'childId');
    const form = asForm(req.body);
    const values = { reason: field(form, 'reason') };
    const idem = /^[0-9a-f-]{36}$/.test(field(form, '_idem')) ? field(form, '_idem') : randomUUID();
    try {
      await door.grantEmergency(actor, childId, values.reason, emergencyHours, `page-emergency-${idem}`);
    } catch (err) {
      const errors = formErrors(err, { fieldFor: () => 'reason', message: (_p, m) => (values.reason ? m : 'Give the reason you need emergency access') });
      if (!errors) throw err;
      return web.render(req, reply, 'access/emergency.njk', { ...emergencyPage, childId, values, errors, idem }, 422);
    }
    return reply.redirect(`/children/${childId}`, 303);
  });
}
