/** Why a send stopped waiting: its deadline ran out, or the caller's signal fired. */
export class Stop {
  constructor(
    readonly kind: 'deadline' | 'caller',
    readonly reason?: unknown,
  ) {}
}

/**
 * What a wait needs of an abort signal (its chat's turn, a rate-limit token, a backoff, a call on
 * undici): an `AbortSignal` is one, and so are a send's {@link SendDeadline} and an attempt's timeout.
 */
export interface StopSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * What stops and says so to its listeners — a send's deadline, an attempt's timeout. Not an
 * `EventTarget`: on Node 20 an `AbortSignal` costs 4–6 µs to create and 3–4 µs more per listener,
 * several times the rest of this work, and nearly every send ends before either stops. Listeners
 * are called once, in the order added, when it stops.
 */
abstract class StopSource implements StopSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: Set<() => void> | undefined;

  addEventListener(type: 'abort', listener: () => void): void {
    if (type !== 'abort' || this.aborted) return;
    this.listeners ??= new Set();
    this.listeners.add(listener);
  }

  removeEventListener(type: 'abort', listener: () => void): void {
    if (type === 'abort') this.listeners?.delete(listener);
  }

  /** Ends timers and lets go of other signals; called before the listeners. */
  abstract dispose(): void;

  protected stop(reason: Stop): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.dispose();
    const listeners = this.listeners;
    this.listeners = undefined;
    for (const listener of listeners ?? []) listener();
  }
}

/**
 * One send's deadline: it stops at `ms` from now or with the caller's signal, whichever comes first,
 * and from then on no new wait or attempt starts.
 *
 * @example
 * const deadline = new SendDeadline(10_000, options.signal);
 * try { await sleep(250, deadline); } finally { deadline.dispose(); }
 */
export class SendDeadline extends StopSource {
  private readonly endsAt: number;
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly onCallerAbort: (() => void) | undefined;

  /** @param callerSignal The caller's own signal: the only one that also cuts an attempt already sent. */
  constructor(
    ms: number,
    readonly callerSignal: AbortSignal | undefined,
  ) {
    super();
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

  /** Ends the timer and lets go of the caller's signal; call it once the send ended. */
  dispose(): void {
    clearTimeout(this.timer);
    if (this.onCallerAbort !== undefined) this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }
}

/** How long a timer that fired late gives the answers that arrived meanwhile to be read. */
const stallGraceMs = 100;

/**
 * An attempt's timeout: a {@link StopSignal} for core's own transports, the `AbortSignal` every
 * transport is handed (made when first read), whether it fired, and a clock that can stand still.
 */
export interface AttemptTimeout extends StopSignal {
  /** Made on first read, aborted with the same reason: a transport that never reads it costs none. */
  readonly signal: AbortSignal;
  readonly timedOut: boolean;
  /** Stops the clock (a call waits for its rate-limit token); a no-op once it fired. */
  hold(): void;
  /** Starts a whole `ms` again from now (the call goes on the wire); a no-op once it fired or was disposed. */
  resume(): void;
  dispose(): void;
}

/**
 * A stop for one attempt on the wire, with the caller's signal (if any) or after `ms`, whichever
 * comes first. A timer that fires late — this process was stalled (a long GC pause, a starved
 * CPU) — first gives the answer that arrived meanwhile {@link stallGraceMs} to be read: aborting
 * it would report a message Connect accepted as failed, and its retry would send it twice.
 *
 * @example
 * const timeout = attemptTimeout(deadline.callerSignal, 5_000);
 * try { return await transport.send(event, { ...identity, signal: timeout.signal, pace }); } finally { timeout.dispose(); }
 */
export function attemptTimeout(parent: AbortSignal | undefined, ms: number): AttemptTimeout {
  return new AttemptStop(parent, ms);
}

class AttemptStop extends StopSource implements AttemptTimeout {
  timedOut = false;
  private disposed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private controller: AbortController | undefined;
  private readonly onParentAbort: (() => void) | undefined;

  constructor(
    private readonly parent: AbortSignal | undefined,
    private readonly ms: number,
  ) {
    super();
    this.start();
    if (parent === undefined) return;
    this.onParentAbort = () => this.stop(new Stop('caller', parent.reason));
    if (parent.aborted) this.onParentAbort();
    else parent.addEventListener('abort', this.onParentAbort, { once: true });
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  hold(): void {
    clearTimeout(this.timer);
  }

  resume(): void {
    clearTimeout(this.timer);
    if (!this.aborted && !this.disposed) this.start();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    if (this.onParentAbort !== undefined) this.parent?.removeEventListener('abort', this.onParentAbort);
  }

  protected override stop(reason: Stop): void {
    super.stop(reason);
    // A no-op once aborted: the signal keeps the first reason, as the stop does.
    this.controller?.abort(this.reason);
  }

  private start(): void {
    const due = performance.now() + this.ms;
    this.timer = setTimeout(() => {
      if (performance.now() - due > stallGraceMs / 2) this.timer = setTimeout(() => this.expire(), stallGraceMs);
      else this.expire();
    }, this.ms);
  }

  private expire(): void {
    this.timedOut = true;
    this.stop(new Stop('deadline'));
  }
}

/**
 * An `AbortSignal` that aborts with `stop` (itself, when it is one): for APIs that take nothing
 * else, such as `fetch`.
 *
 * @example
 * await fetch(url, { signal: toAbortSignal(stop) });
 */
export function toAbortSignal(stop: StopSignal): AbortSignal {
  if (stop instanceof AbortSignal) return stop;
  const controller = new AbortController();
  if (stop.aborted) controller.abort(stop.reason);
  else stop.addEventListener('abort', () => controller.abort(stop.reason), { once: true });
  return controller.signal;
}

/** Where the sender puts an attempt's {@link StopSignal} in the options it hands a transport. */
export const attemptStop: unique symbol = Symbol('connect-chat.attemptStop');

/**
 * What stops a transport's call: the sender's light stop when the sender made the call, else the
 * `signal` the caller gave (core's transports are also called directly, in tests and by apps).
 *
 * @example
 * await undiciPool.request({ ...request, signal: stopOf(options) });
 */
export function stopOf(options: { signal: AbortSignal; [attemptStop]?: StopSignal }): StopSignal {
  return options[attemptStop] ?? options.signal;
}
