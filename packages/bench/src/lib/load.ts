import autocannon from 'autocannon';
import { webhookPath } from '../fixture.ts';
import { processCpuMicros } from './proc.ts';
import type { ConnectStandIn } from './stand-in.ts';
import { type TwilioPool, webhookHeaders } from './twilio-pool.ts';

/** Where a server is in the signed pool; a server that deduplicates must never see a webhook twice. */
export interface PoolCursor {
  next: number;
  /** True for servers that deduplicate by MessageSid: they get each webhook once, the others wrap around. */
  unique: boolean;
}

export interface LoadOptions {
  port: number;
  serverPid: number;
  pool: TwilioPool;
  cursor: PoolCursor;
  seconds: number;
  /** Instead of `seconds`: stop after this many requests. */
  amount?: number;
  connections: number;
  standIn: ConnectStandIn;
  /** Whether every answer must be an event Connect accepted (hand-written handlers and bridges). */
  sends: boolean;
}

/** One timed run of autocannon against one server, with what it cost each process per request. */
export interface LoadRun {
  answered: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** utime + stime of the server process over the run ÷ requests answered. */
  serverCpuMicrosPerRequest: number;
  /** This process (autocannon: building requests, parsing answers) ÷ requests answered. */
  loadCpuMicrosPerRequest: number;
  /** The Connect stand-in's process ÷ requests answered (zero for the bare servers). */
  standInCpuMicrosPerRequest: number;
  /** Events the stand-in accepted during the run. */
  accepted: number;
}

/**
 * The stand-in's count once it stops moving: autocannon resolves with requests still in flight,
 * whose sends land a moment later and must not be counted against the next server.
 */
async function settled(standIn: ConnectStandIn): Promise<number> {
  let last = await standIn.accepted();
  let still = 0;
  for (let waited = 0; waited < 10_000 && still < 3; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await standIn.accepted();
    still = now === last ? still + 1 : 0;
    last = now;
  }
  return last;
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

/**
 * Signed Twilio webhooks from `pool` at `connections` concurrent connections for `seconds`.
 * Latencies are recorded per response (autocannon's own histogram rounds to whole ms). Any
 * non-2xx answer, error or timeout aborts the benchmark: a fast wrong answer is not a result.
 */
export async function runLoad(options: LoadOptions): Promise<LoadRun> {
  const { pool, cursor } = options;
  let exhausted = false;
  let latencies = new Float64Array(1 << 16);
  let recorded = 0;
  const acceptedBefore = await options.standIn.accepted();
  const serverBefore = processCpuMicros(options.serverPid);
  const standInBefore = processCpuMicros(options.standIn.pid);
  const loadBefore = process.cpuUsage();
  const instance = autocannon({
    url: `http://127.0.0.1:${options.port}`,
    connections: options.connections,
    ...(options.amount === undefined ? { duration: options.seconds } : { amount: options.amount }),
    timeout: 10,
    requests: [
      {
        setupRequest(request) {
          let index = cursor.next++;
          if (index >= pool.items.length) {
            if (cursor.unique) exhausted = true;
            index %= pool.items.length;
          }
          const webhook = pool.items[index]!;
          return { ...request, method: 'POST', path: webhookPath, headers: webhookHeaders(webhook.signature), body: webhook.body };
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, milliseconds: number) => {
    if (recorded === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[recorded++] = milliseconds;
  });
  const result = await instance;
  const load = process.cpuUsage(loadBefore);
  const server = processCpuMicros(options.serverPid) - serverBefore;
  const standIn = processCpuMicros(options.standIn.pid) - standInBefore;
  const accepted = (await settled(options.standIn)) - acceptedBefore;

  const answered = result['2xx'];
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `port ${options.port}: ${result.non2xx} non-2xx answers ${JSON.stringify(result.statusCodeStats)}, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  if (exhausted) throw new Error(`port ${options.port}: the signed pool ran out (${pool.items.length}); a deduplicating server would have seen repeats`);
  if (options.sends && accepted < answered) {
    throw new Error(`port ${options.port}: answered ${answered} webhooks 2xx but Connect received only ${accepted} events`);
  }
  // A starved server may still finish a few requests the previous run abandoned: at most one per connection.
  if (!options.sends && accepted > options.connections) throw new Error(`port ${options.port}: a baseline sent ${accepted} events`);
  const sorted = latencies.subarray(0, recorded).sort();
  return {
    answered,
    seconds: result.duration,
    requestsPerSecond: answered / result.duration,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    serverCpuMicrosPerRequest: server / answered,
    loadCpuMicrosPerRequest: (load.user + load.system) / answered,
    standInCpuMicrosPerRequest: standIn / answered,
    accepted,
  };
}
