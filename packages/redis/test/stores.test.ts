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

  it("keeps a live instance's claim past its lease, and lets a dead instance's claim go a lease after its last renewal", async () => {
    const dying = await connectRedis({ url: server.url });
    const prefix = `lease-${crypto.randomUUID()}:`;
    // A lease long enough that a loaded machine's event-loop stalls do not end a live one.
    const leaseMs = 1_000;
    const holder = createRedisIdempotencyStore({ redis: dying, prefix, claimLeaseMs: leaseMs });
    const other = createRedisIdempotencyStore({ redis, prefix, claimLeaseMs: leaseMs });
    expect(await holder.claim('twilio:SM-live', 'instance-a')).toBe('claimed');
    // Time passing is the point here: several leases later the live claim still holds.
    await new Promise((resolve) => setTimeout(resolve, leaseMs * 3));
    expect(await other.claim('twilio:SM-live', 'instance-b')).toBe('in-flight');
    // The instance dies: its renewals stop, and its claim lapses within about a lease.
    dying.destroy();
    const died = Date.now();
    while ((await other.claim('twilio:SM-live', 'instance-b')) !== 'claimed') {
      if (Date.now() - died > leaseMs * 10) throw new Error('the dead instance kept its claim');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Within about a lease of its last renewal, not the minute a claim used to be held.
    expect(Date.now() - died).toBeLessThan(leaseMs * 5);
  });

  it('stops renewing a claim once it is completed or released, and after inFlightTtlMs at most', async () => {
    const prefix = `lease-end-${crypto.randomUUID()}:`;
    const store = createRedisIdempotencyStore({ redis, prefix, claimLeaseMs: 1_000, inFlightTtlMs: 2_000 });
    expect(await store.claim('twilio:SM-held', 'a')).toBe('claimed');
    const claimed = Date.now();
    // Never completed nor released (a send that hangs): held no longer than inFlightTtlMs and a lease.
    while ((await store.claim('twilio:SM-held', 'b')) !== 'claimed') {
      if (Date.now() - claimed > 8_000) throw new Error('a claim outlived inFlightTtlMs');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(Date.now() - claimed).toBeGreaterThanOrEqual(2_000);
    await store.release('twilio:SM-held', 'b');
    expect(await store.claim('twilio:SM-held', 'c')).toBe('claimed');
    await store.complete('twilio:SM-held');
    expect(await store.claim('twilio:SM-held', 'd')).toBe('completed');
  });

  it('refuses options that cannot work, naming them', () => {
    expect(() => createRedisIdempotencyStore({ redis, ttlMs: 0 })).toThrow(/ttlMs: expected a positive integer/);
    expect(() => createRedisIdempotencyStore({ redis, claimLeaseMs: 1.5 })).toThrow(/claimLeaseMs: expected a positive integer/);
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
