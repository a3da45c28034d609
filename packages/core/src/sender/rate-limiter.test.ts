import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTokenBucket } from './rate-limiter.ts';

describe('token bucket', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function track(promise: Promise<void>, log: string[], name: string) {
    promise.then(
      () => log.push(name),
      () => log.push(`${name} aborted`),
    );
  }

  it('lets a burst through at once, then one request per 1/rate seconds, in call order', async () => {
    const bucket = createTokenBucket({ requestsPerSecond: 2, burst: 3 });
    const signal = new AbortController().signal;
    const log: string[] = [];
    for (const name of ['a', 'b', 'c', 'd', 'e']) track(bucket.acquire(signal), log, name);
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['a', 'b', 'c']);
    expect(bucket.waiting).toBe(2);
    await vi.advanceTimersByTimeAsync(499);
    expect(log).toEqual(['a', 'b', 'c']);
    await vi.advanceTimersByTimeAsync(1);
    expect(log).toEqual(['a', 'b', 'c', 'd']);
    await vi.advanceTimersByTimeAsync(500);
    expect(log).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(bucket.waiting).toBe(0);
  });

  it('refuses at once a wait that cannot end within the budget, and queues one that can', async () => {
    const bucket = createTokenBucket({ requestsPerSecond: 2, burst: 1 });
    const signal = new AbortController().signal;
    const log: string[] = [];
    await bucket.acquire(signal, 0);
    // One token every 500 ms: the next caller waits 500 ms, the one after it 1,000 ms.
    track(bucket.acquire(signal, 600), log, 'fits');
    const refused = bucket.acquire(signal, 600);
    await expect(refused).rejects.toMatchObject({ name: 'RateLimitWaitTooLong' });
    expect(bucket.waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(log).toEqual(['fits']);
  });

  it('serves the message written first before younger ones queued ahead of it', async () => {
    const bucket = createTokenBucket({ requestsPerSecond: 10, burst: 1 });
    const signal = new AbortController().signal;
    const log: string[] = [];
    await bucket.acquire(signal);
    track(bucket.acquire(signal, 10_000, 3_000), log, 'young');
    track(bucket.acquire(signal, 10_000, 2_000), log, 'younger than old');
    track(bucket.acquire(signal, 10_000, 1_000), log, 'old');
    track(bucket.acquire(signal, 10_000), log, 'written now');
    await vi.advanceTimersByTimeAsync(400);
    expect(log).toEqual(['old', 'younger than old', 'young', 'written now']);
  });

  it('refuses a younger waiter whose turn an older message pushes past its budget, keeping those that still fit', async () => {
    const bucket = createTokenBucket({ requestsPerSecond: 10, burst: 1 });
    const signal = new AbortController().signal;
    const log: string[] = [];
    await bucket.acquire(signal);
    // Turns at 100 and 200 ms; the second may wait 250 ms at most.
    track(bucket.acquire(signal, 1_000, 5_000), log, 'patient');
    track(bucket.acquire(signal, 250, 6_000), log, 'hurried');
    // Older than both: first in line, so the hurried one's turn would come at 300 ms.
    track(bucket.acquire(signal, 1_000, 1_000), log, 'old');
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['hurried aborted']);
    await vi.advanceTimersByTimeAsync(200);
    expect(log).toEqual(['hurried aborted', 'old', 'patient']);
  });

  it('never lets an older message in when its own turn would pass its budget', async () => {
    const bucket = createTokenBucket({ requestsPerSecond: 10, burst: 1 });
    const signal = new AbortController().signal;
    await bucket.acquire(signal);
    const log: string[] = [];
    track(bucket.acquire(signal, 1_000, 5_000), log, 'waiting');
    await expect(bucket.acquire(signal, 50, 1_000)).rejects.toMatchObject({ name: 'RateLimitWaitTooLong' });
    await vi.advanceTimersByTimeAsync(100);
    expect(log).toEqual(['waiting']);
  });

  it('refills up to the burst while idle, never beyond', async () => {
    const bucket = createTokenBucket({ requestsPerSecond: 10, burst: 2 });
    const signal = new AbortController().signal;
    await bucket.acquire(signal);
    await bucket.acquire(signal);
    await vi.advanceTimersByTimeAsync(60_000);
    const log: string[] = [];
    for (const name of ['a', 'b', 'c']) track(bucket.acquire(signal), log, name);
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(100);
    expect(log).toEqual(['a', 'b', 'c']);
  });

  it('drops a waiter whose signal aborts, and the next waiter keeps its place', async () => {
    const bucket = createTokenBucket({ requestsPerSecond: 1, burst: 1 });
    const log: string[] = [];
    const never = new AbortController().signal;
    const cancelled = new AbortController();
    track(bucket.acquire(never), log, 'a');
    track(bucket.acquire(cancelled.signal), log, 'b');
    track(bucket.acquire(never), log, 'c');
    await vi.advanceTimersByTimeAsync(0);
    cancelled.abort(new Error('deadline'));
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['a', 'b aborted']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(log).toEqual(['a', 'b aborted', 'c']);
  });

  it('rejects at once with an already aborted signal', async () => {
    const bucket = createTokenBucket({ requestsPerSecond: 1, burst: 1 });
    const reason = new Error('gone');
    await expect(bucket.acquire(AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it('supports rates below one per second', async () => {
    const bucket = createTokenBucket({ requestsPerSecond: 0.5, burst: 1 });
    const signal = new AbortController().signal;
    const log: string[] = [];
    track(bucket.acquire(signal), log, 'a');
    track(bucket.acquire(signal), log, 'b');
    await vi.advanceTimersByTimeAsync(1_999);
    expect(log).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(1);
    expect(log).toEqual(['a', 'b']);
  });

  it('takes a token at once only while one is free and nobody waits: a waiter keeps its turn', async () => {
    const bucket = createTokenBucket({ requestsPerSecond: 2, burst: 1 });
    const signal = new AbortController().signal;
    const log: string[] = [];
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
    track(bucket.acquire(signal), log, 'waiter');
    // A token is due, and the waiter's timer has not run yet: the token is the waiter's.
    vi.setSystemTime(Date.now() + 600);
    expect(bucket.tryTake()).toBe(false);
    await vi.advanceTimersByTimeAsync(500);
    expect(log).toEqual(['waiter']);
    expect(bucket.waiting).toBe(0);
  });
});
