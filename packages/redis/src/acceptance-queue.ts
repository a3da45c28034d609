import {
  type AcceptanceQueue,
  type AcceptedMessage,
  ConnectChatError,
  consoleLogger,
  type IdempotencyStore,
  type Logger,
  type Sender,
  sendAccepted,
} from '@connect-chat/core';
import { setMaxListeners } from 'node:events';
import type { RedisCommands } from './client.ts';
import { positive } from './idempotency-store.ts';

/**
 * Options of {@link createRedisAcceptanceQueue}.
 *
 * @example
 * createRedisAcceptanceQueue({ redis, partitions: 16, maxBacklog: 50_000 });
 */
export interface RedisAcceptanceQueueOptions {
  redis: RedisCommands;
  /** Before every key. Default `connect-chat:`. */
  prefix?: string;
  /** Streams the chats are spread over (by chat key); each is drained by one instance at a time. Default 8. */
  partitions?: number;
  /** Messages waiting per partition at most; beyond it a webhook is answered 503. Default 10,000. */
  maxBacklog?: number;
  /** How long an accepted message's key is remembered, so a provider's retry is a duplicate. Default 24 h. */
  acceptedTtlMs?: number;
}

/**
 * Options of a drain ({@link RedisAcceptanceQueue.drain}).
 *
 * @example
 * const drain = queue.drain({ sender: chat.sender, store: idempotency, logger });
 * process.on('SIGTERM', () => void drain.stop());
 */
export interface DrainOptions {
  sender: Sender;
  /** The bridge's idempotency store: each event is claimed there, so a part sent before a crash is not sent again. */
  store?: IdempotencyStore;
  logger?: Logger;
  /** A partition is this instance's for this long after its last renewal (renewed every third of it). Default 10,000 ms. */
  leaseMs?: number;
  /** Messages read at once per partition. Default 100. */
  batchSize?: number;
  /** How often an idle partition looks for messages accepted by another instance. Default 200 ms. */
  pollMs?: number;
  /** Called for each message Connect refused for good; it is also kept on the refused stream. */
  onRefused?(message: AcceptedMessage, error: ConnectChatError): void | Promise<void>;
}

/** A running drain. */
export interface Drain {
  /**
   * Stops taking messages, lets the batches in progress finish (their retries stop after
   * `graceMs`, default 10 s), and frees this instance's partitions for another.
   */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The durable acceptance queue and its drain.
 *
 * @example
 * const queue = createRedisAcceptanceQueue({ redis });
 * const drain = queue.drain({ sender: chat.sender });
 */
export interface RedisAcceptanceQueue extends AcceptanceQueue {
  drain(options: DrainOptions): Drain;
  /** Messages waiting (accepted, not yet sent) over all partitions. */
  backlog(): Promise<number>;
}

const group = 'drain';
const refusedMaxLength = '10000';

// The deduplication and the write in one step: a retry of an accepted message is never queued twice.
const acceptScript = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 'duplicate' end
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[3]) then return 'full' end
redis.call('XADD', KEYS[1], '*', 'message', ARGV[1])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
return 'accepted'`;

const leaseScript = `
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

// Done with: acknowledged and deleted, so the stream's length is the backlog.
const ackScript = `
for i = 1, #ARGV do
  redis.call('XACK', KEYS[1], '${group}', ARGV[i])
  redis.call('XDEL', KEYS[1], ARGV[i])
end
return #ARGV`;

/**
 * Durable acceptance on Redis streams: `accept` writes a message to its chat's partition (a stream)
 * and remembers its key, atomically; `drain` sends each partition's messages to Connect in order,
 * one instance per partition at a time (a lease), reading with a consumer group. An instance that
 * takes a partition over — its holder crashed or stopped — first claims the entries left pending
 * (`XAUTOCLAIM`) and sends them before anything newer, so a chat keeps its order. Commands: `EVAL`,
 * `XADD`, `XLEN`, `XGROUP`, `XREADGROUP`, `XAUTOCLAIM`, `XACK`, `XDEL`, `GET`, `SET`, `DEL`
 * (Redis ≥ 6.2 and Valkey); each partition's keys share a hash tag.
 *
 * @example
 * const redis = await connectRedis({ url: process.env.REDIS_URL! });
 * const queue = createRedisAcceptanceQueue({ redis });
 * const chat = createConnectChat({ providers, route, sender, idempotency, acceptance: queue });
 * const drain = queue.drain({ sender: chat.sender, store: idempotency });
 */
export function createRedisAcceptanceQueue(options: RedisAcceptanceQueueOptions): RedisAcceptanceQueue {
  const { redis } = options;
  if (typeof redis?.eval !== 'function' || typeof redis.sendCommand !== 'function') {
    throw new ConnectChatError('INVALID_OPTIONS', 'redis: expected a node-redis client (see connectRedis)');
  }
  const prefix = options.prefix ?? 'connect-chat:';
  const partitions = positive(options.partitions, 'partitions', 8);
  const maxBacklog = String(positive(options.maxBacklog, 'maxBacklog', 10_000));
  const acceptedTtlMs = String(positive(options.acceptedTtlMs, 'acceptedTtlMs', 24 * 3_600_000));
  const keys = (partition: number) => {
    const tag = `${prefix}{accept:${partition}}`;
    return { stream: `${tag}:stream`, lease: `${tag}:lease`, seen: (key: string) => `${tag}:accepted:${key}` };
  };
  const wakers = new Set<(partition: number) => void>();

  return {
    async accept(message) {
      const partition = partitionOf(message, partitions);
      const { stream, seen } = keys(partition);
      const answer = await redis.eval(acceptScript, { keys: [stream, seen(message.key)], arguments: [JSON.stringify(message), acceptedTtlMs, maxBacklog] });
      if (answer !== 'accepted' && answer !== 'duplicate' && answer !== 'full') throw new Error(`Redis answered ${String(answer)} to an accept`);
      if (answer === 'accepted') for (const wake of wakers) wake(partition);
      return answer;
    },
    async backlog() {
      const lengths = await Promise.all(Array.from({ length: partitions }, (_, p) => redis.sendCommand(['XLEN', keys(p).stream])));
      return lengths.reduce((sum: number, length) => sum + Number(length), 0);
    },
    drain(drainOptions) {
      return startDrain({ redis, partitions, keys, wakers, refused: `${prefix}accept:refused`, options: drainOptions });
    },
  };
}

/** A chat's partition: FNV-1a of its chat key, so a chat's messages always share one stream. */
function partitionOf(message: AcceptedMessage, partitions: number): number {
  const first = message.events[0]?.event;
  const chat = first ? `${first.SourceId}\u0000${first.DestinationId}\u0000${first.Subtype}` : message.key;
  let hash = 0x811c9dc5;
  for (let i = 0; i < chat.length; i++) hash = Math.imul(hash ^ chat.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % partitions;
}

interface DrainContext {
  redis: RedisCommands;
  partitions: number;
  keys(partition: number): { stream: string; lease: string };
  wakers: Set<(partition: number) => void>;
  refused: string;
  options: DrainOptions;
}

function startDrain(context: DrainContext): Drain {
  const { partitions, wakers, options } = context;
  const consumer = crypto.randomUUID();
  const logger = options.logger ?? consoleLogger;
  const leaseMs = positive(options.leaseMs, 'leaseMs', 10_000);
  const batchSize = positive(options.batchSize, 'batchSize', 100);
  const pollMs = positive(options.pollMs, 'pollMs', 200);
  const stopping = new AbortController();
  const giveUp = new AbortController();
  const wakeups = Array.from({ length: partitions }, () => new Set<() => void>());
  const wake = (partition: number) => {
    for (const resolve of wakeups[partition] ?? []) resolve();
  };
  wakers.add(wake);
  const partition = { consumer, logger, leaseMs, batchSize, pollMs, stopping: stopping.signal, giveUp: giveUp.signal, wakeups };
  const loops = Array.from({ length: partitions }, (_, p) => drainPartition(context, p, partition));
  return {
    async stop(graceMs = 10_000) {
      stopping.abort();
      for (let p = 0; p < partitions; p++) wake(p);
      const timer = setTimeout(() => giveUp.abort(), graceMs);
      await Promise.all(loops);
      clearTimeout(timer);
      wakers.delete(wake);
    },
  };
}

interface PartitionRun {
  consumer: string;
  logger: Logger;
  leaseMs: number;
  batchSize: number;
  pollMs: number;
  /** No new batch after it. */
  stopping: AbortSignal;
  /** Retries of the batch in progress stop. */
  giveUp: AbortSignal;
  wakeups: Array<Set<() => void>>;
}

/** One partition's loop: hold its lease, send what is pending then what is new, acknowledge, repeat. */
async function drainPartition(context: DrainContext, p: number, run: PartitionRun): Promise<void> {
  const { redis } = context;
  const { stream, lease } = context.keys(p);
  let held = false;
  while (!run.stopping.aborted) {
    try {
      if (!(await renew(redis, lease, run))) {
        held = false;
        await idle(run, p, run.leaseMs / 3);
        continue;
      }
      if (!held) await createGroup(redis, stream);
      held = true;
      const entries = (await pendingEntries(redis, stream, run)) ?? (await newEntries(redis, stream, run));
      if (entries.length === 0) {
        await idle(run, p, run.pollMs);
        continue;
      }
      await sendBatch(context, stream, lease, entries, run);
    } catch (error) {
      run.logger.warn('connect-chat: the acceptance queue could not be drained for now; retrying', { partition: p, error });
      await idle(run, p, run.pollMs);
    }
  }
  if (held) await redis.eval(releaseScript, { keys: [lease], arguments: [run.consumer] }).catch(() => undefined);
}

/** Sends a batch while renewing the lease; a lost lease stops its retries (another instance takes over). */
async function sendBatch(context: DrainContext, stream: string, lease: string, entries: Entry[], run: PartitionRun): Promise<void> {
  const { redis, options, refused } = context;
  const lost = new AbortController();
  // Every chat of the batch may wait on it at once, retrying: that is no leak.
  setMaxListeners(entries.length + 1, lost.signal);
  const onGiveUp = () => lost.abort();
  run.giveUp.addEventListener('abort', onGiveUp, { once: true });
  const renewal = setInterval(() => {
    void renew(redis, lease, run).then(
      (ok) => ok || lost.abort(),
      () => lost.abort(),
    );
  }, run.leaseMs / 3);
  const unreadable = entries.filter((entry) => entry.message === undefined).map((entry) => entry.id);
  if (unreadable.length > 0) run.logger.error('connect-chat: unreadable entries in the acceptance queue were dropped', { stream, ids: unreadable });
  const readable = entries.filter((entry): entry is Entry & { message: AcceptedMessage } => entry.message !== undefined);
  try {
    const outcomes = await sendAccepted(
      readable.map((entry) => entry.message),
      {
        sender: options.sender,
        store: options.store,
        logger: run.logger,
        signal: lost.signal,
        onRefused: async (message, error) => {
          await redis.sendCommand(['XADD', refused, 'MAXLEN', '~', refusedMaxLength, '*', 'message', JSON.stringify(message), 'code', error.code]);
          await options.onRefused?.(message, error);
        },
      },
    );
    const done = [...unreadable, ...readable.filter((_, i) => outcomes[i] !== 'stopped').map((entry) => entry.id)];
    if (done.length > 0) await redis.eval(ackScript, { keys: [stream], arguments: done });
  } finally {
    clearInterval(renewal);
    run.giveUp.removeEventListener('abort', onGiveUp);
  }
}

function renew(redis: RedisCommands, lease: string, run: PartitionRun): Promise<boolean> {
  return redis.eval(leaseScript, { keys: [lease], arguments: [run.consumer, String(run.leaseMs)] }).then((answer) => answer === 1);
}

async function createGroup(redis: RedisCommands, stream: string): Promise<void> {
  // From the stream's start: messages accepted before any drain ran are not skipped.
  await redis.sendCommand(['XGROUP', 'CREATE', stream, group, '0', 'MKSTREAM']).catch((error: unknown) => {
    if (!String((error as Error)?.message).includes('BUSYGROUP')) throw error;
  });
}

interface Entry {
  id: string;
  /** Undefined when the entry cannot be read: it is logged and acknowledged, never retried forever. */
  message: AcceptedMessage | undefined;
}

/** Entries delivered before and never acknowledged — a crashed or stopped holder's, or ours — in order; undefined when none. */
async function pendingEntries(redis: RedisCommands, stream: string, run: PartitionRun): Promise<Entry[] | undefined> {
  const reply = (await redis.sendCommand(['XAUTOCLAIM', stream, group, run.consumer, '0', '0-0', 'COUNT', String(run.batchSize)])) as [string, RawEntry[]];
  const entries = parseEntries(reply[1]);
  return entries.length > 0 ? entries : undefined;
}

async function newEntries(redis: RedisCommands, stream: string, run: PartitionRun): Promise<Entry[]> {
  const reply = (await redis.sendCommand(['XREADGROUP', 'GROUP', group, run.consumer, 'COUNT', String(run.batchSize), 'STREAMS', stream, '>'])) as Array<
    [string, RawEntry[]]
  > | null;
  return parseEntries(reply?.[0]?.[1] ?? []);
}

type RawEntry = [string, string[]] | null;

function parseEntries(raw: RawEntry[]): Entry[] {
  return raw.flatMap((entry) => {
    if (!entry) return [];
    const [id, fields] = entry;
    return [{ id, message: readMessage(fields) }];
  });
}

function readMessage(fields: string[]): AcceptedMessage | undefined {
  try {
    const message = JSON.parse(fields[fields.indexOf('message') + 1] ?? '') as AcceptedMessage;
    return typeof message?.key === 'string' && Array.isArray(message.events) ? message : undefined;
  } catch {
    return undefined;
  }
}

/** Waits `ms`, or less when a message is accepted on this partition or the drain stops. */
function idle(run: PartitionRun, p: number, ms: number): Promise<void> {
  if (run.stopping.aborted) return Promise.resolve();
  const waiting = run.wakeups[p]!;
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      waiting.delete(done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    waiting.add(done);
  });
}
