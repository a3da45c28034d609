import { ConnectChatError, type ConnectChatErrorCode, type ConnectChatErrorOptions, isRetryableCode } from './connect-chat-error.ts';

/**
 * Options of `new SendError()`: what Connect answered, so a failure can be matched to AWS's logs.
 *
 * @example
 * new SendError('CONNECT_THROTTLED', 'Connect throttled the event', { awsErrorName: 'ThrottlingException', requestId, attempts: 5 });
 */
export interface SendErrorOptions extends ConnectChatErrorOptions {
  /** `x-amzn-RequestId` of the last attempt, when Connect answered. */
  requestId?: string;
  /** The AWS error name, e.g. `ThrottlingException`. */
  awsErrorName?: string;
  /** How many calls to Connect were made. */
  attempts?: number;
}

/**
 * A chat integration event could not be sent to Amazon Connect. `retryable` says whether the same
 * event may succeed later (throttling, 5xx, network, deadline) or never will (400, 403, 404).
 *
 * @example
 * catch (error) {
 *   if (error instanceof SendError && error.retryable) scheduleRetry();
 * }
 */
export class SendError extends ConnectChatError {
  readonly retryable: boolean;
  readonly requestId: string | undefined;
  readonly awsErrorName: string | undefined;
  readonly attempts: number;

  constructor(code: ConnectChatErrorCode, message: string, options: SendErrorOptions = {}) {
    super(code, message, options);
    this.name = 'SendError';
    this.retryable = isRetryableCode(code);
    this.requestId = options.requestId;
    this.awsErrorName = options.awsErrorName;
    this.attempts = options.attempts ?? 0;
  }
}
