import { describe, expect, it } from 'vitest';
import { FaultInjector, validateFaults } from './faults.ts';
import { TokenBucket } from './token-bucket.ts';

describe('TokenBucket', () => {
  it('gives the burst at once, then refills at the rate, never above the burst', () => {
    let now = 0;
    const bucket = new TokenBucket(2, 3, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now = 499;
    expect(bucket.take()).toBe(false);
    now = 500;
    expect(bucket.take()).toBe(true);
    now = 60_000;
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });
});

describe('FaultInjector', () => {
  it('answers failNext before the quota and the error rates, then draws from the rates by status', () => {
    const draws = [0.05, 0.35, 0.95];
    const injector = new FaultInjector({ failNext: [{ error: 'AccessDeniedException' }], errorRates: { 400: 0.1, 500: 0.3 } }, () => draws.shift() ?? 1);
    expect(injector.next()).toBe('AccessDeniedException');
    expect(injector.current().failNext).toBeUndefined();
    expect(injector.next()).toBe('InvalidRequestException');
    expect(injector.next()).toBe('InternalServiceException');
    expect(injector.next()).toBeUndefined();
  });

  it('keeps the caller from changing faults in force through the object it passed', () => {
    const faults = { failNext: [{ error: 'ThrottlingException' as const, count: 1 }] };
    const injector = new FaultInjector(faults);
    faults.failNext[0]!.count = 5;
    expect(injector.next()).toBe('ThrottlingException');
    expect(injector.next()).toBeUndefined();
  });
});

describe('validateFaults', () => {
  it('defaults count to 1 and keeps what is valid', () => {
    expect(validateFaults({ failNext: [{ error: 'ThrottlingException' }], latencyMs: 0, errorRates: { 429: 0.5 } }, 'faults')).toEqual({
      failNext: [{ error: 'ThrottlingException', count: 1 }],
      latencyMs: 0,
      errorRates: { 429: 0.5 },
    });
  });

  it.each([
    [null, 'faults: expected an object'],
    [{ errorRates: { 418: 0.5 } }, 'faults.errorRates: expected statuses among 400, 403, 404, 429, 500, got "418"'],
    [{ errorRates: { 500: 1.5 } }, 'faults.errorRates.500: expected a probability 0..1, got 1.5'],
    [{ quota: { requestsPerSecond: 1, burst: 0.5 } }, 'faults.quota.burst: expected an integer of at least 1, got 0.5'],
    [{ failNext: 'ThrottlingException' }, 'faults.failNext: expected an array'],
    [{ latencyMs: 1e9 }, 'faults.latencyMs: expected an integer 0..120000'],
  ])('rejects %j', (faults, message) => {
    expect(() => validateFaults(faults, 'faults')).toThrow(message);
  });
});
