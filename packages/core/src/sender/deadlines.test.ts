import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sleep } from './backoff.ts';
import { createChatQueue } from './chat-queue.ts';
import { attemptTimeout, SendDeadline, Stop, stopOf, toAbortSignal } from './deadlines.ts';

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

describe('attempt timeout', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stops after its time, calling each listener once, and its AbortSignal read before aborts with it', () => {
    const attempt = attemptTimeout(undefined, 500);
    const signal = attempt.signal;
    const calls: string[] = [];
    attempt.addEventListener('abort', () => calls.push('stop'));
    signal.addEventListener('abort', () => calls.push('signal'));
    vi.advanceTimersByTime(499);
    expect([attempt.aborted, signal.aborted, attempt.timedOut]).toEqual([false, false, false]);
    vi.advanceTimersByTime(1);
    expect([attempt.aborted, signal.aborted, attempt.timedOut]).toEqual([true, true, true]);
    expect(signal.reason).toEqual(new Stop('deadline'));
    expect(calls).toEqual(['stop', 'signal']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('hands an AbortSignal first read after it stopped already aborted, with the same reason', () => {
    const caller = new AbortController();
    const attempt = attemptTimeout(caller.signal, 500);
    caller.abort('client went away');
    expect(attempt.timedOut).toBe(false);
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.signal.reason).toEqual(new Stop('caller', 'client went away'));
    expect(attempt.signal).toBe(attempt.signal);
  });

  it('stands still while held and counts a whole time again from resume; disposed, it never stops', () => {
    const attempt = attemptTimeout(undefined, 500);
    vi.advanceTimersByTime(400);
    attempt.hold();
    vi.advanceTimersByTime(10_000);
    expect(attempt.aborted).toBe(false);
    attempt.resume();
    vi.advanceTimersByTime(499);
    expect(attempt.aborted).toBe(false);
    attempt.dispose();
    attempt.resume();
    vi.advanceTimersByTime(1_000);
    expect(attempt.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("lets a transport called without the sender stop on the caller's AbortSignal", () => {
    const controller = new AbortController();
    expect(stopOf({ signal: controller.signal })).toBe(controller.signal);
    expect(toAbortSignal(controller.signal)).toBe(controller.signal);
  });

  it('makes an AbortSignal that follows a light stop, for fetch', () => {
    const attempt = attemptTimeout(undefined, 500);
    const before = toAbortSignal(attempt);
    vi.advanceTimersByTime(500);
    expect(before.reason).toEqual(new Stop('deadline'));
    expect(toAbortSignal(attempt).reason).toEqual(new Stop('deadline'));
  });
});
