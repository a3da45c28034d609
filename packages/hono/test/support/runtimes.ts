import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { type SpawnedServer, spawnServer } from './spawn-server.ts';

const testDir = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

// The binaries themselves: the npm shims would leave the runtime running when killed.
const bunBinary = join(packageDir('bun'), 'bin', 'bun.exe');
const denoBinary = join(packageDir('deno-npm'), 'deno');

/** Bun running `test/runtimes/bun-entry.ts`, with workspace packages from source. */
export function startBun(env: Record<string, string>): Promise<SpawnedServer> {
  return spawnServer(bunBinary, ['--conditions=source', join(testDir, 'runtimes', 'bun-entry.ts')], env);
}

/** Deno running `test/runtimes/deno-entry.ts` against the pnpm node_modules, network limited to 127.0.0.1. */
export function startDeno(env: Record<string, string>): Promise<SpawnedServer> {
  const flags = [
    '--node-modules-dir=manual',
    '--conditions=source',
    '--allow-net=127.0.0.1',
    '--allow-env',
    '--allow-read',
    '--allow-sys=osRelease',
    '--no-prompt',
  ];
  return spawnServer(denoBinary, ['run', ...flags, join(testDir, 'runtimes', 'deno-entry.ts')], { ...env, DENO_NO_UPDATE_CHECK: '1' });
}

/**
 * Bundles `test/worker/index.ts` as a Workers user would (browser platform, workerd conditions,
 * minified ESM; `source` first so the workspace packages need no build), for real workerd.
 */
export async function bundleWorker(): Promise<string> {
  const result = await build({
    entryPoints: [join(testDir, 'worker', 'index.ts')],
    bundle: true,
    write: false,
    platform: 'browser',
    conditions: ['source', 'workerd', 'worker', 'browser'],
    format: 'esm',
    minify: true,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** The worker bundle in workerd (Miniflare), listening on 127.0.0.1, configured through bindings. */
export async function startWorkerd(script: string, bindings: Record<string, string>): Promise<SpawnedServer> {
  const miniflare = new Miniflare({ modules: true, script, bindings, compatibilityDate: '2025-09-01', host: '127.0.0.1', port: 0 });
  const url = await miniflare.ready;
  return { baseUrl: url.origin, close: () => miniflare.dispose() };
}
