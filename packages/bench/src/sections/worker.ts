import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { Miniflare } from 'miniflare';
import { awsKeys, destinationId, publicUrl, region, webhookPath, authToken } from '../fixture.ts';
import { childProcesses, processCpuMicros } from '../lib/proc.ts';
import type { ConnectStandIn } from '../lib/stand-in.ts';
import { figure, pairedRatio, type Spread, showRatio, showSpread, spread } from '../lib/stats.ts';
import { markdownTable, printSection } from '../lib/table.ts';
import { type TwilioPool, webhookHeaders } from '../lib/twilio-pool.ts';

const require = createRequire(import.meta.url);
const honoBridge = dirname(require.resolve('@connect-chat/hono-bridge/package.json'));
const workers = fileURLToPath(new URL('../src/workers/', import.meta.url));

/** The Workers compared: the sample bridge's Workers entry, the hand-written one, and a bare baseline. */
export const workerEntries = {
  bridge: { label: 'apps/hono-bridge src/worker.ts', entry: join(honoBridge, 'src/worker.ts') },
  naive: { label: 'hand-written: Hono + client-connect + WebCrypto HMAC', entry: join(workers, 'naive-worker.ts') },
  bare: { label: 'bare Hono, parseBody, 200', entry: join(workers, 'bare-worker.ts') },
} as const;
export type WorkerName = keyof typeof workerEntries;

export interface BundleResult {
  worker: WorkerName;
  minifiedBytes: number;
  gzipBytes: number;
  /** Bytes in the output per npm package (or `(own code)`), largest first. */
  packages: Array<{ name: string; bytes: number }>;
}

/**
 * A Worker bundled as apps/hono-bridge's workerd test bundles it, which is what Wrangler does:
 * esbuild, browser platform (the AWS SDK's fetch runtime), the workerd conditions, ESM, minified.
 */
export async function bundleWorker(worker: WorkerName): Promise<{ code: string; result: BundleResult }> {
  const built = await build({
    entryPoints: [workerEntries[worker].entry],
    bundle: true,
    write: false,
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    format: 'esm',
    minify: true,
    metafile: true,
    logLevel: 'silent',
  });
  const output = built.outputFiles[0]!;
  return {
    code: output.text,
    result: {
      worker,
      minifiedBytes: output.contents.byteLength,
      gzipBytes: gzipSync(output.contents, { level: 9 }).byteLength,
      packages: byPackage(built.metafile),
    },
  };
}

function byPackage(metafile: Metafile): Array<{ name: string; bytes: number }> {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(path);
      const name = match?.[1] ?? '(own code)';
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

export async function runBundleSizes(): Promise<BundleResult[]> {
  const results: BundleResult[] = [];
  for (const worker of Object.keys(workerEntries) as WorkerName[]) results.push((await bundleWorker(worker)).result);
  return results;
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);

export function printBundleSizes(results: readonly BundleResult[]): void {
  const find = (worker: WorkerName) => results.find((r) => r.worker === worker)!;
  const bridge = find('bridge');
  const naive = find('naive');
  const rows = results.map((r) => [`${r.worker}: ${workerEntries[r.worker].label}`, kib(r.minifiedBytes), kib(r.gzipBytes)]);
  rows.push(['bridge ÷ hand-written', `${(bridge.minifiedBytes / naive.minifiedBytes).toFixed(2)}×`, `${(bridge.gzipBytes / naive.gzipBytes).toFixed(2)}×`]);
  const top = bridge.packages.slice(0, 8).map((p) => [p.name, kib(p.bytes), `${((100 * p.bytes) / bridge.minifiedBytes).toFixed(0)} %`]);
  printSection(
    'Worker bundle size',
    ['esbuild, minified, as apps/hono-bridge bundles its Worker (browser platform, workerd/worker/browser conditions, ESM); gzip at level 9.'],
    [markdownTable(['worker', 'minified KiB', 'gzip KiB'], rows), `Where the bridge's bytes come from:\n\n${markdownTable(['package', 'KiB', 'share'], top)}`],
  );
}

export interface WorkerdOptions {
  rounds: number;
  requestsPerRound: number;
  /** Webhooks each Worker answers before its rounds (V8 in workerd warms up per call too). */
  warmupRequests: number;
}

export interface WorkerdResult {
  worker: WorkerName;
  wallMillisPerRequest: Spread;
  workerdCpuMicrosPerRequest: Spread;
}

/**
 * Each Worker in its own Miniflare (its own workerd process), with the Connect stand-in on
 * 127.0.0.1. Per round and Worker: `requestsPerRound` signed webhooks sent one after another from
 * this process, timed on the client (wall), and the workerd process's utime + stime over them
 * (/proc). workerd's own performance.now() stands still during a request, so it cannot time one.
 */
export async function runWorkerdCpu(options: WorkerdOptions, pool: TwilioPool, standIn: ConnectStandIn): Promise<WorkerdResult[]> {
  const bindings = {
    TWILIO_AUTH_TOKEN: authToken,
    CONNECT_DESTINATION_ID: destinationId,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: awsKeys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: awsKeys.secretAccessKey,
    AWS_ENDPOINT_URL_CONNECT: standIn.url,
    CONNECT_RATE_LIMIT: 'off',
    PUBLIC_URL: publicUrl,
  };
  const running: Array<{ worker: WorkerName; miniflare: Miniflare; url: string; pid: number; wall: number[]; cpu: number[] }> = [];
  try {
    for (const worker of Object.keys(workerEntries) as WorkerName[]) {
      const before = new Set(childProcesses(process.pid, 'workerd'));
      const miniflare = new Miniflare({
        modules: true,
        script: (await bundleWorker(worker)).code,
        compatibilityDate: '2025-09-01',
        host: '127.0.0.1',
        port: 0,
        bindings,
        // The bridge logs a JSON line per message: read and dropped here, as a log drain would.
        handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
          stdout.resume();
          stderr.resume();
        },
      });
      const url = (await miniflare.ready).origin;
      const pid = childProcesses(process.pid, 'workerd').find((candidate) => !before.has(candidate));
      if (pid === undefined) throw new Error(`${worker}: no workerd process found under this process`);
      running.push({ worker, miniflare, url, pid, wall: [], cpu: [] });
    }
    const send = async (url: string) => {
      const webhook = pool.fresh();
      const response = await fetch(`${url}${webhookPath}`, { method: 'POST', headers: webhookHeaders(webhook.signature), body: webhook.body });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status}`);
    };
    const measure = async (entry: (typeof running)[number], requests: number) => {
      const cpuBefore = processCpuMicros(entry.pid);
      const began = performance.now();
      for (let n = 0; n < requests; n++) await send(entry.url);
      return { wall: (performance.now() - began) / requests, cpu: (processCpuMicros(entry.pid) - cpuBefore) / requests };
    };
    for (const entry of running) await measure(entry, options.warmupRequests);
    for (let round = 0; round < options.rounds; round++) {
      for (const entry of round % 2 === 0 ? running : [...running].reverse()) {
        const { wall, cpu } = await measure(entry, options.requestsPerRound);
        entry.wall.push(wall);
        entry.cpu.push(cpu);
      }
    }
    return running.map((entry) => ({ worker: entry.worker, wallMillisPerRequest: spread(entry.wall), workerdCpuMicrosPerRequest: spread(entry.cpu) }));
  } finally {
    await Promise.all(running.map((entry) => entry.miniflare.dispose()));
  }
}

export function printWorkerdCpu(results: readonly WorkerdResult[], options: WorkerdOptions): void {
  const find = (worker: WorkerName) => results.find((r) => r.worker === worker)!;
  const bare = find('bare');
  const rows = results.map((r) => [
    `${r.worker}: ${workerEntries[r.worker].label}`,
    showSpread(r.wallMillisPerRequest),
    showSpread(r.workerdCpuMicrosPerRequest),
    r.worker === 'bare' ? '–' : figure(r.workerdCpuMicrosPerRequest.median - bare.workerdCpuMicrosPerRequest.median),
  ]);
  const ratio = (key: 'wallMillisPerRequest' | 'workerdCpuMicrosPerRequest') => showRatio(pairedRatio(find('bridge')[key].values, find('naive')[key].values));
  rows.push(['bridge ÷ hand-written', ratio('wallMillisPerRequest'), ratio('workerdCpuMicrosPerRequest'), '']);
  printSection(
    'CPU per webhook in workerd (Miniflare)',
    [
      `${options.rounds} rounds × ${options.requestsPerRound} signed webhooks sent one at a time per Worker, alternating, after ${options.warmupRequests} each to warm up. Wall: client-side time per request (includes the client, loopback and the stand-in). workerd CPU: utime + stime of that Worker's workerd process ÷ requests — the runtime's HTTP handling and Miniflare's entry worker are in it (the bare Worker shows how much); the column "above bare" is the estimate of the handler's own CPU. workerd's performance.now() does not advance during a request, so in-Worker timing is not possible; 10 ms /proc ticks make a round of ${options.requestsPerRound} requests resolve to ${figure(10_000 / options.requestsPerRound)} µs per request.`,
    ],
    [markdownTable(['worker', 'wall ms/req', 'workerd CPU µs/req', 'above bare µs/req'], rows)],
  );
}
