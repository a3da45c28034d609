// `pnpm bench` / `pnpm bench:ci`: what users compare, side by side in one run, as ratios. See README.md.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { checkCiLimits, printCiCheck } from './ci-limits.ts';
import { type Framework, frameworks } from './contenders.ts';
import { loadAverage } from './lib/proc.ts';
import { type ConnectStandIn, startConnectStandIn } from './lib/stand-in.ts';
import { TwilioPool } from './lib/twilio-pool.ts';
import { type CorePathResult, type CorePathTransport, corePathTransports, printCorePath, runCorePath } from './sections/core-path.ts';
import { cacheFill, type FullPathResult, printFullPath, runFullPath } from './sections/full-path.ts';
import { type ImportResult, printStartup, runImportTimes, runTimeToFirstWebhook, type StartResult } from './sections/startup.ts';
import { printVerification, runVerification, type VerificationRow } from './sections/verification.ts';
import { type BundleResult, printBundleSizes, printWorkerdCpu, runBundleSizes, runWorkerdCpu, type WorkerdResult } from './sections/worker.ts';

const sections = ['verification', 'bundle', 'workerd', 'startup', 'core-path', 'full-path'] as const;
type Section = (typeof sections)[number];

const ci = process.argv.includes('--ci');
const env = process.env;

function number(name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name}: expected a positive number, got "${value}"`);
  return parsed;
}

function list<T extends string>(name: string, allowed: readonly T[], fallback: readonly T[]): T[] {
  const value = env[name];
  if (value === undefined || value === '') return [...fallback];
  const chosen = value.split(',').map((item) => item.trim()) as T[];
  for (const item of chosen) if (!allowed.includes(item)) throw new Error(`${name}: "${item}" is not one of ${allowed.join(', ')}`);
  return chosen;
}

// Past core's cache bounds (cacheFill): a bridge that has run a while has them full, and its CPU per
// request was still moving while they filled.
const warmup = number('BENCH_WARMUP_REQUESTS', cacheFill);

/** `pnpm bench` runs everything; `--ci` is the short gate. Each figure can be overridden for short runs while developing. */
const config = {
  mode: ci ? 'ci' : 'full',
  sections: list<Section>('BENCH_SECTIONS', sections, ci ? ['verification', 'bundle', 'full-path'] : sections),
  fullPath: {
    frameworks: list<Framework>(
      'BENCH_FRAMEWORKS',
      Object.keys(frameworks) as Framework[],
      ci ? ['express', 'hono'] : (Object.keys(frameworks) as Framework[]),
    ),
    // bench:ci: more, shorter rounds: the gate reads medians of per-round ratios, and a median of
    // five shrugs off a neighbour's burst that one of three would not.
    rounds: number('BENCH_ROUNDS', ci ? 5 : 3),
    seconds: number('BENCH_SECONDS', ci ? 2 : 8),
    warmupRequests: warmup,
    connections: number('BENCH_CONNECTIONS', 50),
    fillCaches: !ci,
    ...(env['BENCH_CONTENDERS'] ? { contenders: env['BENCH_CONTENDERS'].split(',').map((id) => id.trim()) } : {}),
    ...(env['BENCH_BASELINE'] ? { baseline: env['BENCH_BASELINE'] } : {}),
    ...(env['BENCH_SERVER_NODE_ARGS'] ? { serverNodeArgs: env['BENCH_SERVER_NODE_ARGS'].split(' ').filter(Boolean) } : {}),
  },
  corePath: {
    transports: list<CorePathTransport>('BENCH_CORE_TRANSPORTS', corePathTransports, corePathTransports),
    rounds: number('BENCH_CORE_ROUNDS', 10),
    webhooksPerRound: number('BENCH_CORE_WEBHOOKS', 3_000),
    warmupWebhooks: warmup,
    ...(env['BENCH_BASELINE'] ? { baseline: env['BENCH_BASELINE'] } : {}),
  },
  verification: { rounds: number('BENCH_VERIFY_ROUNDS', ci ? 3 : 5), milliseconds: number('BENCH_VERIFY_MS', ci ? 500 : 1_000) },
  workerd: {
    rounds: number('BENCH_WORKERD_ROUNDS', 3),
    requestsPerRound: number('BENCH_WORKERD_REQUESTS', 300),
    warmupRequests: number('BENCH_WORKERD_WARMUP', 1_000),
  },
  starts: number('BENCH_STARTS', 5),
};

interface Results {
  config: typeof config;
  machine: { node: string; cpus: number; cpuModel: string; loadAverageBefore: number; loadAverageAfter?: number; commit?: string; date: string };
  verification?: VerificationRow[];
  bundle?: BundleResult[];
  workerd?: WorkerdResult[];
  startup?: { imports: ImportResult[]; firstWebhook: StartResult[] };
  corePath?: CorePathResult;
  fullPath?: FullPathResult;
  ci?: ReturnType<typeof checkCiLimits>;
  durationSeconds?: number;
}

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

const began = performance.now();
const results: Results = {
  config,
  machine: {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadAverageBefore: loadAverage(),
    commit: gitCommit(),
    date: new Date().toISOString(),
  },
};
const step = (line: string) => process.stderr.write(`${line}\n`);
step(`bench (${config.mode}): ${config.sections.join(', ')}; load average ${results.machine.loadAverageBefore} on ${results.machine.cpus} cores`);

const pool = new TwilioPool();
let standIn: ConnectStandIn | undefined;
const connect = async () => {
  standIn ??= await startConnectStandIn();
  return standIn;
};

try {
  if (config.sections.includes('verification')) {
    step('verification…');
    results.verification = await runVerification(config.verification);
    printVerification(results.verification, config.verification);
  }
  if (config.sections.includes('bundle')) {
    step('worker bundles…');
    results.bundle = await runBundleSizes();
    printBundleSizes(results.bundle);
  }
  if (config.sections.includes('workerd')) {
    step('workerd CPU…');
    results.workerd = await runWorkerdCpu(config.workerd, pool, await connect());
    printWorkerdCpu(results.workerd, config.workerd);
  }
  if (config.sections.includes('startup')) {
    step('start-up…');
    const importTimes = await runImportTimes(config.starts);
    const firstWebhook = await runTimeToFirstWebhook(config.fullPath.frameworks, config.starts, pool, await connect());
    results.startup = { imports: importTimes, firstWebhook };
    printStartup(importTimes, firstWebhook, config.starts);
  }
  if (config.sections.includes('core-path')) {
    step('core path in one process…');
    results.corePath = await runCorePath(config.corePath, await connect());
    printCorePath(results.corePath);
  }
  if (config.sections.includes('full-path')) {
    step('full path…');
    results.fullPath = await runFullPath(config.fullPath, pool, await connect());
    printFullPath(results.fullPath);
  }
} finally {
  await standIn?.close();
}

results.machine.loadAverageAfter = loadAverage();
results.durationSeconds = Math.round((performance.now() - began) / 1000);
if (ci) results.ci = checkCiLimits(results);

const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
mkdirSync(resultsDir, { recursive: true });
writeFileSync(`${resultsDir}latest.json`, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(
  `\nNode ${results.machine.node}, ${results.machine.cpus} × ${results.machine.cpuModel}, load average ${results.machine.loadAverageBefore} → ${results.machine.loadAverageAfter}, ${results.durationSeconds} s. JSON: packages/bench/results/latest.json\n`,
);
if (results.ci) {
  printCiCheck(results.ci);
  if (results.ci.some((check) => !check.ok)) process.exitCode = 1;
}

export type { Results };
