import { ConnectClient, SendChatIntegrationEventCommand } from '@aws-sdk/client-connect';
import { expectRecord } from '../options/toolkit.ts';
import { checkAwsClientOptions, checkGivenClient, environmentEndpoint } from './aws-clients.ts';
import { type CoreSdkClient, createSdkClient, sdkClientConfig } from './sdk-client.ts';
import { stopOf } from './deadlines.ts';
import { toSendError } from './aws-errors.ts';
import { hints, operation, quotas, recordSession, toTransportResult } from './integration-event.ts';
import { createMemorySessionStore } from '../sessions/memory-session-store.ts';
import type { SessionStore } from '../sessions/types.ts';
import type { ChatTransport, SenderOptions, TransportResult, TransportSendOptions } from './types.ts';

/**
 * Options of {@link createConnectTransport}: a `client`, or what to build one from.
 *
 * @example
 * const options: ConnectTransportOptions = { region: 'eu-west-2', endpoint: process.env.AWS_ENDPOINT_URL_CONNECT };
 */
export type ConnectTransportOptions = Pick<SenderOptions, 'client' | 'region' | 'credentials' | 'endpoint'> & {
  /** Where each chat's contact and channel address is recorded for the reply route. Default: in memory. */
  sessions?: SessionStore;
};

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
  expectRecord(options, 'options');
  if (options.client !== undefined) checkGivenClient(options, 'client', 'ConnectClient', ['region', 'credentials', 'endpoint']);
  const call = callerOf(options);
  const sessions = options.sessions ?? createMemorySessionStore();
  return {
    quotas,
    sessions,
    async send(event, attempt): Promise<TransportResult> {
      const { pace, idempotencyKey, address } = attempt;
      let output: Record<string, unknown>;
      await pace(operation);
      try {
        output = (await call(new SendChatIntegrationEventCommand(event), attempt)) as Record<string, unknown>;
      } catch (error) {
        throw toSendError(error, { operation, hints, signal: stopOf(attempt) });
      }
      const result = toTransportResult(output, (output['$metadata'] as { requestId?: string } | undefined)?.requestId);
      await recordSession(sessions, event, result, { idempotencyKey, address });
      return result;
    },
  };
}

/**
 * How one call is made: a client core built is handed the sender's light stop (its request handler
 * needs no AbortSignal, which costs ~20 µs a call on Node 20); a client passed in, the AbortSignal.
 */
function callerOf(options: ConnectTransportOptions): (command: unknown, attempt: TransportSendOptions) => Promise<unknown> {
  const given = options.client;
  if (given !== undefined) return (command, attempt) => given.send(command, { abortSignal: attempt.signal });
  const own = createClient(checkAwsClientOptions(options));
  return (command, attempt) => own.send(command, { abortSignal: stopOf(attempt) });
}

function createClient(options: ConnectTransportOptions): CoreSdkClient {
  const endpoint = options.endpoint ?? environmentEndpoint('AWS_ENDPOINT_URL_CONNECT');
  return createSdkClient(new ConnectClient(sdkClientConfig({ region: options.region, credentials: options.credentials, endpoint })));
}
