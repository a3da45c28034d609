import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { Agent, fetch as undiciFetch } from 'undici';
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

/**
 * The worker bundle in workerd (Miniflare), listening on 127.0.0.1, configured through bindings.
 * Reached with a `fetch` that opens a connection per request: on a reused keep-alive connection
 * workerd sometimes closed it as the next request was written, and the suite saw a reset
 * (`read ECONNRESET`) where the bridge had answered nothing wrong.
 */
export async function startWorkerd(script: string, bindings: Record<string, string>): Promise<SpawnedServer & { fetch: typeof fetch }> {
  const miniflare = new Miniflare({ modules: true, script, bindings, compatibilityDate: '2025-09-01', host: '127.0.0.1', port: 0 });
  const url = await miniflare.ready;
  const dispatcher = new Agent({ pipelining: 0 });
  // undici's own fetch (for its dispatcher) takes and gives its own classes: the request is passed as
  // its parts and the answer comes back as a global Response, as the suite's other targets give it.
  const fetchOnce = (async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    const body = request.body === null ? undefined : await request.arrayBuffer();
    const answer = await undiciFetch(request.url, { method: request.method, headers: [...request.headers], body, redirect: request.redirect, dispatcher });
    const bytes = await answer.arrayBuffer();
    return new Response(answer.status === 204 || answer.status === 304 ? null : bytes, {
      status: answer.status,
      statusText: answer.statusText,
      headers: [...answer.headers],
    });
  }) as typeof fetch;
  return {
    baseUrl: url.origin,
    fetch: fetchOnce,
    close: async () => {
      await miniflare.dispose();
      await dispatcher.close();
    },
  };
}
