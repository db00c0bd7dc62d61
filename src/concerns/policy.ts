/**
 * Who sees what of a concern about a service. Pure: the SQL in store.ts#visibleConcerns follows
 * the same rules.
 *
 * - The partnership's independent chair sees every concern, and is the only one (besides the raiser)
 *   who sees a sealed raiser's identity: the role manages no one.
 * - Managers (team manager, head of service, director) and auditors see concerns about their own agency.
 * - Anyone sees the concerns they raised and those they are, or were, accountable for.
 */
export const agencyWideRoles: readonly string[] = ['team_manager', 'head_of_service', 'director', 'auditor'];
export const CHAIR_ROLE = 'partnership_chair';

/** Why a caller may see a concern: also the audit row's basis. */
export type ConcernBasis = 'raiser' | 'partnership_chair' | 'accountable' | 'agency_oversight';

/** A sealed raiser is shown to no one but the chair and the raiser; an unsealed one to every viewer. */
export function identityShown(sealed: boolean, basis: ConcernBasis): boolean {
  return !sealed || basis === 'raiser' || basis === 'partnership_chair';
}
