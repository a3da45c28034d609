import { ConnectClient } from '@aws-sdk/client-connect';
import { ConnectParticipantClient } from '@aws-sdk/client-connectparticipant';
import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { SendError } from '../errors/send-error.ts';
import { chatKeyOf } from '../model/chat-key.ts';
import { type ContactFlowArn, contactFlowArnShape, parseContactFlowArn } from '../model/contact-flow-arn.ts';
import type { ChatIntegrationEvent } from '../model/types.ts';
import { expectRecord, invalidOption, positiveInteger, rejectUnknownKeys } from '../options/toolkit.ts';
import { createMemorySessionStore } from '../sessions/memory-session-store.ts';
import type { ChatSession, SessionStore } from '../sessions/types.ts';
import { checkAwsClientOptions, checkGivenClient, environmentEndpoint } from './aws-clients.ts';
import { createSdkClient, sdkClientConfig } from './sdk-client.ts';
import { type ChatRun, openChat, postEvent, startChat } from './participant-chat.ts';
import { ChatEnded, ParticipantCalls, type SdkClient } from './participant-calls.ts';
import type { AwsKeys, ChatTransport, TransportResult, TransportSendOptions } from './types.ts';

/**
 * Options of {@link createParticipantTransport}: clients, or what to build them from.
 *
 * @example
 * const options: ParticipantTransportOptions = { region: 'eu-west-2', chatDurationMinutes: 120 };
 */
export interface ParticipantTransportOptions {
  /** An existing `ConnectClient` (StartChatContact, StartContactStreaming); its retries add to ours. */
  client?: SdkClient;
  /** An existing `ConnectParticipantClient` (CreateParticipantConnection, SendMessage, SendEvent, DisconnectParticipant). */
  participantClient?: SdkClient;
  region?: string;
  /** Signs the Connect calls (the participant service authenticates with the chat's tokens; the SDK signs those calls too). */
  credentials?: AwsKeys | (() => Promise<AwsKeys>);
  /** Connect endpoint override; `AWS_ENDPOINT_URL_CONNECT` is honoured when unset. */
  endpoint?: string;
  /** Participant service endpoint override; `AWS_ENDPOINT_URL_CONNECTPARTICIPANT` is honoured when unset. */
  participantEndpoint?: string;
  /** Which chat each conversation is in. Default: in memory, 10,000 sessions. */
  sessions?: SessionStore;
  /** `ChatDurationInMinutes` of each new chat, 60..10,080; sessions expire with it. Default 1,500 (Connect's 25 hours). */
  chatDurationMinutes?: number;
}

/** The documented quotas of the calls this transport makes, per account and Region (per instance for CreateParticipantConnection). */
const quotas = Object.freeze({
  StartChatContact: { requestsPerSecond: 5, burst: 8 },
  StartContactStreaming: { requestsPerSecond: 5, burst: 8 },
  CreateParticipantConnection: { requestsPerSecond: 6, burst: 9 },
  SendMessage: { requestsPerSecond: 10, burst: 15 },
  SendEvent: { requestsPerSecond: 10, burst: 15 },
  DisconnectParticipant: { requestsPerSecond: 3, burst: 5 },
});

const optionNames = ['client', 'participantClient', 'region', 'credentials', 'endpoint', 'participantEndpoint', 'sessions', 'chatDurationMinutes'];

/**
 * A transport any Connect account can use: a conversation's first event starts a chat
 * (StartChatContact with the contact flow of `DestinationId`, then StartContactStreaming when
 * `NewSessionDetails.StreamingConfiguration` names a topic, then CreateParticipantConnection as the
 * customer); its messages and events go through the participant service (SendMessage, SendEvent;
 * DISCONNECT → DisconnectParticipant). `DestinationId` must be a contact flow ARN. Every call
 * carries a ClientToken derived from the send's idempotency key, connection tokens are refreshed
 * before they expire, and a chat that ended is replaced by a new one carrying the message.
 *
 * @example
 * const transport = createParticipantTransport({ region: 'us-east-1' });
 * const sender = createSender({ transport });
 * await sender.send(textMessage({ SourceId: '+14155550100', DestinationId: contactFlowArn, Subtype: 'connect:sms' }, 'Hi'));
 */
export function createParticipantTransport(options: ParticipantTransportOptions = {}): ChatTransport {
  expectRecord(options, 'options');
  rejectUnknownKeys(options, optionNames, '');
  const chatDurationMinutes = positiveInteger(options.chatDurationMinutes, 'chatDurationMinutes', 1_500);
  if (chatDurationMinutes < 60 || chatDurationMinutes > 10_080) invalidOption('chatDurationMinutes', 'an integer 60..10,080', chatDurationMinutes);
  const given = options.sessions ?? createMemorySessionStore();
  checkSessionStore(given);
  const sessions = guarded(given);
  const { connect, participant } = createClients(options);

  return {
    quotas,
    sessions: given,
    // Every call carries a ClientToken derived from the message's idempotency key.
    idempotent: true,
    async send(event, attempt: TransportSendOptions): Promise<TransportResult> {
      const flow = contactFlowOf(event);
      const run: ChatRun = {
        calls: new ParticipantCalls(connect, participant, attempt),
        sessions,
        event,
        flow,
        chatKey: chatKeyOf(event),
        idempotencyKey: attempt.idempotencyKey,
        address: attempt.address,
        chatDurationMinutes,
      };
      if (event.Event.Type === 'DISCONNECT') return disconnect(run);
      return deliver(run);
    },
  };
}

/** MESSAGE and EVENT: into the conversation's chat, starting one if there is none or it ended. */
async function deliver(run: ChatRun): Promise<TransportResult> {
  let session = await openChat(run);
  try {
    session = await postEvent(run, session);
  } catch (error) {
    if (!(error instanceof ChatEnded)) throw error;
    // The chat ended at Connect: the message starts the next one, never lost.
    await run.sessions.delete(session.initialContactId);
    session = await startChat(run, 'again');
    try {
      session = await postEvent(run, session);
    } catch (again) {
      if (again instanceof ChatEnded)
        throw new SendError('CONNECT_UNAVAILABLE', `${again.operation}: the chat started for this message ended at once; retry later`);
      throw again;
    }
  }
  return { InitialContactId: session.initialContactId, NewChatCreated: session.startedBy === run.idempotencyKey };
}

/** DISCONNECT: the customer leaves the chat, which ends it; no chat → nothing to end, as Connect answers. */
async function disconnect(run: ChatRun): Promise<TransportResult> {
  const session = await run.sessions.get(run.chatKey);
  if (!session?.participant) return { NewChatCreated: false };
  try {
    await postEvent(run, { ...session, participant: session.participant });
  } catch (error) {
    if (!(error instanceof ChatEnded)) throw error;
  }
  await run.sessions.delete(session.initialContactId);
  return { InitialContactId: session.initialContactId, NewChatCreated: false };
}

function contactFlowOf(event: ChatIntegrationEvent): ContactFlowArn {
  const flow = parseContactFlowArn(event.DestinationId);
  if (!flow) {
    throw new SendError(
      'INVALID_EVENT',
      `DestinationId: the participant transport needs ${contactFlowArnShape}, got ${JSON.stringify(event.DestinationId.slice(0, 300))}`,
    );
  }
  return flow;
}

function createClients(options: ParticipantTransportOptions): { connect: SdkClient; participant: SdkClient } {
  if (options.client !== undefined) checkGivenClient(options, 'client', 'ConnectClient', ['credentials', 'endpoint']);
  if (options.participantClient !== undefined) checkGivenClient(options, 'participantClient', 'ConnectParticipantClient', ['participantEndpoint']);
  const { region, credentials, endpoint, participantEndpoint } = checkAwsClientOptions(options);
  const connect =
    options.client ??
    createSdkClient(new ConnectClient(sdkClientConfig({ region, credentials, endpoint: endpoint ?? environmentEndpoint('AWS_ENDPOINT_URL_CONNECT') })));
  const participant =
    options.participantClient ??
    // The participant service authenticates with X-Amz-Bearer; the SDK signs its requests too and
    // needs credentials for that, which the service accepts (as the public samples' Lambdas do).
    createSdkClient(
      new ConnectParticipantClient(
        sdkClientConfig({ region, credentials, endpoint: participantEndpoint ?? environmentEndpoint('AWS_ENDPOINT_URL_CONNECTPARTICIPANT') }),
      ),
    );
  return { connect, participant };
}

/** A store that fails is a transient failure of the send (503), never an unexpected one. */
function guarded(store: SessionStore): SessionStore {
  const wrap =
    <A extends unknown[], R>(method: string, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (cause) {
        throw new SendError('SESSION_STORE_UNAVAILABLE', `The session store failed (${method}); nothing more was sent, retry later`, { cause });
      }
    };
  const { lockChatStart, unlockChatStart } = store;
  return {
    get: wrap('get', (key: string) => store.get(key)),
    getByContact: wrap('getByContact', (contactId: string) => store.getByContact(contactId)),
    put: wrap('put', (session: ChatSession) => store.put(session)),
    delete: wrap('delete', (contactId: string) => store.delete(contactId)),
    ...(lockChatStart && unlockChatStart
      ? {
          lockChatStart: wrap('lockChatStart', (key: string, owner: string, ttlMs: number) => lockChatStart.call(store, key, owner, ttlMs)),
          unlockChatStart: wrap('unlockChatStart', (key: string, owner: string) => unlockChatStart.call(store, key, owner)),
        }
      : {}),
  };
}

function checkSessionStore(sessions: unknown): asserts sessions is SessionStore {
  const store = sessions as Record<string, unknown> | null;
  for (const method of ['get', 'getByContact', 'put', 'delete']) {
    if (typeof store !== 'object' || store === null || typeof store[method] !== 'function') {
      throw new ConnectChatError('INVALID_OPTIONS', `sessions.${method}: expected a function (a SessionStore has get, getByContact, put and delete)`);
    }
  }
}
