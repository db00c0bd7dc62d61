import { z } from 'zod';
import type { Actor } from './actor.js';
import type { Basis } from './policy.js';

/** Allocations and group memberships are the relationships that let practitioners reach a child. */
export const groupKinds = ['core_group', 'strategy_discussion'] as const;
export type GroupKind = (typeof groupKinds)[number];
export const groupKindLabels: Record<GroupKind, string> = {
  core_group: 'Core group',
  strategy_discussion: 'Strategy discussion',
};

export const allocationInput = z.object({
  practitioner_id: z.uuid().describe('The allocated worker'),
  team_id: z.uuid().optional().describe("The allocated team; defaults to the worker's own team"),
});
export type AllocationInput = z.infer<typeof allocationInput>;

export const groupMemberInput = z.object({
  practitioner_id: z.uuid(),
  group_kind: z.enum(groupKinds),
});
export type GroupMemberInput = z.infer<typeof groupMemberInput>;

/** Roles that decide who works with a child: allocation is a social-care management decision. */
export const relationshipManagerRoles = ['team_manager', 'head_of_service'] as const;

/**
 * Whether `actor` may change who is allocated to, or in a group about, a child. The door has already
 * admitted them (so they can reach the child); the decision must also be made by a local-authority
 * team manager or head of service, and not on emergency access alone, which is short-lived by design
 * and must not turn itself into a lasting relationship. Returns the refusal, or null.
 */
export function relationshipRefusal(actor: Actor, agencyKind: string | undefined, basis: Basis): string | null {
  if (actor.type !== 'practitioner') return 'Agency systems cannot change who works with a child.';
  if (!(relationshipManagerRoles as readonly string[]).includes(actor.role) || agencyKind !== 'local_authority') {
    return "Only a local authority team manager or head of service can change who works with a child.";
  }
  if (basis === 'emergency') return 'Emergency access does not allow changing who works with a child.';
  return null;
}
