import { defineConfig } from 'vitest/config';

/**
 * One vitest configuration for every package: tests import sibling packages from source through
 * the `source` export condition, so no build is needed to run them.
 */
export const sharedTestConfig = defineConfig({
  resolve: { conditions: ['source', 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['source', 'node', 'import', 'default'], externalConditions: ['source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: { enabled: false },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    restoreMocks: true,
    passWithNoTests: true,
  },
});
