import { type ConnectChatError, type ConnectChatErrorCode, httpStatusFor } from '../errors/connect-chat-error.ts';
import type { OutboundResponse } from '../wire/types.ts';

const jsonHeaders = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } as const;

/** What the error response may add: `Allow` for 405, `Retry-After` for 503. */
export interface ErrorResponseOptions {
  /** Methods for the `Allow` header of a 405. */
  allow?: readonly string[];
  /** Seconds for the `Retry-After` header of a 503. */
  retryAfterSeconds: number;
}

/** The message an `INTERNAL` error answers with: the real one may hold anything, so it stays in the logs. */
export const internalErrorMessage = 'Internal error; the failure was logged.';

/**
 * The JSON error response for a code and a message safe to show: `{"error":{"code","message"}}`,
 * its status from {@link httpStatusFor}, `Allow` on 405 and `Retry-After` on 503.
 *
 * @example
 * errorResponse('METHOD_NOT_ALLOWED', 'Use POST.', { allow: ['POST'], retryAfterSeconds: 5 });
 * // { status: 405, headers: { allow: 'POST', … }, body: '{"error":{"code":"METHOD_NOT_ALLOWED","message":"Use POST."}}' }
 */
export function errorResponse(code: ConnectChatErrorCode, message: string, options: ErrorResponseOptions): OutboundResponse {
  const status = httpStatusFor(code);
  const headers: Record<string, string> = { ...jsonHeaders };
  if (status === 405 && options.allow) headers.allow = options.allow.join(', ');
  if (status === 503) headers['retry-after'] = String(options.retryAfterSeconds);
  return { status, headers, body: JSON.stringify({ error: { code, message } }) };
}

/**
 * The error response for a `ConnectChatError`. An `INTERNAL` error answers a fixed message,
 * because whatever it wraps may contain secrets or internals.
 *
 * @example
 * errorResponseFor(new ConnectChatError('FORBIDDEN', 'Topic not allowed.'), { retryAfterSeconds: 5 }).status; // 403
 */
export function errorResponseFor(error: ConnectChatError, options: ErrorResponseOptions): OutboundResponse {
  return errorResponse(error.code, error.code === 'INTERNAL' ? internalErrorMessage : error.message, options);
}

// What Connect or the network said (IAM principal ARNs, account ids, internal hosts and ports)
// is for the logs and `onError`; a webhook caller gets the code and one of these sentences.
const sendFailureMessages: Partial<Record<ConnectChatErrorCode, string>> = {
  CONNECT_THROTTLED: 'Amazon Connect is throttling; retry later.',
  CONNECT_UNAVAILABLE: 'Amazon Connect is unavailable; retry later.',
  NETWORK_ERROR: 'Amazon Connect could not be reached; retry later.',
  DEADLINE_EXCEEDED: 'The message could not be sent to Amazon Connect in time; retry later.',
  SENDER_OVERLOADED: 'The bridge has too many messages waiting to be sent; retry later.',
  CONNECT_MISCONFIGURED: 'The bridge is not configured to reach Amazon Connect (no AWS region or credentials); retry later. The details were logged.',
  CONNECT_INVALID_REQUEST: 'Amazon Connect rejected the message as invalid; the details were logged.',
  CONNECT_ACCESS_DENIED:
    'Amazon Connect denied the request (AccessDeniedException); the details were logged. SendChatIntegrationEvent is restricted to AWS End User Messaging: the participant transport works on every account.',
  CONNECT_RESOURCE_NOT_FOUND: 'Amazon Connect found no resource for this message (check the DestinationId); the details were logged.',
  SESSION_STORE_UNAVAILABLE: 'The session store failed; retry later. The details were logged.',
  CHANNEL_UNAVAILABLE: "The customer's channel is unavailable; retry later.",
  CONNECT_REJECTED: 'Amazon Connect rejected the message; the details were logged.',
};

/**
 * The error response for a message that could not be sent: Connect's and the network's own words
 * are replaced by a fixed sentence per code; any other error answers as {@link errorResponseFor}.
 *
 * @example
 * sendFailureResponse(new SendError('CONNECT_THROTTLED', 'Rate exceeded for arn:…'), { retryAfterSeconds: 5 }).body;
 * // '{"error":{"code":"CONNECT_THROTTLED","message":"Amazon Connect is throttling; retry later."}}'
 */
export function sendFailureResponse(error: ConnectChatError, options: ErrorResponseOptions): OutboundResponse {
  const message = sendFailureMessages[error.code];
  return message === undefined ? errorResponseFor(error, options) : errorResponse(error.code, message, options);
}

/** How the messages of one delivery ended, for the default 200 body. */
export interface DeliverySummary {
  sent: number;
  /** Written to the durable acceptance queue; in the body only when some were. */
  queued?: number;
  duplicates: number;
  ignored: number;
}

/**
 * The default 200 answer once every message of a delivery is handled:
 * `{"status":"ok","sent":n,"duplicates":n,"ignored":n}`.
 *
 * @example
 * okResponse({ sent: 1, duplicates: 0, ignored: 0 }).status; // 200
 */
export function okResponse(summary: DeliverySummary): OutboundResponse {
  return {
    status: 200,
    headers: { ...jsonHeaders },
    body: JSON.stringify({
      status: 'ok',
      sent: summary.sent,
      ...(summary.queued ? { queued: summary.queued } : {}),
      duplicates: summary.duplicates,
      ignored: summary.ignored,
    }),
  };
}
