import { defineConfig } from 'vitest/config';

/**
 * One vitest configuration for every package: tests import sibling packages from source through
 * the `source` export condition, so no build is needed to run them.
 */
export const sharedTestConfig = defineConfig({
  resolve: { conditions: ['source', 'module', 'node', 'import', 'default'] },
  // Only `source` and `node` here: vitest hands these to Node as --conditions, and `import` would make
  // CommonJS require() load ESM builds (Express 5's router then breaks).
  ssr: { resolve: { conditions: ['source', 'node'], externalConditions: ['source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: { enabled: false },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    restoreMocks: true,
    passWithNoTests: true,
    // The AWS SDK's documented switch for its Node 20 end-of-support notice (see the README), and no
    // instance-metadata lookups from any test.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', AWS_EC2_METADATA_DISABLED: 'true' },
    // The default logger writes refusals to the console, as users want; tests that care about what is
    // logged pass a recording logger, so these lines would only be noise in the run's output.
    onConsoleLog: (log) => !log.startsWith('connect-chat'),
  },
});
