import { afterEach, describe, expect, it, vi } from 'vitest';
import { SendError } from '../errors/send-error.ts';
import { ValidationError } from '../errors/validation-error.ts';
import type { Logger } from '../logger.ts';
import { textMessage } from '../model/builders.ts';
import type { ChatIntegrationEvent } from '../model/types.ts';
import { createSender } from './sender.ts';
import type { ChatTransport, SenderOptions, TransportResult } from './types.ts';

interface Call {
  event: ChatIntegrationEvent;
  signal: AbortSignal;
  resolve(result: TransportResult): void;
  reject(error: unknown): void;
}

/** A transport whose every call waits until the test answers it (the ChatTransport contract). */
function scriptedTransport() {
  const calls: Call[] = [];
  const transport: ChatTransport = {
    send: (event, { signal }) =>
      new Promise((resolve, reject) => {
        calls.push({ event, signal, resolve, reject });
        signal.addEventListener('abort', () => reject(new SendError('NETWORK_ERROR', 'aborted')));
      }),
  };
  return { transport, calls };
}

function recordingLogger() {
  const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
  const logger: Logger = {
    debug: (message, fields) => lines.push(['debug', message, fields]),
    info: (message, fields) => lines.push(['info', message, fields]),
    warn: (message, fields) => lines.push(['warn', message, fields]),
    error: (message, fields) => lines.push(['error', message, fields]),
  };
  return { logger, lines };
}

const chat = (n = 1) => ({ SourceId: `+1415555010${n}`, DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/p', Subtype: 'connect:sms' });
const ok: TransportResult = { InitialContactId: 'c-1', NewChatCreated: true, requestId: 'r-1' };
const settle = () => vi.advanceTimersByTimeAsync(0);

afterEach(() => {
  vi.useRealTimers();
});

describe('createSender options', () => {
  it.each([
    [{ rateLimit: { requestsPerSecond: -1, burst: 5 } }, 'rateLimit.requestsPerSecond: expected a positive number, got -1'],
    [{ rateLimit: { requestsPerSecond: 2, burst: 0.5 } }, 'rateLimit.burst: expected a positive integer, got 0.5'],
    [{ rateLimit: { requestsPerSecond: 2 } }, 'rateLimit.burst: expected a positive integer, got nothing'],
    [{ rateLimit: true }, 'rateLimit: expected an object { requestsPerSecond, burst } or false, got true'],
    [{ retry: { maxAttempts: 0 } }, 'retry.maxAttempts: expected a positive integer, got 0'],
    [{ retry: { baseDelayMs: 500, maxDelayMs: 100 } }, 'retry.maxDelayMs: expected a number >= retry.baseDelayMs (500), got 100'],
    [{ retry: { attemptTimeoutMs: Number.NaN } }, 'retry.attemptTimeoutMs: expected a positive number, got NaN'],
    [{ deadlineMs: '10s' }, 'deadlineMs: expected a positive number, got "10s"'],
    [{ maxPending: 0 }, 'maxPending: expected a positive integer, got 0'],
    [{ allowUnknownSubtype: 'yes' }, 'allowUnknownSubtype: expected a boolean, got "yes"'],
    [{ hooks: { onSent: 'log' } }, 'hooks.onSent: expected a function, got "log"'],
    [{ hooks: { onSend() {} } }, 'hooks.onSend: unknown hook'],
    [{ logger: { info() {} } }, 'logger.debug: expected a function, got nothing'],
    [{ deadline: 5 }, 'deadline: unknown option'],
    [{ transport: { send: 1 } }, 'transport: expected an object with a send(event, { signal }) method'],
    [{ transport: { send: async () => ok }, region: 'us-east-1' }, 'region: not used when a transport is given'],
  ])('refuses %j', (options, message) => {
    expect(() => createSender({ region: 'us-east-1', ...options } as unknown as SenderOptions)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining(message) }),
    );
  });

  it('refuses bad send options', async () => {
    const sender = createSender({ transport: scriptedTransport().transport });
    await expect(sender.send(textMessage(chat(), 'x'), { deadlineMs: -5 })).rejects.toThrow('send options.deadlineMs: expected a positive number, got -5');
    await expect(sender.send(textMessage(chat(), 'x'), { signal: {} as AbortSignal })).rejects.toThrow('send options.signal: expected an AbortSignal');
  });
});

describe('createSender behaviour', () => {
  it('sends a snapshot of the event, so later mutation by the caller changes nothing', async () => {
    const { transport, calls } = scriptedTransport();
    const sender = createSender({ transport, rateLimit: false });
    const event = textMessage(chat(), 'original');
    const sending = sender.send(event);
    event.Event.Content = 'mutated';
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]?.event.Event.Content).toBe('original');
    calls[0]?.resolve(ok);
    expect(await sending).toEqual({ initialContactId: 'c-1', newChatCreated: true, requestId: 'r-1', attempts: 1 });
  });

  it('paces the message written first before younger ones waiting ahead of it (writtenAt)', async () => {
    const { transport, calls } = scriptedTransport();
    const sender = createSender({ transport, rateLimit: { requestsPerSecond: 20, burst: 1 } });
    const sends = [
      sender.send(textMessage(chat(1), 'takes the token')),
      sender.send(textMessage(chat(2), 'just arrived')),
      sender.send(textMessage(chat(3), 'retried for a minute'), { writtenAt: Date.now() - 60_000 }),
    ];
    await vi.waitFor(() => expect(calls).toHaveLength(3));
    expect(calls.map((call) => call.event.Event.Content)).toEqual(['takes the token', 'retried for a minute', 'just arrived']);
    for (const call of calls) call.resolve(ok);
    await Promise.all(sends);
    await expect(sender.send(textMessage(chat(4), 'x'), { writtenAt: Number.NaN })).rejects.toThrow(/send options.writtenAt/);
  });

  it('rejects invalid events with a ValidationError before calling the transport; allowUnknownSubtype opts in', async () => {
    const { transport, calls } = scriptedTransport();
    const strict = createSender({ transport, rateLimit: false });
    const telegram = { SourceId: 'tg-1', DestinationId: 'd', Subtype: 'connect:Telegram', Event: { Type: 'DISCONNECT' as const } };
    await expect(strict.send(telegram)).rejects.toBeInstanceOf(ValidationError);
    expect(calls).toHaveLength(0);
    const lenient = createSender({ transport, rateLimit: false, allowUnknownSubtype: true });
    const sending = lenient.send(telegram);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    calls[0]?.resolve({ NewChatCreated: false });
    expect((await sending).initialContactId).toBeUndefined();
  });

  it('calls the hooks, logs a throwing hook and keeps the outcome', async () => {
    const { transport, calls } = scriptedTransport();
    const { logger, lines } = recordingLogger();
    const seen: string[] = [];
    const sender = createSender({
      transport,
      rateLimit: false,
      logger,
      hooks: {
        onBeforeSend: ({ attempt }) => {
          seen.push(`before ${attempt}`);
          throw new Error('hook bug');
        },
        onSent: ({ result, durationMs }) => {
          seen.push(`sent ${result.initialContactId} ${durationMs >= 0}`);
          throw new Error('another hook bug');
        },
        onFailed: ({ error }) => seen.push(`failed ${error.code}`),
      },
    });
    const sending = sender.send(textMessage(chat(), 'x'));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    calls[0]?.resolve(ok);
    await expect(sending).resolves.toMatchObject({ initialContactId: 'c-1' });
    const failing = sender.send(textMessage(chat(), 'y'));
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    calls[1]?.reject(new SendError('CONNECT_INVALID_REQUEST', 'bad'));
    await expect(failing).rejects.toMatchObject({ code: 'CONNECT_INVALID_REQUEST', attempts: 1 });
    expect(seen).toEqual(['before 1', 'sent c-1 true', 'before 1', 'failed CONNECT_INVALID_REQUEST']);
    const warnings = lines.filter(([level]) => level === 'warn').map(([, message]) => message);
    expect(warnings).toEqual([
      expect.stringContaining('onBeforeSend hook threw'),
      expect.stringContaining('onSent hook threw'),
      expect.stringContaining('onBeforeSend hook threw'),
    ]);
  });

  it('fails fast, retryable, beyond maxPending, and accepts again once sends settle', async () => {
    const { transport, calls } = scriptedTransport();
    const sender = createSender({ transport, rateLimit: false, maxPending: 2 });
    const first = sender.send(textMessage(chat(1), 'a'));
    const second = sender.send(textMessage(chat(1), 'b'));
    const third = await sender.send(textMessage(chat(2), 'c')).catch((e: unknown) => e);
    expect(third).toMatchObject({ code: 'SENDER_OVERLOADED', retryable: true, message: expect.stringContaining('maxPending 2') });
    expect((third as Error).message).not.toMatch(/throttl/i);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    calls[0]?.resolve(ok);
    await first;
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    calls[1]?.resolve(ok);
    await second;
    const fourth = sender.send(textMessage(chat(2), 'd'));
    await vi.waitFor(() => expect(calls).toHaveLength(3));
    calls[2]?.resolve(ok);
    await expect(fourth).resolves.toMatchObject({ attempts: 1 });
  });

  it("paces to SendChatIntegrationEvent's documented quota by default: a burst of 26, then 17 per second", async () => {
    vi.useFakeTimers();
    const { transport, calls } = scriptedTransport();
    const sender = createSender({ transport });
    const sends = Array.from({ length: 28 }, (_, i) => sender.send(textMessage(chat(i), `m${i}`)).catch((e: unknown) => e));
    await settle();
    expect(calls).toHaveLength(26);
    await vi.advanceTimersByTimeAsync(Math.ceil(1000 / 17));
    expect(calls).toHaveLength(27);
    for (const call of calls) call.resolve(ok);
    await vi.advanceTimersByTimeAsync(Math.ceil(1000 / 17));
    calls[27]?.resolve(ok);
    await Promise.all(sends);
  });

  it('paces to the quota a transport declares, and an explicit rateLimit overrides it', async () => {
    vi.useFakeTimers();
    const { transport, calls } = scriptedTransport();
    const quoted = createSender({ transport: { ...transport, quota: { requestsPerSecond: 1, burst: 2 } } });
    void quoted.send(textMessage(chat(1), 'a'));
    void quoted.send(textMessage(chat(2), 'b'));
    void quoted.send(textMessage(chat(3), 'c'));
    await settle();
    expect(calls).toHaveLength(2);
    const overridden = createSender({ transport: { ...transport, quota: { requestsPerSecond: 1, burst: 2 } }, rateLimit: { requestsPerSecond: 1, burst: 4 } });
    for (let i = 0; i < 4; i++) void overridden.send(textMessage(chat(10 + i), `x${i}`));
    await settle();
    expect(calls).toHaveLength(6);
    for (const call of calls) call.resolve(ok);
  });

  it('paces each operation of a transport that declares quotas to its own bucket; a wait past the deadline fails at once', async () => {
    vi.useFakeTimers();
    const paced: string[] = [];
    const transport: ChatTransport = {
      quotas: { Start: { requestsPerSecond: 0.1, burst: 1 }, Post: { requestsPerSecond: 100, burst: 100 } },
      async send(event, { pace }) {
        if (event.Event.Content === 'new') {
          await pace('Start');
          paced.push('Start');
        }
        await pace('Post');
        paced.push('Post');
        return ok;
      },
    };
    const sender = createSender({ transport, deadlineMs: 1_000 });
    await expect(sender.send(textMessage(chat(1), 'new'))).resolves.toMatchObject({ attempts: 1 });
    // Start's bucket is empty for 10 s, beyond the deadline: refused now, nothing called.
    const refused = await sender.send(textMessage(chat(2), 'new')).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'DEADLINE_EXCEEDED', retryable: true });
    expect((refused as Error).message).toMatch(/rate-limit wait/);
    // Post has its own bucket.
    await expect(sender.send(textMessage(chat(3), 'later'))).resolves.toMatchObject({ attempts: 1 });
    expect(paced).toEqual(['Start', 'Post', 'Post']);
    // rateLimit: false paces no operation.
    paced.length = 0;
    const unpaced = createSender({ transport, rateLimit: false });
    await Promise.all([unpaced.send(textMessage(chat(4), 'new')), unpaced.send(textMessage(chat(5), 'new'))]);
    expect(paced.filter((operation) => operation === 'Start')).toHaveLength(2);
  });

  it('slows an operation down when Connect throttles it despite pacing (its quota is shared), instead of retrying at full rate', async () => {
    vi.useFakeTimers();
    const granted: number[] = [];
    let throttles = 1;
    const transport: ChatTransport = {
      quotas: { Op: { requestsPerSecond: 10, burst: 1 } },
      async send(_event, { pace }) {
        await pace('Op');
        granted.push(Date.now());
        if (throttles-- > 0) throw new SendError('CONNECT_THROTTLED', 'Rate exceeded');
        return ok;
      },
    };
    const sending = createSender({ transport, retry: { baseDelayMs: 1, maxDelayMs: 1 } }).send(textMessage(chat(), 'x'));
    while (granted.length < 2) await vi.advanceTimersByTimeAsync(10);
    await sending;
    // 10/s would grant the retry's token after 100 ms; halved to 5/s it takes 200 ms.
    expect(granted[1]! - granted[0]!).toBeGreaterThanOrEqual(190);
  });

  it("hands every attempt the same idempotency key (the caller's, else one per send) and the address", async () => {
    const seen: Array<[string, string | undefined]> = [];
    let failures = 1;
    const transport: ChatTransport = {
      async send(_event, { idempotencyKey, address }) {
        seen.push([idempotencyKey, address?.customer]);
        if (failures-- > 0) throw new SendError('CONNECT_THROTTLED', 'slow down');
        return ok;
      },
    };
    const sender = createSender({ transport, rateLimit: false, retry: { baseDelayMs: 1, maxDelayMs: 1 } });
    const address = { provider: 'twilio', channel: 'sms' as const, customer: '+14155550100', business: '+14255550182' };
    await sender.send(textMessage(chat(), 'a'), { idempotencyKey: 'twilio:SM1', address });
    expect(seen).toEqual([
      ['twilio:SM1', '+14155550100'],
      ['twilio:SM1', '+14155550100'],
    ]);
    seen.length = 0;
    await sender.send(textMessage(chat(), 'b'));
    await sender.send(textMessage(chat(), 'c'));
    expect(seen[0]?.[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[0]?.[0]).not.toBe(seen[1]?.[0]);
    await expect(sender.send(textMessage(chat(), 'd'), { idempotencyKey: '' })).rejects.toThrow(/idempotencyKey: expected a string of 1..1,024 characters/);
  });

  it("keeps the code of a SendError from another copy of the package (a transport built with the app's copy)", async () => {
    class OtherCopySendError extends Error {
      readonly retryable: boolean;
      constructor(
        readonly code: string,
        message: string,
        readonly requestId?: string,
      ) {
        super(message);
        this.name = 'SendError';
        this.retryable = code === 'CONNECT_THROTTLED';
        Object.defineProperty(this, Symbol.for('@connect-chat/core.ConnectChatError'), { value: true });
      }
    }
    let calls = 0;
    const transport: ChatTransport = {
      async send() {
        calls++;
        throw calls === 1 ? new OtherCopySendError('CONNECT_THROTTLED', 'slow down', 'r-9') : new OtherCopySendError('CONNECT_INVALID_REQUEST', 'no');
      },
    };
    const error = await createSender({ transport, rateLimit: false, retry: { baseDelayMs: 1, maxDelayMs: 1 } })
      .send(textMessage(chat(), 'x'))
      .catch((e: unknown) => e);
    expect(calls).toBe(2);
    expect(error).toBeInstanceOf(SendError);
    expect(error).toMatchObject({ code: 'CONNECT_INVALID_REQUEST', retryable: false, attempts: 2, message: 'no' });
  });

  it('a send whose deadline passes while it waits behind its chat fails without being sent', async () => {
    vi.useFakeTimers();
    const { transport, calls } = scriptedTransport();
    const sender = createSender({ transport, rateLimit: false });
    const first = sender.send(textMessage(chat(), 'slow'), { deadlineMs: 5_000 });
    const second = sender.send(textMessage(chat(), 'waits'), { deadlineMs: 1_000 }).catch((e: unknown) => e);
    await settle();
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await second).toMatchObject({ code: 'DEADLINE_EXCEEDED', retryable: true, attempts: 0 });
    calls[0]?.resolve(ok);
    await first;
    await settle();
    expect(calls).toHaveLength(1);
  });

  it('a send whose deadline passes while it waits for a rate-limit token fails without being sent', async () => {
    vi.useFakeTimers();
    const { transport, calls } = scriptedTransport();
    const sender = createSender({ transport, rateLimit: { requestsPerSecond: 1, burst: 1 } });
    void sender.send(textMessage(chat(1), 'a'));
    const second = sender.send(textMessage(chat(2), 'b'), { deadlineMs: 500 }).catch((e: unknown) => e);
    await settle();
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(await second).toMatchObject({ code: 'DEADLINE_EXCEEDED', attempts: 0 });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toHaveLength(1);
    calls[0]?.resolve(ok);
  });

  it('answers at once, without queueing, when the rate-limit wait cannot fit the deadline', async () => {
    vi.useFakeTimers();
    const { transport, calls } = scriptedTransport();
    const sender = createSender({ transport, rateLimit: { requestsPerSecond: 1, burst: 1 }, deadlineMs: 1_500 });
    void sender.send(textMessage(chat(1), 'a'));
    const fits = sender.send(textMessage(chat(2), 'b')).catch((e: unknown) => e);
    let settledAt: number | undefined;
    const hopeless = sender.send(textMessage(chat(3), 'c')).catch((e: unknown) => {
      settledAt = Date.now();
      return e;
    });
    const startedAt = Date.now();
    await settle();
    expect(await hopeless).toMatchObject({ code: 'DEADLINE_EXCEEDED', attempts: 0, retryable: true });
    expect(settledAt).toBe(startedAt);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls.map((call) => call.event.Event.Content)).toEqual(['a', 'b']);
    for (const call of calls) call.resolve(ok);
    expect(await fits).toMatchObject({ attempts: 1 });
  });

  it('backs off between retries and stops when the next wait would pass the deadline', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { transport, calls } = scriptedTransport();
    const sender = createSender({ transport, rateLimit: false, deadlineMs: 1_000, retry: { baseDelayMs: 200, maxDelayMs: 10_000, maxAttempts: 10 } });
    const sending = sender.send(textMessage(chat(), 'x')).catch((e: unknown) => e);
    const throttle = (i: number) =>
      calls[i]?.reject(new SendError('CONNECT_THROTTLED', 'slow down', { awsErrorName: 'ThrottlingException', requestId: `r-${i}` }));
    await settle();
    throttle(0);
    // Backoff after attempt 1: 0.5 × 200 = 100 ms.
    await vi.advanceTimersByTimeAsync(99);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    throttle(1);
    // After attempt 2: 0.5 × 400 = 200 ms.
    await vi.advanceTimersByTimeAsync(200);
    expect(calls).toHaveLength(3);
    throttle(2);
    // After attempt 3: 400 ms would end at 700 ms < 1,000 ms; after attempt 4 800 ms would not fit.
    await vi.advanceTimersByTimeAsync(400);
    expect(calls).toHaveLength(4);
    throttle(3);
    await settle();
    expect(await sending).toMatchObject({ code: 'DEADLINE_EXCEEDED', attempts: 4, requestId: 'r-3', awsErrorName: 'ThrottlingException', retryable: true });
  });

  it('lets an attempt already sent run past the deadline, up to its attempt timeout, and starts no other', async () => {
    vi.useFakeTimers();
    const { transport, calls } = scriptedTransport();
    const sender = createSender({ transport, rateLimit: false, deadlineMs: 300, retry: { attemptTimeoutMs: 1_000 } });
    const sending = sender.send(textMessage(chat(), 'x')).catch((e: unknown) => e);
    await settle();
    await vi.advanceTimersByTimeAsync(300);
    // Its outcome would be unknown if cut now: Connect may have accepted it.
    expect(calls[0]?.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(700);
    expect(calls[0]?.signal.aborted).toBe(true);
    expect(await sending).toMatchObject({ code: 'DEADLINE_EXCEEDED', attempts: 1 });
    expect(calls).toHaveLength(1);
  });

  it('cuts an unanswered attempt after 20 s without idempotency tokens, after 5 s with them, unless retry.attemptTimeoutMs says', async () => {
    vi.useFakeTimers();
    const cutAfter = async (transport: ChatTransport, calls: Call[], options: Partial<SenderOptions> = {}) => {
      const sender = createSender({ transport, rateLimit: false, deadlineMs: 60_000, ...options });
      void sender.send(textMessage(chat(), 'x')).catch(() => undefined);
      await settle();
      let waited = 0;
      while (!calls[0]?.signal.aborted && waited < 60_000) {
        await vi.advanceTimersByTimeAsync(1_000);
        waited += 1_000;
      }
      return waited;
    };
    const plain = scriptedTransport();
    expect(await cutAfter(plain.transport, plain.calls)).toBe(20_000);
    const tokens = scriptedTransport();
    expect(await cutAfter({ ...tokens.transport, idempotent: true }, tokens.calls)).toBe(5_000);
    const chosen = scriptedTransport();
    expect(await cutAfter(chosen.transport, chosen.calls, { retry: { attemptTimeoutMs: 3_000 } })).toBe(3_000);
  });

  it("times an attempt of a transport that paces its calls from each call's token, not from the wait for it", async () => {
    vi.useFakeTimers();
    // Three sends at once on one token a second: the third waits 2 s for its token, past the
    // attempt timeout. Its call must still go out, and a call that then hangs is cut a whole
    // attempt timeout after its token (a wait counted against it once left every call of a
    // backlogged drain aborted before it was sent, so no send succeeded and the rate never rose).
    const sent: Array<{ at: number; signal: AbortSignal; answer(): void }> = [];
    const transport: ChatTransport = {
      quotas: { Post: { requestsPerSecond: 1, burst: 1 } },
      idempotent: true,
      async send(_event, { pace, signal }) {
        await pace('Post');
        if (signal.aborted) throw new SendError('NETWORK_ERROR', 'aborted before it was sent');
        return new Promise((resolve, reject) => {
          signal.addEventListener('abort', () => reject(new SendError('NETWORK_ERROR', 'aborted')), { once: true });
          sent.push({ at: Date.now(), signal, answer: () => resolve(ok) });
        });
      },
    };
    const sender = createSender({ transport, deadlineMs: 10_000, retry: { attemptTimeoutMs: 500, maxAttempts: 1 } });
    const started = Date.now();
    const sends = [1, 2, 3].map((n) => sender.send(textMessage(chat(n), 'x')).catch((e: unknown) => e));
    await settle();
    for (let i = 0; i < 3; i++) {
      while (sent.length <= i && Date.now() - started < 5_000) await vi.advanceTimersByTimeAsync(100);
      if (i < 2) sent[i]?.answer();
    }
    expect(sent.map((call) => call.at - started)).toEqual([0, 1_000, 2_000]);
    expect(await sends[0]).toMatchObject({ attempts: 1 });
    expect(await sends[1]).toMatchObject({ attempts: 1 });
    // The third call hangs: cut 500 ms after its token, not at once.
    await vi.advanceTimersByTimeAsync(400);
    expect(sent[2]!.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(await sends[2]).toMatchObject({ code: 'NETWORK_ERROR', attempts: 1 });
  });

  it('answers with the result of an attempt that was answered after the deadline', async () => {
    vi.useFakeTimers();
    const { transport, calls } = scriptedTransport();
    const sender = createSender({ transport, rateLimit: false, deadlineMs: 300 });
    const sending = sender.send(textMessage(chat(), 'x'));
    await settle();
    await vi.advanceTimersByTimeAsync(500);
    calls[0]?.resolve(ok);
    expect(await sending).toMatchObject({ initialContactId: 'c-1', attempts: 1 });
  });

  it("stops when the caller's signal aborts", async () => {
    const { transport, calls } = scriptedTransport();
    const sender = createSender({ transport, rateLimit: false });
    const controller = new AbortController();
    const sending = sender.send(textMessage(chat(), 'x'), { signal: controller.signal }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    controller.abort(new Error('shutting down'));
    expect(await sending).toMatchObject({ code: 'NETWORK_ERROR', message: expect.stringContaining('aborted by the caller'), attempts: 1 });
    expect(calls[0]?.signal.aborted).toBe(true);
  });

  it("never starts an attempt once the caller's signal has aborted, even between its turn and its call", async () => {
    const { transport: scripted, calls } = scriptedTransport();
    const liveAtCall: boolean[] = [];
    const transport: ChatTransport = {
      send: (event, options) => {
        liveAtCall.push(!options.signal.aborted);
        return scripted.send(event, options);
      },
    };
    const controller = new AbortController();
    // The first send's end hands the chat's turn to the second; the caller aborts in that same
    // turn of the event loop, after the grant and before the second send resumes.
    const hooks = { onSent: () => controller.abort(new Error('shutting down')) };
    const sender = createSender({ transport, rateLimit: false, retry: { attemptTimeoutMs: 200 }, hooks });
    const first = sender.send(textMessage(chat(), 'first'));
    const second = sender.send(textMessage(chat(), 'second'), { signal: controller.signal }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    calls[0]!.resolve(ok);
    await first;
    expect(await second).toMatchObject({ code: 'NETWORK_ERROR', message: expect.stringContaining('aborted by the caller') });
    // An attempt on a live signal would have reached Connect and held the chat until attemptTimeoutMs.
    expect(liveAtCall).toEqual([true]);
    expect(calls).toHaveLength(1);
  });

  it('treats a transport that throws something other than a SendError as a bug: INTERNAL, not retried', async () => {
    let count = 0;
    const sender = createSender({
      rateLimit: false,
      transport: {
        send: async () => {
          count++;
          throw new TypeError('undefined is not a function');
        },
      },
    });
    await expect(sender.send(textMessage(chat(), 'x'))).rejects.toMatchObject({ code: 'INTERNAL', retryable: false, attempts: 1 });
    expect(count).toBe(1);
  });

  it('does not retry CONNECT_MISCONFIGURED: a client without region or credentials fails the same way every time', async () => {
    let count = 0;
    const sender = createSender({
      rateLimit: false,
      transport: {
        send: async () => {
          count++;
          throw new SendError('CONNECT_MISCONFIGURED', 'no region');
        },
      },
    });
    await expect(sender.send(textMessage(chat(), 'x'))).rejects.toMatchObject({ code: 'CONNECT_MISCONFIGURED', retryable: true, attempts: 1 });
    expect(count).toBe(1);
  });
});
