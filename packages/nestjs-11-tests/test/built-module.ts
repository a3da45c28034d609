import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type NestjsModule = typeof import('@connect-chat/nestjs');

const require = createRequire(import.meta.url);

/**
 * The published CommonJS build of @connect-chat/nestjs, loaded with `require` as a Nest 11
 * CommonJS app loads it. The workspace link points at packages/nestjs, whose node_modules hold
 * Nest 12; an installed package resolves its peers from the app instead, so the built file is
 * copied into this package's node_modules and required from there.
 */
export function requireBuiltNestjs(): NestjsModule {
  const built = join(dirname(require.resolve('@connect-chat/nestjs/package.json')), 'dist', 'index.cjs');
  if (!existsSync(built)) {
    throw new Error(`${built} is missing: build it first (pnpm turbo run build --filter=@connect-chat/nestjs)`);
  }
  const installed = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.connect-chat-nestjs', 'index.cjs');
  mkdirSync(dirname(installed), { recursive: true });
  copyFileSync(built, installed);
  return require(installed) as NestjsModule;
}
