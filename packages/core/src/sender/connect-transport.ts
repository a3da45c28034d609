import { ConnectClient, SendChatIntegrationEventCommand } from '@aws-sdk/client-connect';
import { expectRecord } from '../options/toolkit.ts';
import { checkAwsClientOptions, checkGivenClient, environmentEndpoint, sdkClientConfig } from './aws-clients.ts';
import { type RefusalHints, toSendError } from './aws-errors.ts';
import type { ChatTransport, SenderOptions, TransportResult } from './types.ts';

/**
 * Options of {@link createConnectTransport}: a `client`, or what to build one from.
 *
 * @example
 * const options: ConnectTransportOptions = { region: 'eu-west-2', endpoint: process.env.AWS_ENDPOINT_URL_CONNECT };
 */
export type ConnectTransportOptions = Pick<SenderOptions, 'client' | 'region' | 'credentials' | 'endpoint'>;

const operation = 'SendChatIntegrationEvent';

const hints: RefusalHints = {
  accessDenied:
    'AWS restricts this API to AWS End User Messaging, so this account may not have access to it even with the ' +
    'connect:SendChatIntegrationEvent permission. Any Connect account can use the participant transport instead ' +
    '(createParticipantTransport; CONNECT_TRANSPORT=participant in the sample bridges) with a contact flow ARN as DestinationId',
  notFound: 'check DestinationId (the End User Messaging number ARN) and that it is linked to the Connect instance',
};

/** `SendChatIntegrationEvent`'s documented quota: 17 requests/s, burst 26, per account and Region. */
const quotas = Object.freeze({ [operation]: Object.freeze({ requestsPerSecond: 17, burst: 26 }) });

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
  const client = options.client ?? createClient(checkAwsClientOptions(options));
  return {
    quotas,
    async send(event, { signal, pace }): Promise<TransportResult> {
      let output: Record<string, unknown>;
      await pace(operation);
      try {
        output = (await client.send(new SendChatIntegrationEventCommand(event), { abortSignal: signal })) as Record<string, unknown>;
      } catch (error) {
        throw toSendError(error, { operation, hints, signal });
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

function createClient(options: ConnectTransportOptions): ConnectClient {
  const endpoint = options.endpoint ?? environmentEndpoint('AWS_ENDPOINT_URL_CONNECT');
  return new ConnectClient(sdkClientConfig({ region: options.region, credentials: options.credentials, endpoint }));
}
