import type { UserConfig } from 'tsdown';

/** One build for every published package: ESM + CommonJS with declarations for both. */
export function libraryBuild(entry: Record<string, string>, overrides: UserConfig = {}): UserConfig {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    platform: 'neutral',
    target: 'es2022',
    ...overrides,
  };
}
