import type { EntryView } from '../../src/record/view.js';

/**
 * The service's object form of the chronology (as the pages use it) in the API's list form, as sent
 * by GET /api/children/:id/entries: agencies named once, no child_id or prev_hash per entry.
 */
export const asSent = (c: { basis: string; entries: EntryView[] }) =>
  JSON.parse(JSON.stringify({
    basis: c.basis,
    agencies: Object.fromEntries(c.entries.map((e) => [e.author.agency_id, { name: e.author.agency_name, kind: e.author.agency_kind }])),
    entries: c.entries.map(({ child_id: _c, prev_hash: _p, author: { agency_name: _n, agency_kind: _k, ...author }, ...e }) => ({ ...e, author })),
  }));
