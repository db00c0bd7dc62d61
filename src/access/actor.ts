/** Who is acting: a signed-in practitioner, or an agency system holding an API token. */
export type Actor =
  | {
      type: 'practitioner';
      id: string;
      name: string;
      role: string;
      agencyId: string;
      teamId: string | null;
      qualifiedSocialWorker: boolean;
    }
  | { type: 'token'; id: string; name: string; agencyId: string; entryKinds: string[] };

export function actorKey(a: Actor): string {
  return `${a.type}:${a.id}`;
}
