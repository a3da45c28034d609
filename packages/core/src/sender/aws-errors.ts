import type { ConnectChatErrorCode } from '../errors/connect-chat-error.ts';
import { SendError } from '../errors/send-error.ts';

/**
 * What to tell the operator about a refusal of this operation, in the words of the transport
 * that called it.
 *
 * @example
 * const hints: RefusalHints = { accessDenied: 'check the IAM policy', notFound: 'check DestinationId' };
 */
export interface RefusalHints {
  accessDenied: string;
  notFound: string;
}

/**
 * Turns what an AWS SDK client throws for `operation` into a `SendError` whose code says what
 * happened; keeps the request id and the AWS error name.
 *
 * @example
 * try { await client.send(command); } catch (error) { throw toSendError(error, { operation: 'StartChatContact', hints, signal }); }
 */
export function toSendError(
  error: unknown,
  context: { operation: string; hints: RefusalHints; signal?: { readonly aborted: boolean } | undefined },
): SendError {
  if (error instanceof SendError) return error;
  const { operation, hints, signal } = context;
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const name = typeof e['name'] === 'string' ? e['name'] : undefined;
  const metadata = (e['$metadata'] ?? {}) as { httpStatusCode?: number; requestId?: string };
  const status = metadata.httpStatusCode;
  const serviceMessage = messageOf(e);
  // A body that is not JSON (a proxy's HTML page) surfaces as the SDK's SyntaxError: no AWS error name.
  const unreadable = name === 'SyntaxError';
  const options = { cause: error, requestId: metadata.requestId, awsErrorName: status === undefined || unreadable ? undefined : name };

  if (status === undefined && isConfigurationError(name, serviceMessage)) {
    return new SendError(
      'CONNECT_MISCONFIGURED',
      `${operation}: the AWS SDK has no ${name === 'CredentialsProviderError' ? 'credentials' : 'region'} (${name ?? 'Error'}: ${serviceMessage ?? String(error)}); set the sender's region/credentials options or AWS_REGION and the SDK's credential chain`,
      { cause: error },
    );
  }
  if (signal?.aborted || name === 'AbortError' || name === 'TimeoutError' || status === undefined) {
    const why = signal?.aborted
      ? 'the attempt was aborted (timeout or deadline)'
      : `the request failed before Connect answered (${name ?? 'unknown error'}: ${serviceMessage ?? String(error)})`;
    return new SendError('NETWORK_ERROR', `${operation}: ${why}`, { cause: error });
  }
  if (unreadable) {
    const code = status >= 400 && status < 500 ? 'CONNECT_REJECTED' : 'CONNECT_UNAVAILABLE';
    return new SendError(code, `${operation}: HTTP ${status} with a body that is not Connect's JSON (a proxy or load balancer answered?)`, options);
  }
  const [code, text] = classify({ name, status, operation, hints, detail: serviceMessage ? `: ${serviceMessage}` : '', reason: e['Reason'] });
  return new SendError(code, text, options);
}

/** The SDK's own words for a client it cannot use: no credentials, or no region to sign for. */
function isConfigurationError(name: string | undefined, message: string | undefined): boolean {
  return name === 'CredentialsProviderError' || name === 'TokenProviderError' || /^Region is missing$/.test(message ?? '');
}

interface Answer {
  name: string | undefined;
  status: number;
  operation: string;
  hints: RefusalHints;
  detail: string;
  reason: unknown;
}

const throttlingNames = ['ThrottlingException', 'TooManyRequestsException', 'LimitExceededException'];
const invalidNames = ['InvalidRequestException', 'InvalidParameterException', 'ValidationException'];

function classify({ name, status, operation, hints, detail, reason }: Answer): [ConnectChatErrorCode, string] {
  const called = `${operation} (${name ?? 'HTTP'} ${status})${detail}`;
  if ((name !== undefined && throttlingNames.includes(name)) || status === 429) {
    // LimitExceededException: too many concurrent chats, which clears as chats end.
    return ['CONNECT_THROTTLED', `Amazon Connect throttled ${called}; lower the send rate (rateLimit) or ask AWS for a higher quota`];
  }
  if (name === 'InternalServiceException' || name === 'InternalServerException' || status >= 500) {
    return ['CONNECT_UNAVAILABLE', `Amazon Connect failed ${called}`];
  }
  if (name !== undefined && invalidNames.includes(name)) {
    const why = reason === undefined ? '' : ` (Reason: ${JSON.stringify(reason)})`;
    return ['CONNECT_INVALID_REQUEST', `Amazon Connect rejected ${called} as invalid${why}`];
  }
  if (name === 'AccessDeniedException' || status === 403) return ['CONNECT_ACCESS_DENIED', `Amazon Connect denied ${called}; ${hints.accessDenied}`];
  if (name === 'ResourceNotFoundException' || status === 404)
    return ['CONNECT_RESOURCE_NOT_FOUND', `Amazon Connect found no resource for ${called}; ${hints.notFound}`];
  return ['CONNECT_REJECTED', `Amazon Connect rejected ${called}`];
}

function messageOf(e: Record<string, unknown>): string | undefined {
  for (const key of ['Message', 'message']) {
    const value = e[key];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}
