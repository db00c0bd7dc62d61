import { randomUUID } from 'node:crypto';
import { ZodError } from 'zod';
import { errorsFrom, field, formErrors, type FormBody, type FormErrors } from '../web/forms.js';
import { agencyKindLabels, agencyKinds, roleLabels, roles } from './schemas.js';
import { entryKindLabels, entryKindNames } from '../record/kinds.js';

/**
 * Form errors for the admin pages: zod's wording is replaced by the plain-English message for the
 * field; the service's own errors (already in plain English) are shown as they are. Undefined for
 * anything that is not about the input, so the caller rethrows it.
 */
export function pageErrors(err: unknown, messages: Record<string, string>, first: string): FormErrors | undefined {
  const fieldOf = (path: string) => path.split('.')[0] || first;
  if (err instanceof ZodError) {
    return errorsFrom(err.issues.map((i) => {
      const f = fieldOf(i.path.map(String).join('.'));
      return { field: f, message: messages[f] ?? i.message };
    }));
  }
  return formErrors(err, { fieldFor: fieldOf });
}

/** Each form carries a random id, so a double-clicked or refreshed create happens once. */
export const newIdem = () => randomUUID();
export function idemFrom(form: FormBody): { idem: string; key: string | undefined } {
  const v = field(form, '_idem');
  return /^[0-9a-f-]{36}$/.test(v) ? { idem: v, key: `page-${v}` } : { idem: newIdem(), key: undefined };
}

/** Blank form fields mean "not given". */
export const given = (v: string): string | undefined => (v === '' ? undefined : v);

/** Choices the admin templates show, with their labels. */
export const choices = {
  agencyKinds: agencyKinds.map((k) => ({ value: k, text: agencyKindLabels[k] })),
  roles: roles.map((r) => ({ value: r, text: roleLabels[r] })),
  entryKinds: entryKindNames.map((k) => ({ value: k, text: entryKindLabels[k] })),
};

/** Confirmation banners after a redirect: a fixed set, so nothing the user typed is reflected. */
const doneMessages: Record<string, string> = {
  created: 'Saved.',
  updated: 'Changes saved.',
  team: 'Team added.',
  contact: 'Contact numbers saved.',
  deactivated: 'Account deactivated. The person has been signed out everywhere.',
  reactivated: 'Account reactivated.',
  unlocked: 'Account unlocked.',
  password: 'Password reset. The person has been signed out everywhere.',
  revoked: 'Token revoked. The agency system can no longer use it.',
};
export const doneMessage = (query: unknown): string | undefined =>
  doneMessages[String((query as Record<string, unknown> | undefined)?.done ?? '')];
