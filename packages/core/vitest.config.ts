import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.ts';

// Benchmarks live in bench/ as *.bench.ts: `vitest bench` picks them up, `vitest run` never does.
export default mergeConfig(sharedTestConfig, defineConfig({ test: { benchmark: { include: ['bench/**/*.bench.ts'] } } }));
