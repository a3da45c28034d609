import { describe, expect, it } from 'vitest';
import { type ChatQueue, createChatQueue } from './chat-queue.ts';

const open = () => new AbortController().signal;

/** A turn as a promise, whether the line answered at once or later. */
const acquire = (queue: ChatQueue, key: string, signal: AbortSignal) => Promise.resolve(queue.acquire(key, signal));

describe('chat queue', () => {
  it('answers a free line at once, without a promise, and the next caller waits for its release', async () => {
    const queue = createChatQueue();
    const first = queue.acquire('k', open());
    expect(typeof first).toBe('function');
    const second = queue.acquire('k', open());
    expect(second).toBeInstanceOf(Promise);
    (first as () => void)();
    (await second)();
    expect(queue.size).toBe(0);
  });

  it('runs one holder per key, in acquire order; other keys do not wait', async () => {
    const queue = createChatQueue();
    const log: string[] = [];
    const a1 = acquire(queue, 'a', open());
    const granted = (name: string) => (release: () => void) => {
      log.push(name);
      return release;
    };
    const a2 = acquire(queue, 'a', open()).then(granted('a2'));
    const a3 = acquire(queue, 'a', open()).then(granted('a3'));
    const b1 = await acquire(queue, 'b', open());
    log.push('b1');
    expect(log).toEqual(['b1']);
    (await a1)();
    (await a2)();
    (await a3)();
    b1();
    expect(log).toEqual(['b1', 'a2', 'a3']);
    expect(queue.size).toBe(0);
  });

  it('an aborted waiter leaves the line without letting the next overtake the running holder', async () => {
    const queue = createChatQueue();
    const release1 = await acquire(queue, 'k', open());
    const cancelled = new AbortController();
    const second = acquire(queue, 'k', cancelled.signal);
    let thirdGranted = false;
    const third = acquire(queue, 'k', open()).then((release) => {
      thirdGranted = true;
      return release;
    });
    cancelled.abort(new Error('deadline'));
    await expect(second).rejects.toThrow('deadline');
    await Promise.resolve();
    expect(thirdGranted).toBe(false);
    release1();
    (await third)();
    expect(thirdGranted).toBe(true);
    expect(queue.size).toBe(0);
  });

  it('ignores a second release', async () => {
    const queue = createChatQueue();
    const release = await acquire(queue, 'k', open());
    const next = acquire(queue, 'k', open());
    release();
    release();
    const releaseNext = await next;
    let thirdGranted = false;
    const third = acquire(queue, 'k', open()).then((r) => {
      thirdGranted = true;
      return r;
    });
    await Promise.resolve();
    expect(thirdGranted).toBe(false);
    releaseNext();
    (await third)();
  });
});
