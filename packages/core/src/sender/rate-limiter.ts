import type { RateLimitOptions } from './types.ts';
import type { StopSignal } from './deadlines.ts';

/**
 * Waits for permission to call Connect. Waiters are served oldest message first: by `writtenAt`,
 * then in call order, so a burst queues in call order and, under a backlog, a message its provider
 * has been retrying for a while gets the next turn before one that just arrived.
 */
export interface RateLimiter {
  /**
   * Resolves when a token is taken; rejects with `signal.reason` when the signal aborts first, and
   * with a {@link RateLimitWaitTooLong} when its turn cannot come within `budgetMs` — at once, or
   * later when older messages queued ahead of it push its turn past that budget.
   * @param writtenAt When the message was written (ms since the epoch); default: now.
   */
  acquire(signal: StopSignal, budgetMs?: number, writtenAt?: number): Promise<void>;
  /** Takes a token if one is free and nobody waits for one: what `acquire` grants at once. */
  tryTake(): boolean;
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
  signal: StopSignal;
  onAbort(): void;
  writtenAt: number;
  /** When its budget ends (the clock of `now`). */
  latestAt: number;
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

  const tryTake = (): boolean => {
    refill();
    if (queue.length > 0 || tokens < 1) return false;
    tokens -= 1;
    return true;
  };

  return {
    tryTake,
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
    acquire(signal, budgetMs = Number.POSITIVE_INFINITY, writtenAt = Date.now()) {
      if (signal.aborted) return Promise.reject(signal.reason);
      if (tryTake()) return Promise.resolve();
      // Its place: behind every waiter written no later than it.
      let place = queue.length;
      while (place > 0 && queue[place - 1]!.writtenAt > writtenAt) place--;
      const waitMs = turnInMs(place);
      if (waitMs > budgetMs) return Promise.reject(new RateLimitWaitTooLong(waitMs));
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          resolve,
          reject,
          signal,
          writtenAt,
          latestAt: now() + budgetMs,
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
        queue.splice(place, 0, waiter);
        refuseLate(place + 1);
        if (timer === undefined) drain();
      });
    },
  };

  /** How long until the waiter at `place` gets its token: everyone ahead, then it, each needs a whole one. */
  function turnInMs(place: number): number {
    return ((place + 1 - tokens) / requestsPerSecond) * 1000;
  }

  /** Waiters from `from` on were each pushed one turn later: those whose turn now passes their budget are refused. */
  function refuseLate(from: number): void {
    const at = now();
    for (let place = from; place < queue.length; ) {
      const waiter = queue[place]!;
      const waitMs = turnInMs(place);
      if (at + waitMs <= waiter.latestAt) {
        place++;
        continue;
      }
      queue.splice(place, 1);
      waiter.signal.removeEventListener('abort', waiter.onAbort);
      waiter.reject(new RateLimitWaitTooLong(waitMs));
    }
  }
}
