// The layering rule `pnpm lint` enforces (.dependency-cruiser.cjs at the root), shown failing on
// fixture imports that break it, so a rule that silently matches nothing cannot pass for a check.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const config = require('../../../.dependency-cruiser.cjs') as { forbidden: unknown[]; options: Record<string, unknown> };
const fixtures = fileURLToPath(new URL('./fixtures/layering', import.meta.url));
const repository = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');

async function violationsIn(baseDir: string, paths: string[]): Promise<string[]> {
  const { output } = await cruise(paths, { ...config.options, baseDir, validate: true, ruleSet: { forbidden: config.forbidden } } as never);
  const { summary } = output as { summary: { totalCruised: number; violations: Array<{ rule: { name: string }; from: string; to: string }> } };
  expect(summary.totalCruised).toBeGreaterThan(0);
  return summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

describe('the layering rule', () => {
  it('fails on a provider importing http, routing importing a provider, and an adapter reaching into core', async () => {
    expect(await violationsIn(fixtures, ['packages'])).toEqual([
      'adapters-import-only-public-entry-points: packages/express/src/deep-import.js → packages/core/src/model/message.js',
      'providers-never-import-http: packages/core/src/providers/uses-http.js → packages/core/src/http/handler.js',
      'routing-never-imports-providers: packages/core/src/routing/uses-provider.js → packages/core/src/providers/provider.js',
    ]);
  });

  it('holds for the packages as they are', async () => {
    const packages = ['core', 'express', 'hono', 'nestjs'].map((name) => `packages/${name}/src`);
    expect(await violationsIn(repository, packages)).toEqual([]);
  });
});
