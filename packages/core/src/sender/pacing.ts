import { createTokenBucket, type RateLimiter } from './rate-limiter.ts';
import type { ChatTransport, RateLimitOptions } from './types.ts';

/** The Connect API default quota (2/s, burst 5): for an operation whose own quota is not declared. */
const undeclaredOperationQuota: RateLimitOptions = Object.freeze({ requestsPerSecond: 2, burst: 5 });

/**
 * How one sender paces its transport: per operation, each to its own quota, when the transport
 * declares `quotas` and calls `pace`; otherwise one token per attempt.
 */
export interface Pacing {
  /** Before each attempt; a no-op for a transport that paces its operations. */
  attempt(signal: AbortSignal, budgetMs: number): Promise<void>;
  /** Before one call of `operation`; a no-op for a transport paced per attempt. */
  operation(operation: string, signal: AbortSignal, budgetMs: number): Promise<void>;
}

/**
 * @param rateLimit `'quota'`: each operation's documented quota; an object: that rate for every
 *   operation; `false`: no pacing.
 */
export function createPacing(transport: ChatTransport, rateLimit: RateLimitOptions | false | 'quota', defaultQuota: RateLimitOptions): Pacing {
  const none = async (): Promise<void> => {};
  if (rateLimit === false) return { attempt: none, operation: none };
  const { quotas } = transport;
  if (quotas === undefined) {
    const bucket = createTokenBucket(rateLimit === 'quota' ? (transport.quota ?? defaultQuota) : rateLimit);
    return { attempt: (signal, budgetMs) => bucket.acquire(signal, budgetMs), operation: none };
  }
  const buckets = new Map<string, RateLimiter>();
  const bucketOf = (operation: string): RateLimiter => {
    let bucket = buckets.get(operation);
    if (!bucket) {
      bucket = createTokenBucket(rateLimit === 'quota' ? (quotas[operation] ?? undeclaredOperationQuota) : rateLimit);
      buckets.set(operation, bucket);
    }
    return bucket;
  };
  return { attempt: none, operation: (operation, signal, budgetMs) => bucketOf(operation).acquire(signal, budgetMs) };
}
