// The public API of @connect-chat/store-contract, by name.
export { describeIdempotencyStoreContract, describeSessionStoreContract } from './store-contracts.ts';
export { redisSkipReason, startRedis } from './redis-server.ts';
export type { TestRedis } from './redis-server.ts';
