import { type Contender, type Framework, chooseContenders, frameworks, serverName } from '../contenders.ts';
import { serverEnv } from '../fixture.ts';
import { type LoadRun, type PoolCursor, runLoad } from '../lib/load.ts';
import { freePort, type ServerProcess, spawnServer, waitForPort } from '../lib/processes.ts';
import { processMemory } from '../lib/proc.ts';
import type { ConnectStandIn } from '../lib/stand-in.ts';
import { figure, pairedRatio, type Spread, showRatio, showSpread, spread } from '../lib/stats.ts';
import { markdownTable, printSection } from '../lib/table.ts';
import type { TwilioPool } from '../lib/twilio-pool.ts';

export interface FullPathOptions {
  frameworks: readonly Framework[];
  rounds: number;
  seconds: number;
  /**
   * Requests each server answers before its rounds: a count, not a time, because the servers that
   * send warm up per request (their CPU per request kept falling through 2-s warm-ups and 3-s
   * rounds), and the bridges' CPU per request moved again while their caches filled up.
   */
  warmupRequests: number;
  connections: number;
  /** Top the bridges up to {@link cacheFill} messages and read RSS (skipped by bench:ci). */
  fillCaches: boolean;
  /** Only these contender ids (`BENCH_CONTENDERS`); all of the chosen frameworks' when absent. */
  contenders?: readonly string[];
  /** A built copy of the repository whose bridges run beside these as `before` (`BENCH_BASELINE`). */
  baseline?: string;
  /** Node options of every server process (`BENCH_SERVER_NODE_ARGS`, space-separated), e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
  serverNodeArgs?: readonly string[];
}

/** Per contender: every round's figures, and its memory. */
export interface ContenderResult {
  id: string;
  framework: string;
  role: Contender['role'];
  label: string;
  warmup: LoadRun;
  rounds: LoadRun[];
  requestsPerSecond: Spread;
  p50Ms: Spread;
  p99Ms: Spread;
  serverCpuMicrosPerRequest: Spread;
  loadCpuMicrosPerRequest: Spread;
  standInCpuMicrosPerRequest: Spread;
  memory: {
    idleRss: number;
    rssAfterRun: number;
    /** Bridges only: after topping up to `cacheFill` distinct messages from as many customers. */
    rssCachesFull?: number;
    peakRss: number;
    webhooksAnswered: number;
    distinctMessages: number;
  };
}

export interface RatioResult {
  framework: string;
  bridge: string;
  /** `before`: this bridge against itself built from `BENCH_BASELINE`, paired by round (after ÷ before). */
  against: 'hand' | 'bare' | 'before';
  requestsPerSecond: Spread;
  p50Ms: Spread;
  p99Ms: Spread;
  serverCpuMicrosPerRequest: Spread;
}

export interface FullPathResult {
  options: FullPathOptions;
  contenders: ContenderResult[];
  ratios: RatioResult[];
}

interface Running {
  contender: Contender;
  server: ServerProcess;
  cursor: PoolCursor;
  idleRss: number;
  warmup?: LoadRun;
  rounds: LoadRun[];
  /** The fastest rate seen, to size the pool before the next run. */
  fastest: number;
}

/** The least rate the pool is sized for, per second of a run. */
const firstGuessPerSecond = 5_000;
/**
 * Distinct messages (and customers) each bridge has seen before its "caches full" RSS is read:
 * past core's default bounds of 10,000 idempotency entries and 10,000 sessions.
 */
export const cacheFill = 12_000;

/**
 * Every contender of the chosen frameworks in its own process, all started before the first run;
 * a warm-up run each, then `rounds` rounds in which each server gets `seconds` of load in turn,
 * the order reversed every other round so no server always runs first or last.
 */
export async function runFullPath(options: FullPathOptions, pool: TwilioPool, standIn: ConnectStandIn): Promise<FullPathResult> {
  const chosen = chooseContenders(options.contenders, options.baseline).filter((contender) => options.frameworks.includes(contender.framework as Framework));
  const running: Running[] = [];
  try {
    for (const contender of chosen) {
      const port = await freePort();
      const command = options.serverNodeArgs ? { ...contender.command, nodeArgs: options.serverNodeArgs } : contender.command;
      const server = spawnServer(command, serverEnv(port, standIn.url));
      running.push({ contender, server, cursor: { next: 0, unique: contender.role === 'bridge' }, idleRss: 0, rounds: [], fastest: 0 });
      await waitForPort(server);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const entry of running) entry.idleRss = processMemory(entry.server.pid).rss;

    const load = async (entry: Running, length: { seconds: number } | { amount: number }): Promise<LoadRun> => {
      // Generous: a server can run several times faster than in its warm-up once its code is
      // optimised or a neighbour goes quiet, and signing a webhook costs a few µs.
      const perSecond = Math.max(entry.fastest * 3, firstGuessPerSecond);
      const expected = ('amount' in length ? length.amount : perSecond * length.seconds) + 2 * options.connections;
      await pool.ensure(entry.cursor.unique ? entry.cursor.next + expected : Math.min(pool.items.length || expected, expected));
      const run = await runLoad({
        port: entry.server.port,
        serverPid: entry.server.pid,
        pool,
        cursor: entry.cursor,
        seconds: 'seconds' in length ? length.seconds : 0,
        ...('amount' in length ? { amount: length.amount } : {}),
        connections: options.connections,
        standIn,
        sends: entry.contender.role !== 'bare',
      }).catch((error: unknown) => {
        throw new Error(`${entry.contender.id}: ${(error as Error).message}\n${entry.server.stderr()}`);
      });
      entry.fastest = Math.max(entry.fastest, run.requestsPerSecond);
      progress(`${entry.contender.id.padEnd(22)} ${figure(run.requestsPerSecond).padStart(7)} req/s  p99 ${figure(run.p99Ms)} ms`);
      return run;
    };

    progress(`warm-up: ${options.warmupRequests.toLocaleString('en-US')} requests each`);
    for (const entry of running) entry.warmup = await load(entry, { amount: options.warmupRequests });
    for (let round = 0; round < options.rounds; round++) {
      progress(`round ${round + 1} of ${options.rounds}: ${options.seconds} s each`);
      const order = round % 2 === 0 ? running : [...running].reverse();
      for (const entry of order) entry.rounds.push(await load(entry, { seconds: options.seconds }));
    }

    const afterRun = new Map(running.map((entry) => [entry, processMemory(entry.server.pid).rss]));
    const cachesFull = new Map<Running, number>();
    for (const entry of options.fillCaches ? running.filter((e) => e.cursor.unique) : []) {
      const missing = cacheFill - entry.cursor.next;
      if (missing > 0) {
        progress(`${entry.contender.id}: ${missing} more messages to fill its caches`);
        await load(entry, { amount: missing });
      }
      // A moment idle, as between bursts of traffic, before reading.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      cachesFull.set(entry, processMemory(entry.server.pid).rss);
    }

    const results = running.map((entry): ContenderResult => {
      const pick = (key: keyof LoadRun) => spread(entry.rounds.map((run) => run[key]));
      const { peakRss } = processMemory(entry.server.pid);
      const rssCachesFull = cachesFull.get(entry);
      const webhooksAnswered = [entry.warmup!, ...entry.rounds].reduce((sum, run) => sum + run.answered, 0);
      return {
        id: entry.contender.id,
        framework: entry.contender.framework,
        role: entry.contender.role,
        label: entry.contender.label,
        warmup: entry.warmup!,
        rounds: entry.rounds,
        requestsPerSecond: pick('requestsPerSecond'),
        p50Ms: pick('p50Ms'),
        p99Ms: pick('p99Ms'),
        serverCpuMicrosPerRequest: pick('serverCpuMicrosPerRequest'),
        loadCpuMicrosPerRequest: pick('loadCpuMicrosPerRequest'),
        standInCpuMicrosPerRequest: pick('standInCpuMicrosPerRequest'),
        memory: {
          idleRss: entry.idleRss,
          rssAfterRun: afterRun.get(entry)!,
          ...(rssCachesFull === undefined ? {} : { rssCachesFull }),
          peakRss,
          webhooksAnswered,
          distinctMessages: entry.cursor.unique ? entry.cursor.next : 0,
        },
      };
    });
    return { options, contenders: results, ratios: ratiosOf(results) };
  } finally {
    await Promise.all(running.map((entry) => entry.server.stop()));
  }
}

function ratiosOf(results: readonly ContenderResult[]): RatioResult[] {
  const ratios: RatioResult[] = [];
  for (const bridge of results.filter((result) => result.role === 'bridge')) {
    for (const against of ['hand', 'bare', 'before'] as const) {
      const base =
        against === 'before'
          ? results.find((result) => result.id === beforeId(bridge.id))
          : results.find((result) => result.framework === bridge.framework && result.role === against);
      if (base === undefined) continue;
      const pair = (key: 'requestsPerSecond' | 'p50Ms' | 'p99Ms' | 'serverCpuMicrosPerRequest') =>
        pairedRatio(
          bridge.rounds.map((run) => run[key]),
          base.rounds.map((run) => run[key]),
        );
      ratios.push({
        framework: bridge.framework,
        bridge: bridge.id,
        against,
        requestsPerSecond: pair('requestsPerSecond'),
        p50Ms: pair('p50Ms'),
        p99Ms: pair('p99Ms'),
        serverCpuMicrosPerRequest: pair('serverCpuMicrosPerRequest'),
      });
    }
  }
  return ratios;
}

/** The id of a bridge's `before` copy (see chooseContenders). */
function beforeId(id: string): string {
  const [base, variant] = id.split(':');
  return `${base}:${variant === undefined ? 'before' : `${variant}-before`}`;
}

function progress(line: string): void {
  process.stderr.write(`  ${line}\n`);
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

export function printFullPath(result: FullPathResult): void {
  const { options } = result;
  const byFramework = Object.keys(frameworks).filter((framework) => result.contenders.some((c) => c.framework === framework)) as Framework[];
  const tables = byFramework.map((framework) => {
    const rows = result.contenders
      .filter((c) => c.framework === framework)
      .map((c) => [
        `${c.role}: ${c.label}`,
        showSpread(c.requestsPerSecond),
        showSpread(c.p50Ms, 2),
        showSpread(c.p99Ms, 2),
        showSpread(c.serverCpuMicrosPerRequest),
        showSpread(c.loadCpuMicrosPerRequest),
      ]);
    return `**${frameworks[framework]}**\n\n${markdownTable(['server', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'autocannon CPU µs/req'], rows)}`;
  });
  const ratioRows = result.ratios.map((r) => [
    `${frameworks[r.framework as Framework]}${r.bridge.includes(':') ? ` (${r.bridge.split(':')[1]})` : ''}: bridge ÷ ${{ hand: 'hand-written', bare: 'bare', before: 'before' }[r.against]}`,
    showRatio(r.requestsPerSecond),
    showRatio(r.p50Ms),
    showRatio(r.p99Ms),
    showRatio(r.serverCpuMicrosPerRequest),
  ]);
  const standIn = spread(result.contenders.filter((c) => c.role !== 'bare').map((c) => c.standInCpuMicrosPerRequest.median));
  const load = spread(result.contenders.map((c) => c.loadCpuMicrosPerRequest.median));
  printSection(
    'Full webhook path per framework',
    [
      `autocannon in this process, ${options.connections} connections, signed Twilio SMS webhooks (a new MessageSid each), a warm-up of ${options.warmupRequests.toLocaleString('en-US')} requests then ${options.rounds} rounds × ${options.seconds} s per server, alternating servers round by round. Figures: median (min–max) over rounds.`,
      `Load generator cost: autocannon used ${figure(load.min)}–${figure(load.max)} µs of CPU per request (median per server), on the same 2 cores as the server. The Connect stand-in used ${figure(standIn.min)}–${figure(standIn.max)} µs per send.`,
    ],
    [...tables, `**Ratios** (per round, paired; median (min–max))\n\n${markdownTable(['comparison', 'req/s', 'p50', 'p99', 'server CPU/req'], ratioRows)}`],
  );
  const memoryRows = result.contenders.map((c) => [
    serverName(c),
    mib(c.memory.idleRss),
    mib(c.memory.rssAfterRun),
    c.memory.rssCachesFull === undefined ? '–' : mib(c.memory.rssCachesFull),
    mib(c.memory.peakRss),
  ]);
  printSection(
    'Memory (RSS)',
    [
      options.fillCaches
        ? `Each server's resident memory: idle after start; after its warm-up and rounds above; for the bridges, "caches full": a second later, once each has seen at least ${cacheFill.toLocaleString('en-US')} distinct messages from as many customers (topped up if the warm-up and rounds were fewer), which fills core's in-memory idempotency store (10,000 entries) and session store (10,000 sessions) to their default bounds; and the peak (VmHWM). MiB.`
        : "Each server's resident memory: idle after start, after its warm-up and rounds above, and the peak (VmHWM); caches not filled in this mode. MiB.",
    ],
    [markdownTable(['server', 'idle', 'after the runs', 'caches full', 'peak'], memoryRows)],
  );
}
