import { z } from 'zod';
import type { NoticeRow } from './store.js';

export const acknowledgeInput = z.object({
  note: z.string().trim().max(1000).optional().transform((v) => v || undefined).describe('What you did about it, if anything (optional)'),
}).strict();

export const acknowledgement = z.object({ notification_id: z.string(), acknowledged_at: z.string(), note: z.string().nullable() });
export type Acknowledgement = z.infer<typeof acknowledgement>;

export const noticeView = z.object({
  id: z.string(),
  kind: z.string(),
  child_id: z.string().nullable(),
  title: z.string(),
  body: z.string(),
  created_at: z.string(),
  must_acknowledge: z.boolean(),
  acknowledgement: z.object({ at: z.string(), note: z.string().nullable() }).nullable(),
});
export type NoticeView = z.infer<typeof noticeView>;

export function viewOf(n: NoticeRow): NoticeView {
  return {
    id: n.id, kind: n.kind, child_id: n.child_id, title: n.title, body: n.body, created_at: new Date(n.created_at).toISOString(),
    must_acknowledge: n.must_acknowledge,
    acknowledgement: n.acknowledged_at ? { at: new Date(n.acknowledged_at).toISOString(), note: n.acknowledgement_note } : null,
  };
}

/** Pending first: whether a notice still waits for its recipient. */
export const isPending = (n: NoticeRow) => n.must_acknowledge && !n.acknowledged_at;
