import { ConnectClient, SendChatIntegrationEventCommand } from '@aws-sdk/client-connect';
import { expectRecord } from '../options/toolkit.ts';
import { checkAwsClientOptions, checkGivenClient, environmentEndpoint, sdkClientConfig } from './aws-clients.ts';
import { type RefusalHints, toSendError } from './aws-errors.ts';
import { chatKeyOf } from '../model/chat-key.ts';
import type { ChatIntegrationEvent } from '../model/types.ts';
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

/** Connect's default chat duration: how long a recorded session is kept. */
const chatDurationMs = 25 * 60 * 60_000;

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
  const sessions = options.sessions ?? createMemorySessionStore();
  return {
    quotas,
    sessions,
    async send(event, { signal, pace, idempotencyKey, address }): Promise<TransportResult> {
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
      await recordSession(sessions, event, result, { idempotencyKey, address });
      return result;
    },
  };
}

/**
 * Remembers which contact a conversation is in and where its customer wrote from, so an agent's
 * streamed reply finds its way back. Connect accepted the event already: a store failure here must
 * not fail the send (its retry would duplicate the message), so it only costs that reply its route.
 */
async function recordSession(
  sessions: SessionStore,
  event: ChatIntegrationEvent,
  result: TransportResult,
  sent: Pick<TransportSendOptions, 'idempotencyKey' | 'address'>,
): Promise<void> {
  const contactId = result.InitialContactId;
  if (contactId === undefined) return;
  try {
    if (event.Event.Type === 'DISCONNECT') return await sessions.delete(contactId);
    if (sent.address === undefined) return;
    const chatKey = chatKeyOf(event);
    const known = await sessions.get(chatKey);
    if (known?.initialContactId === contactId && JSON.stringify(known.address) === JSON.stringify(sent.address)) return;
    const now = Date.now();
    await sessions.put(
      known?.initialContactId === contactId
        ? { ...known, address: sent.address }
        : { chatKey, initialContactId: contactId, startedBy: sent.idempotencyKey, startedAt: now, expiresAt: now + chatDurationMs, address: sent.address },
    );
  } catch {
    // Deliberately swallowed: see above. The reply route reports the missing session when it matters.
  }
}

function createClient(options: ConnectTransportOptions): ConnectClient {
  const endpoint = options.endpoint ?? environmentEndpoint('AWS_ENDPOINT_URL_CONNECT');
  return new ConnectClient(sdkClientConfig({ region: options.region, credentials: options.credentials, endpoint }));
}
