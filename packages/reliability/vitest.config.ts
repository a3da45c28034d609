import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.ts';

// One run at a time: the run measures this machine, and two would measure each other.
export default mergeConfig(sharedTestConfig, defineConfig({ test: { testTimeout: 900_000, hookTimeout: 60_000, fileParallelism: false } }));
