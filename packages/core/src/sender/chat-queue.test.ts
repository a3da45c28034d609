import { describe, expect, it } from 'vitest';
import { createChatQueue } from './chat-queue.ts';

const open = () => new AbortController().signal;

describe('chat queue', () => {
  it('runs one holder per key, in acquire order; other keys do not wait', async () => {
    const queue = createChatQueue();
    const log: string[] = [];
    const a1 = queue.acquire('a', open());
    const granted = (name: string) => (release: () => void) => {
      log.push(name);
      return release;
    };
    const a2 = queue.acquire('a', open()).then(granted('a2'));
    const a3 = queue.acquire('a', open()).then(granted('a3'));
    const b1 = await queue.acquire('b', open());
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
    const release1 = await queue.acquire('k', open());
    const cancelled = new AbortController();
    const second = queue.acquire('k', cancelled.signal);
    let thirdGranted = false;
    const third = queue.acquire('k', open()).then((release) => {
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
    const release = await queue.acquire('k', open());
    const next = queue.acquire('k', open());
    release();
    release();
    const releaseNext = await next;
    let thirdGranted = false;
    const third = queue.acquire('k', open()).then((r) => {
      thirdGranted = true;
      return r;
    });
    await Promise.resolve();
    expect(thirdGranted).toBe(false);
    releaseNext();
    (await third)();
  });
});
