import { describe, expect, it } from 'vitest';
import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { createMemoryIdempotencyStore } from './memory-store.ts';

function clock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe('createMemoryIdempotencyStore', () => {
  it('claims once, reports in-flight while sending and completed after', async () => {
    const store = createMemoryIdempotencyStore();
    expect(await store.claim('twilio:SM1', 'owner-1')).toBe('claimed');
    expect(await store.claim('twilio:SM1', 'owner-1')).toBe('in-flight');
    await store.complete('twilio:SM1');
    expect(await store.claim('twilio:SM1', 'owner-1')).toBe('completed');
    expect(await store.claim('twilio:SM2', 'owner-1')).toBe('claimed');
  });

  it('forgets a released claim so the retry is sent, but never un-completes', async () => {
    const store = createMemoryIdempotencyStore();
    await store.claim('k', 'owner-1');
    await store.release('k', 'owner-1');
    expect(await store.claim('k', 'owner-1')).toBe('claimed');
    await store.complete('k');
    await store.release('k', 'owner-1');
    expect(await store.claim('k', 'owner-1')).toBe('completed');
  });

  it('lets a stale in-flight claim expire, so a crashed send does not block forever', async () => {
    const time = clock();
    const store = createMemoryIdempotencyStore({ inFlightTtlMs: 1000, now: time.now });
    await store.claim('k', 'owner-1');
    time.advance(999);
    expect(await store.claim('k', 'owner-1')).toBe('in-flight');
    time.advance(1);
    expect(await store.claim('k', 'owner-1')).toBe('claimed');
  });

  it('does not let a send that outlived its claim release the claim another delivery took over', async () => {
    const time = clock();
    const store = createMemoryIdempotencyStore({ inFlightTtlMs: 1000, now: time.now });
    expect(await store.claim('k', 'slow-delivery')).toBe('claimed');
    time.advance(1000);
    expect(await store.claim('k', 'retry')).toBe('claimed');
    // The slow send finally fails: the retry's claim must stand, or a third copy would be sent too.
    await store.release('k', 'slow-delivery');
    expect(await store.claim('k', 'third')).toBe('in-flight');
    await store.release('k', 'retry');
    expect(await store.claim('k', 'third')).toBe('claimed');
  });

  it('refuses a claim or release without an owner', async () => {
    const store = createMemoryIdempotencyStore();
    await expect(store.claim('k', '')).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(store.release('k', undefined as never)).rejects.toThrow(/owner/);
  });

  it('forgets completed messages after the TTL', async () => {
    const time = clock();
    const store = createMemoryIdempotencyStore({ ttlMs: 10_000, now: time.now });
    await store.claim('k', 'owner-1');
    await store.complete('k');
    time.advance(9_999);
    expect(await store.claim('k', 'owner-1')).toBe('completed');
    time.advance(1);
    expect(await store.claim('k', 'owner-1')).toBe('claimed');
  });

  it('stays bounded, evicting the oldest completed entry before any claim in flight', async () => {
    const store = createMemoryIdempotencyStore({ maxEntries: 3 });
    await store.claim('in-flight-1', 'owner-1');
    await store.claim('done-1', 'owner-1');
    await store.complete('done-1');
    await store.claim('done-2', 'owner-1');
    await store.complete('done-2');
    // Full: the next claim evicts done-1 (oldest completed), not the older claim in flight.
    expect(await store.claim('new', 'owner-1')).toBe('claimed');
    expect(await store.claim('in-flight-1', 'owner-1')).toBe('in-flight');
    expect(await store.claim('done-2', 'owner-1')).toBe('completed');
    // done-1 was evicted; claiming it again is allowed. That claim in turn evicts done-2.
    expect(await store.claim('done-1', 'owner-1')).toBe('claimed');
    expect(await store.claim('done-2', 'owner-1')).toBe('in-flight');
  });

  it('answers in-flight instead of dropping live claims when every slot is a claim in flight', async () => {
    const time = clock();
    const store = createMemoryIdempotencyStore({ maxEntries: 2, inFlightTtlMs: 100, now: time.now });
    await store.claim('a', 'owner-1');
    await store.claim('b', 'owner-1');
    expect(await store.claim('c', 'owner-1')).toBe('in-flight');
    expect(await store.claim('a', 'owner-1')).toBe('in-flight');
    time.advance(100);
    expect(await store.claim('c', 'owner-1')).toBe('claimed');
  });

  it('refuses bad options, naming the option', () => {
    const invalid = (options: unknown) => {
      try {
        createMemoryIdempotencyStore(options as never);
      } catch (error) {
        return ConnectChatError.is(error) ? `${error.code} ${error.message}` : 'not a ConnectChatError';
      }
      return 'accepted';
    };
    expect(invalid({ maxEntries: 0 })).toMatch(/^INVALID_OPTIONS .*maxEntries: expected a positive integer, got 0/);
    expect(invalid({ ttlMs: '1h' })).toMatch(/ttlMs: expected a positive integer, got "1h"/);
    expect(invalid({ inFlightTtlMs: 1.5 })).toMatch(/inFlightTtlMs/);
    expect(invalid({ now: 5 })).toMatch(/now: expected a function/);
    expect(invalid(null)).toMatch(/INVALID_OPTIONS/);
    expect(invalid({})).toBe('accepted');
  });
});
