import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { SendError } from '../errors/send-error.ts';
import { chatKeyOf } from '../model/chat-key.ts';
import { copyData } from '../model/copy-data.ts';
import type { ChatIntegrationEvent } from '../model/types.ts';
import { assertValidChatIntegrationEvent } from '../model/validate.ts';
import { backoffDelay, sleep } from './backoff.ts';
import { createChatQueue } from './chat-queue.ts';
import { type AttemptTimeout, attemptStop, attemptTimeout, SendDeadline, Stop, type StopSignal } from './deadlines.ts';
// Node, Bun, Deno: the AWS SDK transport; Workers and browsers: the fetch transport (package.json "imports").
import { createDefaultTransport } from '#default-transport';
import { invalidOption, positiveNumber, expectRecord } from '../options/toolkit.ts';
import { type ResolvedSenderOptions, resolveSenderOptions, senderDefaults } from './options.ts';
import { createPacing, type Pacing } from './pacing.ts';
import { RateLimitWaitTooLong } from './rate-limiter.ts';
import type { ChannelAddress } from '../sessions/types.ts';
import { type PrevalidatingSender, sendPrevalidated } from './prevalidated.ts';
import type {
  ChatTransport,
  RetryOptions,
  SendOptions,
  SendResult,
  Sender,
  SenderHooks,
  SenderOptions,
  TransportResult,
  TransportSendOptions,
} from './types.ts';

/**
 * Creates the sender: each event is validated, then waits for its turn in its chat (same
 * SourceId + DestinationId + Subtype → one at a time, in call order), for a rate-limit token, and
 * is retried with backoff on throttling, 5xx, timeouts and network errors — all within one
 * deadline. Options are checked here and throw INVALID_OPTIONS.
 *
 * @example
 * const sender = createSender({ region: 'us-east-1' }); // AWS_ENDPOINT_URL_CONNECT points it at the emulator
 * const { initialContactId, newChatCreated } = await sender.send(textMessage(chat, 'Hello'));
 */
export function createSender(options: SenderOptions): Sender {
  const config = resolveSenderOptions(options);
  const transport: ChatTransport = config.transport ?? createDefaultTransport(config.connect);
  const pacing = createPacing(transport, config.rateLimit, senderDefaults.rateLimit);
  const chats = createChatQueue();
  const { logger, hooks } = config;
  const retry = { ...config.retry, attemptTimeoutMs: config.retry.attemptTimeoutMs ?? defaultAttemptTimeoutMs(transport) };
  let pending = 0;

  const callHook = <K extends keyof SenderHooks>(name: K, info: Parameters<NonNullable<SenderHooks[K]>>[0]) => {
    const hook = hooks[name] as ((value: typeof info) => void) | undefined;
    if (!hook) return;
    try {
      hook(info);
    } catch (error) {
      logger.warn(`connect-chat sender: the ${name} hook threw; the send outcome is unchanged`, { error: describeError(error) });
    }
  };

  const run: Attempts = { transport, pacing, retry, logger, callHook };

  return {
    ...(transport.sessions ? { sessions: transport.sessions } : {}),
    send: (event: ChatIntegrationEvent, sendOptions: SendOptions = {}) => dispatch(event, sendOptions, true),
    // The webhook handler validated the event already (see prevalidated.ts).
    [sendPrevalidated]: (event: ChatIntegrationEvent, sendOptions: SendOptions = {}) => dispatch(event, sendOptions, false),
  } as PrevalidatingSender;

  /** One event: validated (unless the handler did), its turn in its chat, then its attempts, within one deadline. */
  async function dispatch(event: ChatIntegrationEvent, sendOptions: SendOptions, validate: boolean): Promise<SendResult> {
    const deadlineMs = checkSendOptions(sendOptions, config);
    if (validate) assertValidChatIntegrationEvent(event, { allowUnknownSubtype: config.allowUnknownSubtype });
    // A snapshot, so a caller that reuses or mutates the object while the send waits changes nothing.
    // The webhook handler's events and addresses are built for this send and never touched again.
    const snapshot = validate ? copyData(event) : event;
    const address = validate ? copyData(sendOptions.address) : sendOptions.address;
    const identity = { idempotencyKey: sendOptions.idempotencyKey ?? crypto.randomUUID(), address };
    if (pending >= config.maxPending) {
      throw new SendError(
        'SENDER_OVERLOADED',
        `connect-chat sender: this process already has ${pending} sends waiting (maxPending ${config.maxPending}); not sent to Connect, try again later`,
      );
    }
    pending++;
    const started = Date.now();
    const deadline = new SendDeadline(deadlineMs, sendOptions.signal);
    // Joined synchronously, before any await, so the chat's line keeps call order.
    const turn = chats.acquire(chatKeyOf(snapshot), deadline);
    try {
      const release =
        typeof turn === 'function'
          ? turn
          : await turn.catch((reason: unknown) => {
              throw stopped(reason, 0, undefined);
            });
      let result: SendResult;
      try {
        result = await attempts(run, snapshot, identity, deadline, sendOptions.writtenAt);
      } finally {
        release();
      }
      callHook('onSent', { event: snapshot, result, durationMs: Date.now() - started });
      logger.debug('connect-chat sender: sent', { attempts: result.attempts, newChatCreated: result.newChatCreated, requestId: result.requestId });
      return result;
    } catch (error) {
      const failure = asSendError(error);
      callHook('onFailed', { event: snapshot, error: failure, durationMs: Date.now() - started });
      throw failure;
    } finally {
      pending--;
      deadline.dispose();
    }
  }
}

/** Unanswered attempts of a transport without idempotency tokens are cut late: their retry would double the message. */
function defaultAttemptTimeoutMs(transport: ChatTransport): number {
  return transport.idempotent === true ? senderDefaults.retry.attemptTimeoutMs : senderDefaults.retry.unansweredAttemptTimeoutMs;
}

/** What one send's attempts need from its sender. */
interface Attempts {
  transport: ChatTransport;
  pacing: Pacing;
  retry: Required<RetryOptions>;
  logger: ResolvedSenderOptions['logger'];
  callHook<K extends keyof SenderHooks>(name: K, info: Parameters<NonNullable<SenderHooks[K]>>[0]): void;
}

/**
 * Attempts one event until it is sent, refused for good, or out of attempts or time: a rate-limit
 * token before each attempt, backoff with jitter between them, all within the send's deadline.
 */
async function attempts(
  run: Attempts,
  event: ChatIntegrationEvent,
  identity: Identity,
  deadline: SendDeadline,
  writtenAt: number | undefined,
): Promise<SendResult> {
  const { transport, pacing, retry, logger, callHook } = run;
  // The operations each attempt paced: what Connect's answer says about their rates.
  let paced: string[] = [];
  let timeout: AttemptTimeout | undefined;
  // The attempt's timeout counts time on the wire: it stands still while a call waits for its
  // token, so a call that waited longer than the timeout is still sent (and can succeed).
  const pace = (operation: string): Promise<void> => {
    paced.push(operation);
    const waiting = pacing.operation(operation, deadline, deadline.remainingMs(), writtenAt);
    if (waiting === undefined) return granted;
    timeout?.hold();
    return waiting.then(
      () => timeout?.resume(),
      (reason: unknown) => {
        throw new PaceStopped(reason);
      },
    );
  };
  let failure: SendError | undefined;
  for (let attempt = 1; ; attempt++) {
    paced = [];
    const waiting = pacing.attempt(deadline, deadline.remainingMs(), writtenAt);
    if (waiting !== undefined) {
      await waiting.catch((reason: unknown) => {
        throw stopped(reason, attempt - 1, failure);
      });
    }
    // An abort between the grant of a turn or token and this line fired no listener of ours yet.
    if (deadline.aborted) throw stopped(deadline.reason, attempt - 1, failure);
    callHook('onBeforeSend', { event, attempt });
    // The deadline stops what has not started; an attempt on the wire answers within its own timeout.
    // Cut at the deadline, a request Connect accepted would be reported failed and sent again.
    const attemptTimer = attemptTimeout(deadline.callerSignal, retry.attemptTimeoutMs);
    timeout = attemptTimer;
    try {
      const output = await transport.send(event, attemptOptions(identity, attemptTimer, pace));
      pacing.adapt(transport.quotas ? paced : undefined, false);
      return toResult(output, attempt);
    } catch (error) {
      if (deadline.aborted) throw stopped(deadline.reason, attempt, error);
      if (error instanceof PaceStopped) throw stopped(error.reason, attempt, failure);
      failure = attemptTimer.timedOut
        ? new SendError('NETWORK_ERROR', `connect-chat sender: no answer within retry.attemptTimeoutMs (${retry.attemptTimeoutMs} ms)`, { cause: error })
        : asSendError(error);
      // Throttled despite pacing: the quota is shared, slow down instead of retrying into it.
      if (failure.code === 'CONNECT_THROTTLED') pacing.adapt(transport.quotas ? paced.slice(-1) : undefined, true);
    } finally {
      attemptTimer.dispose();
    }
    // A client without region or credentials fails the same way every time: retrying only burns the deadline.
    if (!failure.retryable || failure.code === 'CONNECT_MISCONFIGURED' || attempt >= retry.maxAttempts) throw withAttempts(failure, attempt);
    const delayMs = backoffDelay(attempt, retry.baseDelayMs, retry.maxDelayMs);
    if (delayMs >= deadline.remainingMs()) {
      throw new SendError('DEADLINE_EXCEEDED', `connect-chat sender: the deadline leaves no time to retry after ${failure.code} (${attempt} attempts)`, {
        cause: failure,
        requestId: failure.requestId,
        awsErrorName: failure.awsErrorName,
        attempts: attempt,
      });
    }
    logger.debug('connect-chat sender: retrying', { attempt, code: failure.code, delayMs, requestId: failure.requestId });
    const last = failure;
    await sleep(delayMs, deadline).catch((reason: unknown) => {
      throw stopped(reason, attempt, last);
    });
  }
}

/**
 * What a transport is handed for one attempt. Its `signal` is made when first read: core's own
 * transports wait on the attempt's light stop instead (see `stopOf`), and most sends never abort.
 */
function attemptOptions(
  identity: Identity,
  attempt: AttemptTimeout,
  pace: (operation: string) => Promise<void>,
): TransportSendOptions & { [attemptStop]: StopSignal } {
  return {
    idempotencyKey: identity.idempotencyKey,
    address: identity.address,
    pace,
    get signal() {
      return attempt.signal;
    },
    [attemptStop]: attempt,
  };
}

/** What `pace` answers when the token was granted at once: nothing to wait for, nothing to allocate. */
const granted: Promise<void> = Promise.resolve();

/** What every attempt of one send carries: what it is, for idempotency tokens and sessions. */
interface Identity {
  idempotencyKey: string;
  address: ChannelAddress | undefined;
}

/** A transport's wait for an operation's rate-limit token ended without one (deadline, or too long a queue). */
class PaceStopped {
  constructor(readonly reason: unknown) {}
}

function stopped(reason: unknown, attempts: number, last: unknown): SendError {
  const lastError = last instanceof SendError ? last : undefined;
  const details = { cause: last ?? reason, requestId: lastError?.requestId, awsErrorName: lastError?.awsErrorName, attempts };
  if (reason instanceof Stop && reason.kind === 'caller') {
    return new SendError('NETWORK_ERROR', 'connect-chat sender: aborted by the caller', { ...details, cause: reason.reason ?? last });
  }
  const after = lastError ? ` (last error: ${lastError.code})` : '';
  if (reason instanceof RateLimitWaitTooLong) {
    // Under a burst beyond the quota, answer at once instead of holding the webhook until the deadline.
    return new SendError('DEADLINE_EXCEEDED', `connect-chat sender: ${reason.message} would pass the send deadline; not queued${after}`, details);
  }
  return new SendError(
    'DEADLINE_EXCEEDED',
    `connect-chat sender: the send deadline ran out after ${attempts} attempt${attempts === 1 ? '' : 's'}${after}`,
    details,
  );
}

function asSendError(error: unknown): SendError {
  if (error instanceof SendError) return error;
  // A transport built with another copy of this package (an app's own dependency) throws that copy's class.
  if (ConnectChatError.is(error) && 'retryable' in error) {
    const { requestId, awsErrorName } = error as Partial<SendError>;
    return new SendError(error.code, error.message, { cause: error.cause, requestId, awsErrorName });
  }
  return new SendError('INTERNAL', `connect-chat sender: the transport failed unexpectedly: ${describeError(error)}`, { cause: error });
}

function withAttempts(error: SendError, attempts: number): SendError {
  if (error.attempts === attempts) return error;
  return new SendError(error.code, error.message, { cause: error.cause, requestId: error.requestId, awsErrorName: error.awsErrorName, attempts });
}

function toResult(output: TransportResult, attempts: number): SendResult {
  return {
    // Connect answers null for events that need no chat (e.g. DISCONNECT with no active chat).
    initialContactId: output.InitialContactId ?? undefined,
    newChatCreated: output.NewChatCreated === true,
    requestId: output.requestId,
    attempts,
  };
}

function checkSendOptions(options: SendOptions, config: ResolvedSenderOptions): number {
  expectRecord(options, 'send options', 'an object');
  const { signal, idempotencyKey, writtenAt } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) invalidOption('send options.signal', 'an AbortSignal', signal);
  if (writtenAt !== undefined && !Number.isFinite(writtenAt)) invalidOption('send options.writtenAt', 'a time in ms since the epoch', writtenAt);
  if (idempotencyKey !== undefined && (typeof idempotencyKey !== 'string' || idempotencyKey.length === 0 || idempotencyKey.length > 1_024)) {
    invalidOption('send options.idempotencyKey', 'a string of 1..1,024 characters', idempotencyKey);
  }
  return positiveNumber(options.deadlineMs, 'send options.deadlineMs', config.deadlineMs);
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
