import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, createRedisIdempotencyStore, createRedisSessionStore, type RedisConnection } from '../src/index.ts';
import { describeIdempotencyStoreContract, describeSessionStoreContract, redisSkipReason, startRedis, type TestRedis } from '@connect-chat/store-contract';

const skipReason = redisSkipReason();
if (skipReason) console.warn(`connect-chat: ${skipReason}`);

let server: TestRedis;
let redis: RedisConnection;

describe.skipIf(skipReason !== undefined)('Redis stores', () => {
  beforeAll(async () => {
    server = await startRedis();
    redis = await connectRedis({ url: server.url });
  });
  afterAll(async () => {
    await redis?.close().catch(() => undefined);
    await server?.stop();
  });

  // The same contract the in-memory stores pass (packages/store-contract/src/stores.test.ts).
  describeIdempotencyStoreContract('redis', (inFlightTtlMs) => createRedisIdempotencyStore({ redis, inFlightTtlMs, prefix: `t-${crypto.randomUUID()}:` }));
  describeSessionStoreContract('redis', () => createRedisSessionStore({ redis, prefix: `t-${crypto.randomUUID()}:` }));

  it('two instances (two clients) share claims: a retry on the other instance is a duplicate', async () => {
    const other = await connectRedis({ url: server.url });
    try {
      const prefix = `shared-${crypto.randomUUID()}:`;
      const first = createRedisIdempotencyStore({ redis, prefix });
      const second = createRedisIdempotencyStore({ redis: other, prefix });
      expect(await first.claim('twilio:SM1', 'instance-a')).toBe('claimed');
      expect(await second.claim('twilio:SM1', 'instance-b')).toBe('in-flight');
      await first.complete('twilio:SM1');
      expect(await second.claim('twilio:SM1', 'instance-b')).toBe('completed');
    } finally {
      await other.close();
    }
  });

  it('refuses options that cannot work, naming them', () => {
    expect(() => createRedisIdempotencyStore({ redis, ttlMs: 0 })).toThrow(/ttlMs: expected a positive integer/);
    expect(() => createRedisSessionStore({ redis: {} as RedisConnection })).toThrow(/redis: expected a node-redis client/);
  });
});

describe.skipIf(skipReason !== undefined)('Redis down', () => {
  it('a lost connection rejects at once (the webhook answers 503), never answers as if claimed', async () => {
    const lonely = await startRedis();
    const client = await connectRedis({ url: lonely.url, commandTimeoutMs: 500 });
    try {
      const store = createRedisIdempotencyStore({ redis: client });
      const sessions = createRedisSessionStore({ redis: client });
      expect(await store.claim('twilio:SM2', 'a')).toBe('claimed');
      await lonely.stop();
      const started = Date.now();
      await expect(store.claim('twilio:SM3', 'a')).rejects.toThrow();
      await expect(sessions.get('chat')).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      client.destroy();
    }
  });
});
