import { ConnectChatError, type IdempotencyStore } from '@connect-chat/core';
import type { RedisCommands } from './client.ts';

/**
 * Options of {@link createRedisIdempotencyStore}.
 *
 * @example
 * createRedisIdempotencyStore({ redis, prefix: 'bridge-eu:', ttlMs: 48 * 3_600_000 });
 */
export interface RedisIdempotencyStoreOptions {
  redis: RedisCommands;
  /** Before every key, to share one Redis between deployments. Default `connect-chat:`. */
  prefix?: string;
  /** How long a sent message is remembered. Default 24 h, as the in-memory store. */
  ttlMs?: number;
  /**
   * The longest a claim is held without `complete` or `release` (a send that never ends). Default
   * 60 s: above the longest a send can last with the sender's defaults (`deadlineMs` 10 s, then an
   * attempt in flight up to `retry.attemptTimeoutMs`, 20 s without idempotency tokens). Raise it if
   * you raise those.
   */
  inFlightTtlMs?: number;
  /**
   * A claim is a lease this long, renewed every third of it while its instance lives (up to
   * `inFlightTtlMs`): a crashed instance's claims lapse this long after its last renewal, so a
   * provider's retry on another instance is sent then instead of a minute later. Default 8,000 ms.
   */
  claimLeaseMs?: number;
}

// One round trip each, atomic: a claim is a conditional write of its owner; a release a compare-and-delete.
const claimScript = `
local value = redis.call('GET', KEYS[1])
if value == false then
  redis.call('SET', KEYS[1], 'claim:' .. ARGV[1], 'PX', ARGV[2])
  return 'claimed'
elseif value == 'completed' then
  return 'completed'
end
return 'in-flight'`;

const releaseScript = `
if redis.call('GET', KEYS[1]) == 'claim:' .. ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

const completeScript = `redis.call('SET', KEYS[1], 'completed', 'PX', ARGV[1]) return 1`;

const renewScript = `
if redis.call('GET', KEYS[1]) == 'claim:' .. ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

/**
 * The idempotency store on Redis, shared by every bridge instance: a provider's retry that lands on
 * another instance is recognised as a duplicate (or as in flight). A claim is a lease its instance
 * renews while it sends, so a crashed instance's claims lapse within `claimLeaseMs`. Uses `EVAL`,
 * `GET`, `SET`, `DEL` and `PEXPIRE` only (Redis 7 and Valkey). A Redis failure rejects, which the
 * webhook answers 503 + `Retry-After` (`IDEMPOTENCY_UNAVAILABLE`): nothing is sent without its claim.
 *
 * @example
 * const redis = await connectRedis({ url: process.env.REDIS_URL! });
 * const chat = createConnectChat({ …, idempotency: createRedisIdempotencyStore({ redis }) });
 */
export function createRedisIdempotencyStore(options: RedisIdempotencyStoreOptions): IdempotencyStore {
  const { redis } = options;
  if (typeof redis?.eval !== 'function') throw new ConnectChatError('INVALID_OPTIONS', 'redis: expected a node-redis client (see connectRedis)');
  const prefix = `${options.prefix ?? 'connect-chat:'}idempotency:`;
  const ttlMs = String(positive(options.ttlMs, 'ttlMs', 24 * 3_600_000));
  const inFlightTtlMs = positive(options.inFlightTtlMs, 'inFlightTtlMs', 60_000);
  const leaseMs = Math.min(positive(options.claimLeaseMs, 'claimLeaseMs', 8_000), inFlightTtlMs);
  const leases = createLeases(redis, leaseMs, inFlightTtlMs);
  return {
    async claim(key, owner) {
      const answer = await redis.eval(claimScript, { keys: [prefix + key], arguments: [owner, String(leaseMs)] });
      if (answer !== 'claimed' && answer !== 'completed' && answer !== 'in-flight') throw new Error(`Redis answered ${String(answer)} to a claim`);
      if (answer === 'claimed') leases.hold(prefix + key, owner);
      return answer;
    },
    async complete(key) {
      leases.drop(prefix + key);
      await redis.eval(completeScript, { keys: [prefix + key], arguments: [ttlMs] });
    },
    async release(key, owner) {
      leases.drop(prefix + key, owner);
      await redis.eval(releaseScript, { keys: [prefix + key], arguments: [owner] });
    },
  };
}

/**
 * The claims this instance holds, each renewed every third of its lease until it is dropped or
 * `maxMs` after it was taken. A renewal that fails (Redis away) is tried again at the next tick;
 * the claim lapses if none succeeds within the lease.
 */
function createLeases(redis: RedisCommands, leaseMs: number, maxMs: number) {
  const held = new Map<string, { owner: string; timer: ReturnType<typeof setInterval> }>();
  const drop = (key: string, owner?: string) => {
    const lease = held.get(key);
    if (!lease || (owner !== undefined && lease.owner !== owner)) return;
    clearInterval(lease.timer);
    held.delete(key);
  };
  const hold = (key: string, owner: string) => {
    drop(key);
    const until = Date.now() + maxMs;
    const timer = setInterval(() => {
      const left = until - Date.now();
      if (left <= 0) return drop(key, owner);
      const ttl = String(Math.min(leaseMs, left));
      redis.eval(renewScript, { keys: [key], arguments: [owner, ttl] }).then(
        (renewed) => renewed === 1 || drop(key, owner),
        () => undefined,
      );
    }, leaseMs / 3);
    // A lease never keeps the process alive: its end is what a crash looks like.
    (timer as { unref?: () => void }).unref?.();
    held.set(key, { owner, timer });
  };
  return { hold, drop };
}

export function positive(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ConnectChatError('INVALID_OPTIONS', `${name}: expected a positive integer of milliseconds, got ${JSON.stringify(value)}`);
  }
  return value;
}
