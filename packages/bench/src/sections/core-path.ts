import { fork } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repositoryRoot } from '../contenders.ts';
import type { ConnectStandIn } from '../lib/stand-in.ts';
import { pairedRatio, type Spread, showRatio, showSpread, spread } from '../lib/stats.ts';
import { markdownTable, printSection } from '../lib/table.ts';
import type { CorePathFigures, CorePathJob } from '../servers/core-path.ts';

/** `sdk`: the AWS SDK (the default); `fetch`: the lean transport (`CONNECT_CLIENT=fetch`). */
export const corePathTransports = ['sdk', 'fetch'] as const;
export type CorePathTransport = (typeof corePathTransports)[number];

export interface CorePathOptions {
  /** The transports to load (`BENCH_CORE_TRANSPORTS`): fewer bridges in the heap, steadier rounds. */
  transports: CorePathTransport[];
  rounds: number;
  webhooksPerRound: number;
  warmupWebhooks: number;
  /** The root of a built copy of this repository to compare with (`BENCH_BASELINE`). */
  baseline?: string;
}

export interface CorePathRow {
  transport: CorePathTransport;
  cpuMicros: Spread;
  baselineCpuMicros?: Spread;
  /** This build ÷ the baseline, CPU per webhook, paired by round. */
  ratio?: Spread;
  /** The hand-written handler ÷ this build's bridge, CPU per webhook, paired by round: above 1, the bridge costs less. */
  handRatio: Spread;
}

export interface CorePathResult {
  options: CorePathOptions;
  rows: CorePathRow[];
  /** Connections the contenders (bridges and the hand-written handler) opened to the stand-in, all together. */
  connections: number;
  /** CPU µs per webhook of the hand-written handler (the official twilio package, one AWS SDK call) in the same process. */
  handCpuMicros: Spread;
}

/** Webhooks each bridge handles at once. */
const inFlight = 50;

/** Runs servers/core-path.js in a process of its own and reads its figures. */
export async function runCorePath(options: CorePathOptions, standIn: ConnectStandIn): Promise<CorePathResult> {
  const job: CorePathJob = {
    roots: options.baseline === undefined ? [repositoryRoot] : [repositoryRoot, resolve(options.baseline)],
    connectUrl: standIn.url,
    inFlight,
    transports: options.transports,
    rounds: options.rounds,
    webhooksPerRound: options.webhooksPerRound,
    warmupWebhooks: options.warmupWebhooks,
  };
  const connectionsBefore = await standIn.connections();
  const script = fileURLToPath(new URL('./servers/core-path.js', import.meta.url));
  const child = fork(script, [JSON.stringify(job)], { env: { PATH: process.env['PATH'] ?? '' }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const answer = once(child, 'message') as Promise<[CorePathFigures]>;
  const exited = once(child, 'exit') as Promise<[number | null]>;
  const first = await Promise.race([answer, exited.then(([code]) => code)]);
  if (!Array.isArray(first)) throw new Error(`core path: the measuring process exited with ${first} before reporting`);
  const [figures] = first;
  const hand = figures['hand'] ?? [];
  const rows = options.transports.map((transport): CorePathRow => {
    const own = figures[`0:${transport}`] ?? [];
    const before = figures[`1:${transport}`];
    return {
      transport,
      cpuMicros: spread(own),
      handRatio: pairedRatio(hand, own),
      ...(before ? { baselineCpuMicros: spread(before), ratio: pairedRatio(own, before) } : {}),
    };
  });
  await exited;
  const connections = (await standIn.connections()) - connectionsBefore;
  // Behind a server, a bridge (or the hand-written handler) holds one connection to Connect per
  // webhook in flight; more means the figures measure a pool that grew as no server would let it
  // (see servers/core-path.ts).
  const contenders = Object.keys(figures).length;
  if (connections > contenders * inFlight) {
    throw new Error(
      `core path: ${contenders} contenders opened ${connections} connections for ${inFlight} webhooks in flight each; the figures would not be a server's`,
    );
  }
  return { options, rows, connections, handCpuMicros: spread(hand) };
}

export function printCorePath(result: CorePathResult): void {
  const { options, rows } = result;
  const compared = options.baseline !== undefined;
  const label = { sdk: 'AWS SDK (default)', fetch: 'lean (CONNECT_CLIENT=fetch)' } as const;
  printSection(
    "The bridge's path in one process (no HTTP server)",
    [
      `Each bridge built by bridge-kit as the sample apps build it (Twilio, the in-memory stores, one JSON log line per message written nowhere), its handler called directly with signed Twilio webhooks, ${inFlight} in flight, each started in a turn of the event loop of its own as a server hands it over, sending to the Connect stand-in (${result.connections} connections opened in all, at most one per webhook in flight); the hand-written handler of the full-path section (the official twilio package's validateRequest, one AWS SDK call) in the same process, on URLSearchParams instead of a framework's parser; ${options.warmupWebhooks.toLocaleString('en-US')} webhooks each to warm up, then ${options.rounds} rounds × ${options.webhooksPerRound.toLocaleString('en-US')} webhooks, the contenders taking turns (order reversed every other round). CPU µs per webhook of that process: core's path and the send, without a framework or a socket; "hand-written ÷ bridge" above 1 means the bridge costs less.${compared ? ` Baseline: ${options.baseline}, loaded in the same process; ratios paired by round.` : ''}`,
    ],
    [
      markdownTable(
        ['contender', 'CPU µs/webhook', 'hand-written ÷ bridge', ...(compared ? ['baseline', 'this ÷ baseline'] : [])],
        [
          ...rows.map((row) => {
            const cells = [`bridge, ${label[row.transport]}`, showSpread(row.cpuMicros), showRatio(row.handRatio)];
            return compared ? [...cells, row.baselineCpuMicros ? showSpread(row.baselineCpuMicros) : '–', row.ratio ? showRatio(row.ratio) : '–'] : cells;
          }),
          ['hand-written (twilio, AWS SDK)', showSpread(result.handCpuMicros), '', ...(compared ? ['', ''] : [])],
        ],
      ),
    ],
  );
}
