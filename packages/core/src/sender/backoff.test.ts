import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay (full jitter)', () => {
  it('doubles the ceiling each retry up to the cap', () => {
    const top = () => 0.999_999;
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(retry, 100, 2_000, top))).toEqual([99, 199, 399, 799, 1_599, 1_999]);
  });

  it('draws anywhere from zero to the ceiling', () => {
    expect(backoffDelay(3, 100, 2_000, () => 0)).toBe(0);
    expect(backoffDelay(3, 100, 2_000, () => 0.5)).toBe(200);
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(4, 100, 2_000);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(800);
    }
  });
});
