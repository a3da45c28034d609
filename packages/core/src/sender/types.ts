import type { ChatIntegrationEvent, ChatIntegrationEventOutput } from '../model/types.ts';
import type { Logger } from '../logger.ts';
import type { SendError } from '../errors/send-error.ts';
import type { ChannelAddress, SessionStore } from '../sessions/types.ts';

/**
 * Carries one chat integration event to Amazon Connect: `createConnectTransport`
 * (SendChatIntegrationEvent) or `createParticipantTransport` (StartChatContact + the participant
 * service), or your own.
 *
 * @example
 * const transport: ChatTransport = createParticipantTransport({ region: 'us-east-1' });
 * const sender = createSender({ transport });
 */
export interface ChatTransport {
  /**
   * One attempt, no retries. Resolves with Connect's output; rejects with a `SendError` whose code
   * says what happened (the sender decides whether to retry from `retryable`).
   */
  send(event: ChatIntegrationEvent, options: TransportSendOptions): Promise<TransportResult>;
  /**
   * The documented quota of each API the transport calls, by operation name. A transport that
   * declares them calls `options.pace(operation)` before each call; the sender paces each operation
   * to its quota unless its `rateLimit` option says otherwise.
   */
  readonly quotas?: Readonly<Record<string, RateLimitOptions>>;
  /**
   * For a transport without `quotas`: the quota the sender paces each attempt to. Without either
   * the sender uses `SendChatIntegrationEvent`'s.
   */
  readonly quota?: RateLimitOptions;
  /** Where the transport records each chat's contact and channel address: what the reply route reads. */
  readonly sessions?: SessionStore;
  /**
   * Every call carries an idempotency token (a ClientToken), so an attempt that went unanswered can
   * be retried without doubling the message. The sender then cuts unanswered attempts sooner (see
   * `retry.attemptTimeoutMs`).
   */
  readonly idempotent?: boolean;
}

/**
 * What the sender hands a transport with each attempt.
 *
 * @example
 * async send(event, { signal, pace }) {
 *   await pace('SendChatIntegrationEvent');
 *   return client.send(new SendChatIntegrationEventCommand(event), { abortSignal: signal });
 * }
 */
export interface TransportSendOptions {
  /** Aborts when the attempt times out or the send's deadline passes. */
  signal: AbortSignal;
  /**
   * The same on every attempt of one send and on a provider's retry of the same message: derive
   * idempotency tokens (ClientToken) from it, so a retry after a lost response is a no-op.
   */
  idempotencyKey: string;
  /** Who wrote, and to which channel address: what the return path needs. Absent for app-code sends without it. */
  address?: ChannelAddress;
  /** Waits for a rate-limit token of the named operation (a no-op with pacing off). */
  pace(operation: string): Promise<void>;
}

/** One attempt's result: Connect's output plus the request id AWS support asks for. */
export interface TransportResult extends ChatIntegrationEventOutput {
  /** `x-amzn-RequestId`. */
  requestId?: string;
}

/** What `sender.send` resolves with. */
export interface SendResult {
  /** The contact the event landed on; absent for a DISCONNECT with no active chat. */
  initialContactId: string | undefined;
  newChatCreated: boolean;
  requestId: string | undefined;
  /** Calls made to Connect, retries included. */
  attempts: number;
}

/** Client-side pacing toward Connect: a token bucket. */
export interface RateLimitOptions {
  /** Tokens added per second. Default: the transport's quota (17 for `SendChatIntegrationEvent`). */
  requestsPerSecond: number;
  /** Bucket size. Default: the transport's quota (26 for `SendChatIntegrationEvent`). */
  burst: number;
}

/**
 * How the sender retries throttling, 5xx, attempt timeouts and network errors (never 4xx), all
 * within `deadlineMs`.
 *
 * @example
 * const sender = createSender({ region: 'us-east-1', retry: { maxAttempts: 3, attemptTimeoutMs: 2_000 } });
 */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 5. */
  maxAttempts?: number;
  /** First backoff, doubled each retry, with full jitter. Default 100 ms. */
  baseDelayMs?: number;
  /** Cap for one backoff. Default 2,000 ms. */
  maxDelayMs?: number;
  /**
   * Timeout of one attempt. Default 5,000 ms for an idempotent transport (the participant API's
   * ClientTokens), 20,000 ms otherwise: an attempt cut unanswered may have been accepted, and without
   * a token its retry sends the message twice, so the window stays for a stalled Connect or process
   * rather than for a slow answer. An attempt already sent when the deadline passes is given this
   * long to answer rather than cut.
   */
  attemptTimeoutMs?: number;
}

/** Observability hooks; exceptions thrown by hooks are logged, never change the outcome. */
export interface SenderHooks {
  onBeforeSend?(info: { event: ChatIntegrationEvent; attempt: number }): void;
  onSent?(info: { event: ChatIntegrationEvent; result: SendResult; durationMs: number }): void;
  onFailed?(info: { event: ChatIntegrationEvent; error: SendError; durationMs: number }): void;
}

/**
 * Per-call options of `sender.send`: a tighter deadline, or a signal to give up when the caller does.
 *
 * @example
 * await sender.send(textMessage(chat, 'Hello'), { deadlineMs: 3_000, signal: request.signal });
 */
export interface SendOptions {
  /** Overrides the sender's deadline for this call. */
  deadlineMs?: number;
  signal?: AbortSignal;
  /**
   * What a retry of the same message carries too (the webhook handler passes the provider message's
   * key). The participant transport derives every ClientToken from it, so a retry after a lost
   * response creates nothing new at Connect. Default: a random key per call, which deduplicates the
   * sender's own retries but not yours. At most 1,024 characters.
   */
  idempotencyKey?: string;
  /** Who wrote, and to which channel address; kept with the chat's session for the return path. */
  address?: ChannelAddress;
  /**
   * When the customer wrote the message, in ms since the epoch (the webhook handler passes the
   * provider's timestamp when it has one). Under a backlog the rate limiter serves older messages
   * first, so a message its provider has been retrying gets a turn before the ones that just arrived
   * instead of running out the provider's retries. Default: now.
   */
  writtenAt?: number;
}

/**
 * Sends chat integration events: validated, paced, ordered per chat key, retried within a deadline.
 */
export interface Sender {
  send(event: ChatIntegrationEvent, options?: SendOptions): Promise<SendResult>;
  /** Its transport's session store, when it keeps one (both built-in transports do). */
  readonly sessions?: SessionStore;
}

/** AWS access keys, as the SDK takes them. */
export interface AwsKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Options of `createSender`. Transport: `transport`, else a `ConnectClient` built from the rest. */
export interface SenderOptions {
  transport?: ChatTransport;
  /** An existing `ConnectClient` (any object with the SDK's `send(command)`); its retries add to ours. */
  client?: { send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown> };
  region?: string;
  /** Static keys, or a provider the SDK calls whenever it needs them (e.g. the default chain, for rotation). */
  credentials?: AwsKeys | (() => Promise<AwsKeys>);
  /** Connect endpoint override; `AWS_ENDPOINT_URL_CONNECT` is honoured when this is unset. */
  endpoint?: string;
  /** Default: the transport's documented quota (17/26 for `SendChatIntegrationEvent`); `false` turns pacing off. */
  rateLimit?: RateLimitOptions | false;
  retry?: RetryOptions;
  /**
   * Time within which a send waits, starts attempts and retries. Default 10,000 ms. An attempt in
   * flight at the deadline finishes within `retry.attemptTimeoutMs`, so a send ends by at most the sum.
   */
  deadlineMs?: number;
  /** Sends waiting (rate limit + per-chat queues) at most; beyond it a send fails at once as retryable. Default 1,000. */
  maxPending?: number;
  /** Accept Subtype values the API does not document. Default false. */
  allowUnknownSubtype?: boolean;
  hooks?: SenderHooks;
  logger?: Logger;
}

export type { Logger };
