import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPacing } from './pacing.ts';
import type { ChatTransport } from './types.ts';

const transport: ChatTransport = { quotas: { SendMessage: { requestsPerSecond: 10, burst: 1 } }, send: async () => ({ NewChatCreated: false }) };
const never = new AbortController().signal;

/** Waits (fake time) for one SendMessage token; resolves with the fake time it was granted. */
async function take(pacing: ReturnType<typeof createPacing>): Promise<number> {
  let grantedAt: number | undefined;
  const waiting = pacing.operation('SendMessage', never, 60_000);
  // Granted at once: no wait to follow.
  if (waiting === undefined) return Date.now();
  void waiting.then(() => {
    grantedAt = Date.now();
  });
  await vi.advanceTimersByTimeAsync(0);
  while (grantedAt === undefined) await vi.advanceTimersByTimeAsync(10);
  return grantedAt;
}

/** The time between two tokens taken back to back: the bucket's current rate. */
async function gapAfterOne(pacing: ReturnType<typeof createPacing>): Promise<number> {
  const first = await take(pacing);
  return (await take(pacing)) - first;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createPacing adapts to throttling (additive increase, multiplicative decrease)', () => {
  it('halves an operation’s rate when Connect throttles it, and earns it back on success up to the quota', async () => {
    vi.useFakeTimers();
    const pacing = createPacing(transport, 'quota', { requestsPerSecond: 17, burst: 26 });
    expect(await gapAfterOne(pacing)).toBeLessThanOrEqual(110); // 10/s
    pacing.adapt(['SendMessage'], true);
    expect(await gapAfterOne(pacing)).toBeGreaterThanOrEqual(190); // 5/s
    pacing.adapt(['SendMessage'], true);
    expect(await gapAfterOne(pacing)).toBeGreaterThanOrEqual(390); // 2.5/s
    for (let i = 0; i < 40; i++) pacing.adapt(['SendMessage'], false);
    expect(await gapAfterOne(pacing)).toBeLessThanOrEqual(110); // back to the quota, never above
  });

  it('never stops: the rate floors at a twentieth of the quota', async () => {
    vi.useFakeTimers();
    const pacing = createPacing(transport, 'quota', { requestsPerSecond: 17, burst: 26 });
    for (let i = 0; i < 20; i++) pacing.adapt(['SendMessage'], true);
    const gap = await gapAfterOne(pacing);
    expect(gap).toBeGreaterThanOrEqual(1_900);
    expect(gap).toBeLessThanOrEqual(2_100);
  });
});
