import nunjucks from 'nunjucks';
import { formatNhsNumber } from '../people/nhs-number.js';
import { age, formatDate, formatDateTime, formatTime } from './dates.js';
import { webPaths } from './paths.js';

let env: nunjucks.Environment | undefined;

/**
 * The one Nunjucks environment: Sightline's views, then GOV.UK Frontend (`govuk/…`) and MoJ Frontend
 * (`moj/…`) so their component macros can be imported by name. Autoescaping is on.
 */
export function views(): nunjucks.Environment {
  if (env) return env;
  const loader = new nunjucks.FileSystemLoader([webPaths.views, webPaths.govukDist, webPaths.moj], { noCache: false });
  env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true });
  env.addFilter('date', (v: string | Date) => formatDate(v));
  env.addFilter('dateTime', (v: string | Date) => formatDateTime(v));
  env.addFilter('age', (v: string) => age(v));
  env.addFilter('nhsNumber', (v: string) => (v ? formatNhsNumber(v) : ''));
  // The MoJ timeline formats its dates through a `mojDate` filter; this one needs no moment.js.
  env.addFilter('mojDate', (v: string | Date, type?: string) =>
    type === 'date' || type === 'shortdate' ? formatDate(v) : type === 'time' ? formatTime(v) : formatDateTime(v),
  );
  return env;
}

export function renderView(name: string, context: Record<string, unknown>): string {
  return views().render(name, context);
}
