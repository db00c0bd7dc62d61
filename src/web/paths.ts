import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

const here = path.dirname(fileURLToPath(import.meta.url));

/** Where the page kernel finds its templates, styles and the design-system packages. */
export const webPaths = {
  views: path.join(here, 'views'),
  styles: path.join(here, 'styles'),
  static: path.join(here, 'static'),
  /** Holds `govuk/…`, so templates say `{% from "govuk/components/…" %}`. */
  govukDist: path.join(packageDir('govuk-frontend'), 'dist'),
  /** Holds `moj/…`, so templates say `{% from "moj/components/…" %}`. */
  moj: packageDir('@ministryofjustice/frontend'),
  /** The folder holding node_modules: MoJ Frontend's Sass loads govuk-frontend as "node_modules/govuk-frontend/…". */
  packagesRoot: path.dirname(path.dirname(packageDir('govuk-frontend'))),
};
