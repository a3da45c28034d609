// The public API of @connect-chat/redis, by name.
export { connectRedis } from './client.ts';
export type { ConnectRedisOptions, RedisCommands, RedisConnection } from './client.ts';
export { createRedisIdempotencyStore } from './idempotency-store.ts';
export type { RedisIdempotencyStoreOptions } from './idempotency-store.ts';
export { createRedisSessionStore } from './session-store.ts';
export type { RedisSessionStoreOptions } from './session-store.ts';
export { createRedisAcceptanceQueue } from './acceptance-queue.ts';
export type { Drain, DrainOptions, RedisAcceptanceQueue, RedisAcceptanceQueueOptions } from './acceptance-queue.ts';
