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
   * How long a claim lives without `complete` or `release` (a crashed instance's). Default 60 s:
   * above the longest a send can last with the sender's defaults (`deadlineMs` 10 s, then an attempt
   * in flight up to `retry.attemptTimeoutMs`, 20 s without idempotency tokens). Raise it if you
   * raise those.
   */
  inFlightTtlMs?: number;
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

/**
 * The idempotency store on Redis, shared by every bridge instance: a provider's retry that lands on
 * another instance is recognised as a duplicate (or as in flight). Uses `EVAL`, `GET`, `SET` and
 * `DEL` only (Redis 7 and Valkey). A Redis failure rejects, which the webhook answers 503 +
 * `Retry-After` (`IDEMPOTENCY_UNAVAILABLE`): nothing is sent without its claim.
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
  const inFlightTtlMs = String(positive(options.inFlightTtlMs, 'inFlightTtlMs', 60_000));
  return {
    async claim(key, owner) {
      const answer = await redis.eval(claimScript, { keys: [prefix + key], arguments: [owner, inFlightTtlMs] });
      if (answer !== 'claimed' && answer !== 'completed' && answer !== 'in-flight') throw new Error(`Redis answered ${String(answer)} to a claim`);
      return answer;
    },
    async complete(key) {
      await redis.eval(completeScript, { keys: [prefix + key], arguments: [ttlMs] });
    },
    async release(key, owner) {
      await redis.eval(releaseScript, { keys: [prefix + key], arguments: [owner] });
    },
  };
}

export function positive(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ConnectChatError('INVALID_OPTIONS', `${name}: expected a positive integer of milliseconds, got ${JSON.stringify(value)}`);
  }
  return value;
}
