import { formatDate } from '../web/dates.js';
import type { ConcernView } from './schemas.js';

/** A concern's summary as key/value lines for the pages; built from the view, so it shows only what the view lets through. */
export function summaryRows(c: ConcernView): { key: string; value: string }[] {
  const rows = [
    { key: 'About', value: `${c.agency.name}${c.service ? `: ${c.service}` : ''}` },
    { key: 'What it is about', value: c.category_label },
    { key: 'The concern', value: c.what },
    { key: 'Raised', value: `${formatDate(c.raised_at)} (${c.age_days === 1 ? '1 day' : `${c.age_days} days`} ago)` },
    { key: 'Raised by', value: c.raised_by },
  ];
  if (c.about) rows.push({ key: 'About this person', value: `${c.about.name} (${c.about.role})` });
  rows.push({ key: 'Stage', value: c.status === 'open' ? `${c.stage_label}, since ${formatDate(c.stage_since)}` : c.stage_label });
  if (c.status === 'open') rows.push({ key: 'Accountable now', value: c.accountable.map((p) => p.name).join(', ') || 'Nobody holds this role yet' });
  if (c.resolution) rows.push({ key: 'Resolution', value: `${c.resolution.text} (${c.resolution.by}, ${formatDate(c.resolution.at)})` });
  return rows;
}
