import { ConnectChatError } from '../errors/connect-chat-error.ts';
import type { RateLimitOptions } from './types.ts';

/**
 * Reads the bridges' `CONNECT_RATE_LIMIT` value: `"<requests per second>/<burst>"` (e.g. `2/5`,
 * `0.5/1`) or `off`. Throws INVALID_OPTIONS for anything else.
 *
 * @example
 * const rateLimit = parseRateLimit(process.env.CONNECT_RATE_LIMIT ?? '17/26'); // { requestsPerSecond: 17, burst: 26 }
 * const sender = createSender({ rateLimit });
 */
export function parseRateLimit(value: string): RateLimitOptions | false {
  if (typeof value !== 'string') throw new ConnectChatError('INVALID_OPTIONS', `rate limit: expected a string such as "2/5" or "off", got ${typeof value}`);
  const text = value.trim();
  if (text.toLowerCase() === 'off') return false;
  const match = /^(\d+(?:\.\d+)?)\s*\/\s*(\d+)$/.exec(text);
  const requestsPerSecond = Number(match?.[1]);
  const burst = Number(match?.[2]);
  if (!match || !(requestsPerSecond > 0) || !(burst >= 1) || !Number.isSafeInteger(burst)) {
    throw new ConnectChatError(
      'INVALID_OPTIONS',
      `rate limit: expected "<requests per second>/<burst>" with a positive rate and a whole burst of at least 1 (e.g. "2/5"), or "off"; got ${JSON.stringify(value.slice(0, 40))}`,
    );
  }
  return { requestsPerSecond, burst };
}
