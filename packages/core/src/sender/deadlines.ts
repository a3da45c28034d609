/** Why a send stopped waiting: its deadline ran out, or the caller's signal fired. */
export class Stop {
  constructor(
    readonly kind: 'deadline' | 'caller',
    readonly reason?: unknown,
  ) {}
}

/**
 * What a wait needs of an abort signal (its chat's turn, a rate-limit token, a backoff): an
 * `AbortSignal` is one, and so is a send's {@link SendDeadline}.
 */
export interface StopSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * One send's deadline: it stops at `ms` from now or with the caller's signal, whichever comes first,
 * and from then on no new wait or attempt starts. A plain object, not an `AbortController`: nearly
 * every send ends before either, and on Node 20 an `AbortSignal` (an `EventTarget`) costs 4–6 µs to
 * create, several times the rest of the deadline's work. Listeners are called once, in the order
 * added, when it stops.
 *
 * @example
 * const deadline = new SendDeadline(10_000, options.signal);
 * try { await sleep(250, deadline); } finally { deadline.dispose(); }
 */
export class SendDeadline implements StopSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: Set<() => void> | undefined;
  private readonly endsAt: number;
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly onCallerAbort: (() => void) | undefined;

  /** @param callerSignal The caller's own signal: the only one that also cuts an attempt already sent. */
  constructor(
    ms: number,
    readonly callerSignal: AbortSignal | undefined,
  ) {
    this.endsAt = Date.now() + ms;
    this.timer = setTimeout(() => this.stop(new Stop('deadline')), ms);
    if (callerSignal === undefined) return;
    this.onCallerAbort = () => this.stop(new Stop('caller', callerSignal.reason));
    if (callerSignal.aborted) this.onCallerAbort();
    else callerSignal.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  remainingMs(): number {
    return this.endsAt - Date.now();
  }

  addEventListener(type: 'abort', listener: () => void): void {
    if (type !== 'abort' || this.aborted) return;
    this.listeners ??= new Set();
    this.listeners.add(listener);
  }

  removeEventListener(type: 'abort', listener: () => void): void {
    if (type === 'abort') this.listeners?.delete(listener);
  }

  /** Ends the timer and lets go of the caller's signal; call it once the send ended. */
  dispose(): void {
    clearTimeout(this.timer);
    if (this.onCallerAbort !== undefined) this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }

  private stop(reason: Stop): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.dispose();
    const listeners = this.listeners;
    this.listeners = undefined;
    for (const listener of listeners ?? []) listener();
  }
}

/** How long a timer that fired late gives the answers that arrived meanwhile to be read. */
const stallGraceMs = 100;

/** An attempt's timeout: its signal, whether it fired, and a clock that can stand still. */
export interface AttemptTimeout {
  signal: AbortSignal;
  readonly timedOut: boolean;
  /** Stops the clock (a call waits for its rate-limit token); a no-op once it fired. */
  hold(): void;
  /** Starts a whole `ms` again from now (the call goes on the wire); a no-op once it fired or was disposed. */
  resume(): void;
  dispose(): void;
}

/**
 * A signal for one attempt on the wire, which aborts with the caller's signal (if any) or after
 * `ms`, whichever comes first. A timer that fires late — this process was stalled (a long GC pause,
 * a starved CPU) — first gives the answer that arrived meanwhile {@link stallGraceMs} to be read:
 * aborting it would report a message Connect accepted as failed, and its retry would send it twice.
 *
 * @example
 * const timeout = attemptTimeout(deadline.callerSignal, 5_000);
 * try { return await transport.send(event, { ...identity, signal: timeout.signal, pace }); } finally { timeout.dispose(); }
 */
export function attemptTimeout(parent: AbortSignal | undefined, ms: number): AttemptTimeout {
  const controller = new AbortController();
  const state = { timedOut: false, disposed: false };
  const onParentAbort = () => controller.abort(new Stop('caller', parent?.reason));
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  const expire = () => {
    state.timedOut = true;
    controller.abort(new Stop('deadline'));
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const start = () => {
    const due = performance.now() + ms;
    timer = setTimeout(() => {
      if (performance.now() - due > stallGraceMs / 2) timer = setTimeout(expire, stallGraceMs);
      else expire();
    }, ms);
  };
  start();
  return {
    signal: controller.signal,
    get timedOut() {
      return state.timedOut;
    },
    hold: () => clearTimeout(timer),
    resume: () => {
      clearTimeout(timer);
      if (!controller.signal.aborted && !state.disposed) start();
    },
    dispose: () => {
      state.disposed = true;
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}
