import { defineConfig } from 'vitest/config';
import { catalogJson } from './workflows/sources';

export default defineConfig({
  // The service catalog as the Lambda bundles get it (workflows/catalog.ts), so tests run that path.
  define: { COPRODUCE_SERVICES: JSON.stringify(catalogJson()) },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
