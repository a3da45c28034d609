/**
 * Every failure connect-chat reports carries one of these codes. The HTTP status a webhook answers
 * with is derived from the code alone, through {@link httpStatusFor}.
 */
export type ConnectChatErrorCode =
  /** A caller passed an option that cannot work; thrown at construction. */
  | 'INVALID_OPTIONS'
  /** A chat integration event breaks one of the API's constraints; nothing was sent. */
  | 'INVALID_EVENT'
  | 'METHOD_NOT_ALLOWED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE'
  /** The body or a required header cannot be read as the provider's format. */
  | 'MALFORMED_PAYLOAD'
  /** Missing or bad signature, untrusted certificate, stale timestamp. */
  | 'SIGNATURE_INVALID'
  /** Verified, but not allowed: an SNS topic outside the allow-list, a wrong verify token. */
  | 'FORBIDDEN'
  /** The same provider message is being sent right now; the provider should retry later. */
  | 'DUPLICATE_IN_FLIGHT'
  /**
   * Verification could not finish for a temporary reason (an SNS signing certificate could not be
   * fetched, a secret function threw); the provider should retry later.
   */
  | 'VERIFICATION_UNAVAILABLE'
  /** The idempotency store failed; nothing was sent, so the provider should retry later. */
  | 'IDEMPOTENCY_UNAVAILABLE'
  /** The session store (which chat a conversation is in) failed; the provider should retry later. */
  | 'SESSION_STORE_UNAVAILABLE'
  /** Durable acceptance could not write the message (its queue failed, or its backlog is at its bound); the provider should retry later. */
  | 'ACCEPTANCE_UNAVAILABLE'
  /** Too many sends are waiting in this process (the sender's `maxPending`); not a Connect quota. */
  | 'SENDER_OVERLOADED'
  /** Connect answered ThrottlingException (after retries). */
  | 'CONNECT_THROTTLED'
  /** Connect answered 5xx (after retries). */
  | 'CONNECT_UNAVAILABLE'
  /** The network failed or a single attempt timed out (after retries). */
  | 'NETWORK_ERROR'
  /** The send's total deadline (rate limit wait + queue wait + retries) ran out. */
  | 'DEADLINE_EXCEEDED'
  /**
   * The AWS SDK could not build a request: no region, or no credentials anywhere in its chain. Not
   * retried by the sender (it cannot help), but answered 503 so the provider keeps the message
   * until the configuration is fixed.
   */
  | 'CONNECT_MISCONFIGURED'
  /** Connect answered InvalidRequestException. */
  | 'CONNECT_INVALID_REQUEST'
  /** Connect answered AccessDeniedException (SendChatIntegrationEvent is restricted by AWS). */
  | 'CONNECT_ACCESS_DENIED'
  /** Connect answered ResourceNotFoundException. */
  | 'CONNECT_RESOURCE_NOT_FOUND'
  /** Connect answered another 4xx error. */
  | 'CONNECT_REJECTED'
  /** A customer's channel (Twilio, WhatsApp, End User Messaging, a generic webhook) failed for now: 429, 5xx, network. */
  | 'CHANNEL_UNAVAILABLE'
  /** A customer's channel refused the message for good: opted out, the WhatsApp 24-hour window closed, a bad number. */
  | 'CHANNEL_REFUSED'
  /** A body parser consumed the request body before connect-chat could read the raw bytes. */
  | 'BODY_ALREADY_PARSED'
  /** A bug or an unexpected failure inside a hook; reported, answered 500. */
  | 'INTERNAL';

const statusByCode: Readonly<Record<ConnectChatErrorCode, number>> = {
  INVALID_OPTIONS: 500,
  INVALID_EVENT: 422,
  METHOD_NOT_ALLOWED: 405,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  MALFORMED_PAYLOAD: 400,
  SIGNATURE_INVALID: 401,
  FORBIDDEN: 403,
  DUPLICATE_IN_FLIGHT: 503,
  VERIFICATION_UNAVAILABLE: 503,
  IDEMPOTENCY_UNAVAILABLE: 503,
  SESSION_STORE_UNAVAILABLE: 503,
  ACCEPTANCE_UNAVAILABLE: 503,
  SENDER_OVERLOADED: 503,
  CONNECT_THROTTLED: 503,
  CONNECT_UNAVAILABLE: 503,
  NETWORK_ERROR: 503,
  DEADLINE_EXCEEDED: 503,
  CONNECT_MISCONFIGURED: 503,
  CONNECT_INVALID_REQUEST: 422,
  CONNECT_ACCESS_DENIED: 422,
  CONNECT_RESOURCE_NOT_FOUND: 422,
  CONNECT_REJECTED: 422,
  CHANNEL_UNAVAILABLE: 503,
  CHANNEL_REFUSED: 422,
  BODY_ALREADY_PARSED: 500,
  INTERNAL: 500,
};

/**
 * The HTTP status a webhook answers for an error code: the one table of the project.
 *
 * @example
 * httpStatusFor('CONNECT_THROTTLED'); // 503
 */
export function httpStatusFor(code: ConnectChatErrorCode): number {
  return statusByCode[code];
}

/**
 * Whether an error with this code is worth retrying later (the provider should keep the message).
 *
 * @example
 * isRetryableCode('DEADLINE_EXCEEDED'); // true
 */
export function isRetryableCode(code: ConnectChatErrorCode): boolean {
  return httpStatusFor(code) === 503;
}

const brand = Symbol.for('@connect-chat/core.ConnectChatError');

/**
 * Options of `new ConnectChatError()`: the underlying failure, kept as `cause` so logs show the whole chain.
 *
 * @example
 * throw new ConnectChatError('INVALID_OPTIONS', 'route.destination: expected a string, got number', { cause: error });
 */
export interface ConnectChatErrorOptions {
  cause?: unknown;
}

/**
 * The one error class of connect-chat. Branch on `code`, never on the message.
 *
 * @example
 * try {
 *   await sender.send(event);
 * } catch (error) {
 *   if (ConnectChatError.is(error) && error.code === 'CONNECT_ACCESS_DENIED') {
 *     // this account may not call SendChatIntegrationEvent
 *   }
 * }
 */
export class ConnectChatError extends Error {
  readonly code: ConnectChatErrorCode;

  constructor(code: ConnectChatErrorCode, message: string, options: ConnectChatErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'ConnectChatError';
    this.code = code;
    Object.defineProperty(this, brand, { value: true });
  }

  /** The HTTP status a webhook answers for this error. */
  get status(): number {
    return httpStatusFor(this.code);
  }

  /**
   * Recognises a ConnectChatError, also one created by a second copy of this package.
   *
   * @example
   * if (ConnectChatError.is(error)) console.log(error.code);
   */
  static is(value: unknown): value is ConnectChatError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}
