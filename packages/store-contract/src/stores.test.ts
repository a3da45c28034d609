import { createMemoryIdempotencyStore, createMemorySessionStore } from '@connect-chat/core';
import { describeIdempotencyStoreContract, describeSessionStoreContract } from './index.ts';

// The in-memory stores pass the contract the Redis stores pass (packages/redis).
describeIdempotencyStoreContract('memory', (inFlightTtlMs) => createMemoryIdempotencyStore({ inFlightTtlMs }));
describeSessionStoreContract('memory', () => createMemorySessionStore());
