import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.ts';

// Vitest hands ssr.resolve.conditions to Node as --conditions. Without `source`, everything here
// resolves as in an installed app: the built core and emulator, and Nest 11's own entry points.
export default defineConfig({
  ...sharedTestConfig,
  resolve: { conditions: ['node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['node'], externalConditions: [] } },
});
