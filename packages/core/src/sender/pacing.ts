import { createTokenBucket, type RateLimiter } from './rate-limiter.ts';
import type { StopSignal } from './deadlines.ts';
import type { ChatTransport, RateLimitOptions } from './types.ts';

/** The Connect API default quota (2/s, burst 5): for an operation whose own quota is not declared. */
const undeclaredOperationQuota: RateLimitOptions = Object.freeze({ requestsPerSecond: 2, burst: 5 });

/**
 * How one sender paces its transport: per operation, each to its own quota, when the transport
 * declares `quotas` and calls `pace`; otherwise one token per attempt.
 */
export interface Pacing {
  /**
   * Before each attempt: the wait for its token, or undefined when it was granted at once (or the
   * transport paces its operations). `writtenAt`: see {@link RateLimiter.acquire}.
   */
  attempt(signal: StopSignal, budgetMs: number, writtenAt?: number): Promise<void> | undefined;
  /** Before one call of `operation`, likewise; undefined at once for a transport paced per attempt. */
  operation(operation: string, signal: StopSignal, budgetMs: number, writtenAt?: number): Promise<void> | undefined;
  /**
   * What Connect said to the operations an attempt paced (`undefined`: the attempt's own bucket):
   * throttled halves their rate, anything else gives back a twentieth of the quota, up to it.
   * Connect's quota is shared with every other caller of the account, so the rate it grants moves.
   */
  adapt(operations: readonly string[] | undefined, throttled: boolean): void;
}

/** The lowest rate adaptation goes to: a fraction of the quota, never a stop. */
const minimumShare = 0.05;

/** Additive increase, multiplicative decrease of one bucket's rate, between a floor and its quota. */
function adaptRate(bucket: RateLimiter, quota: number, throttled: boolean): void {
  const next = throttled ? bucket.requestsPerSecond / 2 : bucket.requestsPerSecond + quota / 20;
  bucket.setRate(Math.min(quota, Math.max(quota * minimumShare, next)));
}

/** A token taken at once is no wait (no promise, no turn of the event loop); otherwise, the wait for one. */
function paced(bucket: RateLimiter, signal: StopSignal, budgetMs: number, writtenAt: number | undefined): Promise<void> | undefined {
  return !signal.aborted && bucket.tryTake() ? undefined : bucket.acquire(signal, budgetMs, writtenAt);
}

/**
 * @param rateLimit `'quota'`: each operation's documented quota; an object: that rate for every
 *   operation; `false`: no pacing.
 */
export function createPacing(transport: ChatTransport, rateLimit: RateLimitOptions | false | 'quota', defaultQuota: RateLimitOptions): Pacing {
  const none = (): undefined => undefined;
  if (rateLimit === false) return { attempt: none, operation: none, adapt: () => {} };
  const { quotas } = transport;
  if (quotas === undefined) {
    const quota = rateLimit === 'quota' ? (transport.quota ?? defaultQuota) : rateLimit;
    const bucket = createTokenBucket(quota);
    return {
      attempt: (signal, budgetMs, writtenAt) => paced(bucket, signal, budgetMs, writtenAt),
      operation: none,
      adapt: (_operations, throttled) => adaptRate(bucket, quota.requestsPerSecond, throttled),
    };
  }
  const buckets = new Map<string, { bucket: RateLimiter; quota: number }>();
  const bucketOf = (operation: string) => {
    let entry = buckets.get(operation);
    if (!entry) {
      const quota = rateLimit === 'quota' ? (quotas[operation] ?? undeclaredOperationQuota) : rateLimit;
      entry = { bucket: createTokenBucket(quota), quota: quota.requestsPerSecond };
      buckets.set(operation, entry);
    }
    return entry;
  };
  return {
    attempt: none,
    operation: (operation, signal, budgetMs, writtenAt) => paced(bucketOf(operation).bucket, signal, budgetMs, writtenAt),
    adapt(operations, throttled) {
      for (const operation of new Set(operations)) {
        const { bucket, quota } = bucketOf(operation);
        adaptRate(bucket, quota, throttled);
      }
    },
  };
}
