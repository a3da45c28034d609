import { ConnectClient, SendChatIntegrationEventCommand } from '@aws-sdk/client-connect';
import { ConnectChatError, type ConnectChatErrorCode } from '../errors/connect-chat-error.ts';
import { invalidOption } from '../options/toolkit.ts';
import { SendError } from '../errors/send-error.ts';
import type { ChatTransport, SenderOptions, TransportResult } from './types.ts';

/**
 * Options of {@link createConnectTransport}: a `client`, or what to build one from.
 *
 * @example
 * const options: ConnectTransportOptions = { region: 'eu-west-2', endpoint: process.env.AWS_ENDPOINT_URL_CONNECT };
 */
export type ConnectTransportOptions = Pick<SenderOptions, 'client' | 'region' | 'credentials' | 'endpoint'>;

const accessDeniedMessage =
  'Amazon Connect denied SendChatIntegrationEvent (AccessDeniedException). AWS restricts this API to AWS End User Messaging, ' +
  'so this account may not have access to it even with the connect:SendChatIntegrationEvent permission; ' +
  'check the IAM policy, and ask AWS Support whether the account can use the API';

/** `SendChatIntegrationEvent`'s documented quota: 17 requests/s, burst 26, per account and Region. */
const sendChatIntegrationEventQuota = Object.freeze({ requestsPerSecond: 17, burst: 26 });

/**
 * The default transport: one `SendChatIntegrationEventCommand` per call through the AWS SDK, no SDK
 * retries (the sender owns them), abortable. Pass your own `ConnectClient` as `client`, or let it
 * build one from `region`, `credentials` and `endpoint` (else `AWS_ENDPOINT_URL_CONNECT`). Its
 * `quota` is the API's documented one (17/s, burst 26), which the sender paces to by default.
 *
 * @example
 * const transport = createConnectTransport({ region: 'us-east-1', endpoint: 'http://127.0.0.1:4050' });
 * const sender = createSender({ transport });
 */
export function createConnectTransport(options: ConnectTransportOptions = {}): ChatTransport {
  if (typeof options !== 'object' || options === null) invalidOption('options', 'an object', options);
  if (options.client !== undefined) checkClientOnly(options);
  const client = options.client ?? createClient(checkTransportOptions(options));
  return {
    quota: sendChatIntegrationEventQuota,
    async send(event, { signal }): Promise<TransportResult> {
      let output: Record<string, unknown>;
      try {
        output = (await client.send(new SendChatIntegrationEventCommand(event), { abortSignal: signal })) as Record<string, unknown>;
      } catch (error) {
        throw toSendError(error, signal);
      }
      const contactId = output['InitialContactId'];
      const result: TransportResult = { NewChatCreated: output['NewChatCreated'] === true };
      if (typeof contactId === 'string') result.InitialContactId = contactId;
      const requestId = (output['$metadata'] as { requestId?: string } | undefined)?.requestId;
      if (requestId !== undefined) result.requestId = requestId;
      return result;
    },
  };
}

/**
 * Turns what the SDK throws into a `SendError` whose code says what happened; keeps the request id
 * and the AWS error name.
 *
 * @example
 * try { await client.send(command); } catch (error) { throw toSendError(error); }
 */
export function toSendError(error: unknown, signal?: AbortSignal): SendError {
  if (error instanceof SendError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const name = typeof e['name'] === 'string' ? e['name'] : undefined;
  const metadata = (e['$metadata'] ?? {}) as { httpStatusCode?: number; requestId?: string };
  const status = metadata.httpStatusCode;
  const requestId = metadata.requestId;
  const serviceMessage = messageOf(e);
  // A body that is not JSON (a proxy's HTML page) surfaces as the SDK's SyntaxError: no AWS error name.
  const unreadable = name === 'SyntaxError';
  const options = { cause: error, requestId, awsErrorName: status === undefined || unreadable ? undefined : name };

  if (status === undefined && isConfigurationError(name, serviceMessage)) {
    return new SendError(
      'CONNECT_MISCONFIGURED',
      `SendChatIntegrationEvent: the AWS SDK has no ${name === 'CredentialsProviderError' ? 'credentials' : 'region'} (${name ?? 'Error'}: ${serviceMessage ?? String(error)}); set the sender's region/credentials options or AWS_REGION and the SDK's credential chain`,
      { cause: error },
    );
  }
  if (signal?.aborted || name === 'AbortError' || name === 'TimeoutError' || status === undefined) {
    const why = signal?.aborted
      ? 'the attempt was aborted (timeout or deadline)'
      : `the request failed before Connect answered (${name ?? 'unknown error'}: ${serviceMessage ?? String(error)})`;
    return new SendError('NETWORK_ERROR', `SendChatIntegrationEvent: ${why}`, { cause: error });
  }
  if (unreadable) {
    const code = status >= 400 && status < 500 ? 'CONNECT_REJECTED' : 'CONNECT_UNAVAILABLE';
    return new SendError(code, `SendChatIntegrationEvent: HTTP ${status} with a body that is not Connect's JSON (a proxy or load balancer answered?)`, options);
  }
  const [code, text] = classify(name, status, serviceMessage, e['Reason']);
  return new SendError(code, text, options);
}

/** The SDK's own words for a client it cannot use: no credentials, or no region to sign for. */
function isConfigurationError(name: string | undefined, message: string | undefined): boolean {
  return name === 'CredentialsProviderError' || name === 'TokenProviderError' || /^Region is missing$/.test(message ?? '');
}

function classify(name: string | undefined, status: number, serviceMessage: string | undefined, reason: unknown): [ConnectChatErrorCode, string] {
  const detail = serviceMessage ? `: ${serviceMessage}` : '';
  if (name === 'ThrottlingException' || name === 'TooManyRequestsException' || name === 'LimitExceededException' || status === 429) {
    return [
      'CONNECT_THROTTLED',
      `Amazon Connect throttled SendChatIntegrationEvent (${name ?? status})${detail}; lower the send rate (rateLimit) or ask AWS for a higher quota`,
    ];
  }
  if (name === 'InternalServiceException' || status >= 500) {
    return ['CONNECT_UNAVAILABLE', `Amazon Connect failed (${name ?? 'HTTP'} ${status})${detail}`];
  }
  if (name === 'InvalidRequestException') {
    const why = reason === undefined ? '' : ` (Reason: ${JSON.stringify(reason)})`;
    return ['CONNECT_INVALID_REQUEST', `Amazon Connect rejected the event as invalid${detail}${why}`];
  }
  if (name === 'AccessDeniedException' || status === 403) return ['CONNECT_ACCESS_DENIED', `${accessDeniedMessage}${detail ? ` (service said${detail})` : ''}`];
  if (name === 'ResourceNotFoundException' || status === 404) {
    return [
      'CONNECT_RESOURCE_NOT_FOUND',
      `Amazon Connect found no resource for this event${detail}; check DestinationId (the End User Messaging number ARN) and that it is linked to the Connect instance`,
    ];
  }
  return ['CONNECT_REJECTED', `Amazon Connect rejected the event (${name ?? 'HTTP'} ${status})${detail}`];
}

function messageOf(e: Record<string, unknown>): string | undefined {
  for (const key of ['Message', 'message']) {
    const value = e[key];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}

function createClient(options: ConnectTransportOptions): ConnectClient {
  // Bun and Deno load the SDK's Node build, which reads AWS_ENDPOINT_URL_CONNECT itself; the
  // browser build (workerd, bundlers) does not, so read it wherever a process environment exists.
  const endpoint = options.endpoint ?? environmentEndpoint();
  return new ConnectClient({
    maxAttempts: 1,
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
  });
}

function environmentEndpoint(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.['AWS_ENDPOINT_URL_CONNECT'];
  if (value === undefined || value === '' || env?.['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'] === 'true') return undefined;
  checkUrl(value, 'AWS_ENDPOINT_URL_CONNECT');
  return value;
}

function checkTransportOptions(options: ConnectTransportOptions): ConnectTransportOptions {
  const { region, credentials, endpoint } = options;
  if (region !== undefined && (typeof region !== 'string' || !/^[a-z0-9-]{1,50}$/.test(region))) {
    invalidOption('region', 'an AWS Region such as us-east-1', region);
  }
  if (credentials !== undefined && typeof credentials !== 'function') {
    if (typeof credentials !== 'object' || credentials === null)
      invalidOption('credentials', 'an object { accessKeyId, secretAccessKey, sessionToken? } or a function returning one', credentials);
    if (typeof credentials.accessKeyId !== 'string' || credentials.accessKeyId === '')
      invalidOption('credentials.accessKeyId', 'a non-empty string', credentials.accessKeyId);
    // Never echo a secret, not even a wrong one.
    if (typeof credentials.secretAccessKey !== 'string' || credentials.secretAccessKey === '') {
      throw new ConnectChatError(
        'INVALID_OPTIONS',
        `credentials.secretAccessKey: expected a non-empty string, got ${credentials.secretAccessKey === '' ? 'an empty string' : typeof credentials.secretAccessKey}`,
      );
    }
    if (credentials.sessionToken !== undefined && typeof credentials.sessionToken !== 'string') {
      throw new ConnectChatError('INVALID_OPTIONS', `credentials.sessionToken: expected a string, got ${typeof credentials.sessionToken}`);
    }
  }
  if (endpoint !== undefined) checkUrl(endpoint, 'endpoint');
  return options;
}

function checkClientOnly(options: ConnectTransportOptions): void {
  const { client } = options;
  if (typeof client !== 'object' || client === null || typeof client.send !== 'function') {
    invalidOption('client', 'a ConnectClient (an object with a send(command) method)', client);
  }
  for (const key of ['region', 'credentials', 'endpoint'] as const) {
    if (options[key] !== undefined) {
      throw new ConnectChatError('INVALID_OPTIONS', `${key}: configure the ConnectClient you pass as client instead; got both client and ${key}`);
    }
  }
}

function checkUrl(value: unknown, path: string): void {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) invalidOption(path, 'an http(s) URL such as http://127.0.0.1:4050', value);
}
