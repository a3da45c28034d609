import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sleep } from './backoff.ts';
import { createChatQueue } from './chat-queue.ts';
import { SendDeadline, Stop } from './deadlines.ts';

describe('send deadline', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stops at its time, once, calling each listener in the order added and never a removed one', () => {
    const deadline = new SendDeadline(1_000, undefined);
    const calls: string[] = [];
    const removed = () => calls.push('removed');
    deadline.addEventListener('abort', () => calls.push('first'));
    deadline.addEventListener('abort', removed);
    deadline.addEventListener('abort', () => calls.push('second'));
    deadline.removeEventListener('abort', removed);
    vi.advanceTimersByTime(999);
    expect(deadline.aborted).toBe(false);
    expect(deadline.remainingMs()).toBe(1);
    vi.advanceTimersByTime(1);
    expect(deadline.aborted).toBe(true);
    expect(deadline.reason).toEqual(new Stop('deadline'));
    expect(calls).toEqual(['first', 'second']);
    vi.advanceTimersByTime(10_000);
    expect(calls).toEqual(['first', 'second']);
  });

  it("stops with the caller's signal, carrying its reason, and a waiter on it rejects with the deadline's reason", async () => {
    const caller = new AbortController();
    const deadline = new SendDeadline(60_000, caller.signal);
    const waiting = sleep(30_000, deadline);
    caller.abort(new Error('client went away'));
    await expect(waiting).rejects.toEqual(new Stop('caller', new Error('client went away')));
    expect(deadline.reason).toBeInstanceOf(Stop);
    expect((deadline.reason as Stop).kind).toBe('caller');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('starts stopped when the caller aborted already, and what waits on it stops at once', async () => {
    const deadline = new SendDeadline(60_000, AbortSignal.abort('gone'));
    expect(deadline.aborted).toBe(true);
    expect(deadline.reason).toEqual(new Stop('caller', 'gone'));
    await expect(createChatQueue().acquire('chat', deadline)).rejects.toEqual(new Stop('caller', 'gone'));
    expect(vi.getTimerCount()).toBe(0);
  });

  it("once disposed, neither its time nor the caller's signal stops it, and it holds no timer", () => {
    const caller = new AbortController();
    const deadline = new SendDeadline(1_000, caller.signal);
    deadline.dispose();
    expect(vi.getTimerCount()).toBe(0);
    caller.abort();
    vi.advanceTimersByTime(2_000);
    expect(deadline.aborted).toBe(false);
  });
});
