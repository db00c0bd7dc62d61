import path from 'node:path';

export const TEMPLATE_FILE = path.resolve('.test-cache/pglite-template.tar');

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}
