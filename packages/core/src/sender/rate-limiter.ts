import type { RateLimitOptions } from './types.ts';

/** Waits for permission to call Connect; FIFO, so a burst queues in call order. */
export interface RateLimiter {
  /**
   * Resolves when a token is taken; rejects with `signal.reason` when the signal aborts first, and
   * at once with a {@link RateLimitWaitTooLong} when the queue ahead cannot clear within `budgetMs`.
   */
  acquire(signal: AbortSignal, budgetMs?: number): Promise<void>;
  /** Sends waiting for a token. */
  readonly waiting: number;
  /** Tokens added per second now (it changes when the rate adapts). */
  readonly requestsPerSecond: number;
  /** Changes the refill rate from now on; a sleeper wakes on the new schedule. */
  setRate(requestsPerSecond: number): void;
}

/** The wait for a token would outlast the caller's deadline: failing now beats failing later. */
export class RateLimitWaitTooLong extends Error {
  constructor(readonly waitMs: number) {
    super(`a rate-limit wait of about ${Math.ceil(waitMs)} ms`);
    this.name = 'RateLimitWaitTooLong';
  }
}

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
  signal: AbortSignal;
  onAbort(): void;
}

/**
 * A token bucket: `burst` tokens, refilled at `requestsPerSecond`. Options are validated by the
 * sender; `now` is injectable so tests can drive time.
 */
export function createTokenBucket(options: RateLimitOptions, now: () => number = Date.now): RateLimiter {
  const { burst } = options;
  let { requestsPerSecond } = options;
  let tokens = burst;
  let refilledAt = now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const queue: Waiter[] = [];

  const refill = () => {
    const at = now();
    tokens = Math.min(burst, tokens + ((at - refilledAt) / 1000) * requestsPerSecond);
    refilledAt = at;
  };

  const release = (waiter: Waiter) => {
    waiter.signal.removeEventListener('abort', waiter.onAbort);
    waiter.resolve();
  };

  const drain = () => {
    timer = undefined;
    refill();
    while (queue.length > 0 && tokens >= 1) {
      tokens -= 1;
      release(queue.shift()!);
    }
    if (queue.length > 0) {
      // Sleep exactly until the next whole token; rounding up avoids waking a hair too early.
      timer = setTimeout(drain, Math.ceil(((1 - tokens) / requestsPerSecond) * 1000));
    }
  };

  return {
    get waiting() {
      return queue.length;
    },
    get requestsPerSecond() {
      return requestsPerSecond;
    },
    setRate(next) {
      refill();
      requestsPerSecond = next;
      if (timer !== undefined) {
        clearTimeout(timer);
        drain();
      }
    },
    acquire(signal, budgetMs = Number.POSITIVE_INFINITY) {
      if (signal.aborted) return Promise.reject(signal.reason);
      refill();
      if (queue.length === 0 && tokens >= 1) {
        tokens -= 1;
        return Promise.resolve();
      }
      // Everyone ahead, then this caller, each needs a whole token at the refill rate.
      const waitMs = ((queue.length + 1 - tokens) / requestsPerSecond) * 1000;
      if (waitMs > budgetMs) return Promise.reject(new RateLimitWaitTooLong(waitMs));
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          resolve,
          reject,
          signal,
          onAbort: () => {
            const index = queue.indexOf(waiter);
            if (index >= 0) queue.splice(index, 1);
            if (queue.length === 0 && timer !== undefined) {
              clearTimeout(timer);
              timer = undefined;
            }
            reject(signal.reason);
          },
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
        queue.push(waiter);
        if (timer === undefined) drain();
      });
    },
  };
}
