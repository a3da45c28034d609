import { describe, expect, it } from 'vitest';
import { parseRateLimit } from './parse-rate-limit.ts';

describe('parseRateLimit', () => {
  it.each([
    ['2/5', { requestsPerSecond: 2, burst: 5 }],
    [' 0.5 / 1 ', { requestsPerSecond: 0.5, burst: 1 }],
    ['10/20', { requestsPerSecond: 10, burst: 20 }],
    ['off', false],
    ['OFF', false],
  ] as const)('reads %j', (value, expected) => {
    expect(parseRateLimit(value)).toEqual(expected);
  });

  it.each(['', '2', '2/', '/5', '0/5', '2/0', '2/1.5', '-1/5', 'two/five', '2/5/1', 'on'])('refuses %j with a clear message', (value) => {
    expect(() => parseRateLimit(value)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining('expected "<requests per second>/<burst>"') }),
    );
  });

  it('refuses a non-string', () => {
    expect(() => parseRateLimit(5 as unknown as string)).toThrow('rate limit: expected a string such as "2/5" or "off", got number');
  });
});
