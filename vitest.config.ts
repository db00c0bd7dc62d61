import { defineConfig } from 'vitest/config';

// One run per database: plain `npm test` uses PGlite; with TEST_DATABASE_URL set it uses that PostgreSQL.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: process.env.CI ? ['default', ['json', { outputFile: `.test-cache/results-${process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'}.json` }]] : ['default'],
  },
});
