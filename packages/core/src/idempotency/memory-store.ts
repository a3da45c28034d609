import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { AgeOrderedMap } from '../collections/age-ordered-map.ts';
import { positiveInteger } from '../options/toolkit.ts';
import type { ClaimResult, IdempotencyStore } from './types.ts';

/**
 * Options of {@link createMemoryIdempotencyStore}.
 *
 * @example
 * const options: MemoryIdempotencyStoreOptions = { maxEntries: 50_000, inFlightTtlMs: 30_000 };
 */
export interface MemoryIdempotencyStoreOptions {
  /** Entries kept at most; past it the oldest completed entry goes first. Default 10,000. */
  maxEntries?: number;
  /** How long a completed message is remembered, in ms. Default 24 h (providers retry for hours). */
  ttlMs?: number;
  /** How long a claim may stay in flight, in ms, before another delivery may take it over. Default 60 s. */
  inFlightTtlMs?: number;
  /** The clock, in ms since the epoch. Default `Date.now`; tests inject their own. */
  now?: () => number;
}

interface Entry {
  state: 'in-flight' | 'completed';
  expiresAt: number;
  /** Who holds an in-flight claim. */
  owner?: string;
}

/**
 * An in-process {@link IdempotencyStore}: bounded, with a TTL, and with in-flight claims that expire
 * so that a send which crashed mid-way does not block its message forever. Use a shared store
 * instead when several instances receive webhooks.
 *
 * A store full of live in-flight claims answers `in-flight` (503, the provider retries later)
 * rather than forgetting a claim that is still being sent.
 *
 * @example
 * const store = createMemoryIdempotencyStore({ maxEntries: 50_000, ttlMs: 48 * 3_600_000 });
 * const owner = crypto.randomUUID();
 * if ((await store.claim('twilio:SM123', owner)) === 'claimed') {
 *   try { await send(); await store.complete('twilio:SM123'); } catch (e) { await store.release('twilio:SM123', owner); throw e; }
 * }
 */
export function createMemoryIdempotencyStore(options: MemoryIdempotencyStoreOptions = {}): IdempotencyStore {
  if (typeof options !== 'object' || options === null) {
    throw new ConnectChatError('INVALID_OPTIONS', `createMemoryIdempotencyStore options: expected an object, got ${String(options)}`);
  }
  const maxEntries = positiveInteger(options.maxEntries, 'createMemoryIdempotencyStore options.maxEntries', 10_000);
  const ttlMs = positiveInteger(options.ttlMs, 'createMemoryIdempotencyStore options.ttlMs', 24 * 60 * 60 * 1000);
  const inFlightTtlMs = positiveInteger(options.inFlightTtlMs, 'createMemoryIdempotencyStore options.inFlightTtlMs', 60 * 1000);
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') {
    throw new ConnectChatError('INVALID_OPTIONS', `createMemoryIdempotencyStore options.now: expected a function, got ${typeof now}`);
  }
  // Insertion order is the eviction order: completed entries are re-inserted when completed.
  const entries = new AgeOrderedMap<string, Entry>();

  function live(key: string, at: number): Entry | undefined {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= at) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  function dropExpiredFromFront(at: number): void {
    for (const [key, entry] of entries.entries()) {
      if (entry.expiresAt > at) return;
      entries.delete(key);
    }
  }

  /** Frees one slot (the oldest expired or completed entry); false when all are live claims in flight. */
  function makeRoom(at: number): boolean {
    for (const [key, entry] of entries.entries()) {
      if (entry.state === 'completed' || entry.expiresAt <= at) {
        entries.delete(key);
        return true;
      }
    }
    return false;
  }

  return {
    async claim(key, owner) {
      assertKey(key, 'claim');
      assertOwner(owner, 'claim');
      const at = now();
      dropExpiredFromFront(at);
      const entry = live(key, at);
      if (entry) return entry.state satisfies ClaimResult;
      if (entries.size >= maxEntries && !makeRoom(at)) return 'in-flight';
      entries.set(key, { state: 'in-flight', expiresAt: at + inFlightTtlMs, owner });
      return 'claimed';
    },
    async complete(key) {
      assertKey(key, 'complete');
      const at = now();
      entries.delete(key);
      if (entries.size >= maxEntries) makeRoom(at);
      entries.set(key, { state: 'completed', expiresAt: at + ttlMs });
    },
    async release(key, owner) {
      assertKey(key, 'release');
      assertOwner(owner, 'release');
      // A completed message stays completed, and a claim taken over after it expired is not ours.
      const entry = entries.get(key);
      if (entry?.state === 'in-flight' && entry.owner === owner) entries.delete(key);
    },
  };
}

function assertOwner(owner: unknown, method: string): asserts owner is string {
  if (typeof owner !== 'string' || owner.length === 0) {
    throw new ConnectChatError('INVALID_OPTIONS', `IdempotencyStore.${method}(key, owner): expected a non-empty owner string, got ${typeof owner}`);
  }
}

function assertKey(key: unknown, method: string): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new ConnectChatError('INVALID_OPTIONS', `IdempotencyStore.${method}(key): expected a non-empty string, got ${typeof key}`);
  }
}
