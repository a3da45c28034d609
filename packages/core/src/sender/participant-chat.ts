import { SendError } from '../errors/send-error.ts';
import type { ContactFlowArn } from '../model/contact-flow-arn.ts';
import { splitText } from '../model/split-text.ts';
import type { ChatIntegrationEvent } from '../model/types.ts';
import type { ChannelAddress, ChatSession, SessionStore } from '../sessions/types.ts';
import { clientToken } from './client-token.ts';
import type { ParticipantCalls } from './participant-calls.ts';

/** What one attempt of the participant transport works with. */
export interface ChatRun {
  calls: ParticipantCalls;
  sessions: SessionStore;
  event: ChatIntegrationEvent;
  flow: ContactFlowArn;
  chatKey: string;
  idempotencyKey: string;
  address: ChannelAddress | undefined;
  chatDurationMinutes: number;
}

type LiveSession = ChatSession & { participant: NonNullable<ChatSession['participant']> };

/** The participant service's limit for `text/plain` and `text/markdown` content. */
const participantTextMaxLength = 1_024;
/** Refresh a connection token this long before it expires, so no call races its expiry. */
const refreshMarginMs = 5 * 60_000;

/** How long one instance may hold the right to start a conversation's chat (longer than any start takes). */
const chatStartLockMs = 30_000;

/**
 * The conversation's chat: the session in the store, or a new chat. With a store shared by several
 * instances, only the instance holding the conversation's start lock starts it; another one finds
 * the session once it is stored, or fails retryably (its retry then finds it).
 */
export async function openChat(run: ChatRun): Promise<LiveSession> {
  const session = await run.sessions.get(run.chatKey);
  if (session?.participant) return session as LiveSession;
  const { sessions } = run;
  if (!sessions.lockChatStart || !sessions.unlockChatStart) return startChat(run, 'first');
  const owner = crypto.randomUUID();
  if (!(await sessions.lockChatStart(run.chatKey, owner, chatStartLockMs))) {
    const started = await sessions.get(run.chatKey);
    if (started?.participant) return started as LiveSession;
    throw new SendError('CONNECT_UNAVAILABLE', "Another instance is starting this conversation's chat right now; retry in a moment");
  }
  try {
    // Started by another instance between the lookup and the lock?
    const started = await sessions.get(run.chatKey);
    return started?.participant ? (started as LiveSession) : await startChat(run, 'first');
  } finally {
    await sessions.unlockChatStart(run.chatKey, owner);
  }
}

/**
 * Starts a chat for this conversation: StartChatContact, StartContactStreaming when a topic is
 * configured, then the customer's connection. Stored only once all three are done; a retry
 * repeats them with the same ClientTokens and gets the same contact back.
 * @param round `again` when the conversation's chat ended: a token the ended chat's start never used.
 */
export async function startChat(run: ChatRun, round: 'first' | 'again'): Promise<LiveSession> {
  const { calls, event, flow, idempotencyKey } = run;
  const details = event.NewSessionDetails;
  const started = await calls.startChatContact({
    InstanceId: flow.instanceId,
    ContactFlowId: flow.contactFlowId,
    ParticipantDetails: { DisplayName: details?.ParticipantDetails?.DisplayName ?? event.SourceId },
    // Who wrote and on which channel, for contact flows (Connect shows SourceId itself only for integration events).
    Attributes: { ...details?.Attributes, sourceId: event.SourceId, ...(event.Subtype !== undefined ? { subtype: event.Subtype } : {}) },
    ...(details?.SupportedMessagingContentTypes ? { SupportedMessagingContentTypes: details.SupportedMessagingContentTypes } : {}),
    ChatDurationInMinutes: run.chatDurationMinutes,
    ClientToken: await clientToken(idempotencyKey, `StartChatContact:${round}`),
  });
  const { ContactId: contactId, ParticipantId: participantId, ParticipantToken: participantToken } = started;
  if (!contactId || !participantId || !participantToken) throw unreadable('StartChatContact');
  const topic = details?.StreamingConfiguration?.StreamingEndpointArn;
  if (topic !== undefined) {
    await calls.startContactStreaming({
      InstanceId: flow.instanceId,
      ContactId: contactId,
      ChatStreamingConfiguration: { StreamingEndpointArn: topic },
      ClientToken: await clientToken(idempotencyKey, `StartContactStreaming:${round}`),
    });
  }
  const now = Date.now();
  const session: ChatSession = {
    chatKey: run.chatKey,
    initialContactId: contactId,
    startedBy: idempotencyKey,
    startedAt: now,
    expiresAt: now + run.chatDurationMinutes * 60_000,
  };
  if (run.address) session.address = run.address;
  return connect(run, session, participantId, participantToken);
}

/** CreateParticipantConnection as the customer: a new connection token for the chat, stored. */
async function connect(run: ChatRun, session: ChatSession, participantId: string, participantToken: string): Promise<LiveSession> {
  const answer = await run.calls.createParticipantConnection(participantToken);
  const token = answer.ConnectionCredentials?.ConnectionToken;
  const expiresAt = Date.parse(answer.ConnectionCredentials?.Expiry ?? '');
  if (!token || Number.isNaN(expiresAt)) throw unreadable('CreateParticipantConnection');
  const live: LiveSession = { ...session, participant: { participantId, participantToken, connectionToken: token, connectionExpiresAt: expiresAt } };
  await run.sessions.put(live);
  return live;
}

/**
 * Posts the run's event on the chat: each part of a long text as its own SendMessage, an EVENT as
 * SendEvent, a DISCONNECT as DisconnectParticipant. Throws `ChatEnded` when the chat is gone.
 */
export async function postEvent(run: ChatRun, current: LiveSession): Promise<LiveSession> {
  const session = await fresh(run, current);
  const { calls, event, idempotencyKey } = run;
  const ConnectionToken = session.participant.connectionToken;
  const { Type, ContentType, Content } = event.Event;
  if (Type === 'DISCONNECT') {
    await calls.disconnectParticipant({ ConnectionToken, ClientToken: await clientToken(idempotencyKey, 'DisconnectParticipant') });
  } else if (Type === 'EVENT') {
    await calls.sendEvent({ ConnectionToken, ContentType, Content, ClientToken: await clientToken(idempotencyKey, 'SendEvent') });
  } else {
    for (const [index, part] of partsOf(ContentType, Content ?? '').entries()) {
      await calls.sendMessage({ ConnectionToken, ContentType, Content: part, ClientToken: await clientToken(idempotencyKey, `SendMessage:${index + 1}`) });
    }
  }
  return session;
}

/** The session with a connection token that outlives this attempt, and the latest channel address. */
async function fresh(run: ChatRun, session: LiveSession): Promise<LiveSession> {
  const { participantId, participantToken, connectionExpiresAt } = session.participant;
  const moved = run.address !== undefined && JSON.stringify(run.address) !== JSON.stringify(session.address);
  const next: ChatSession = moved ? { ...session, address: run.address } : session;
  if (connectionExpiresAt - Date.now() <= refreshMarginMs) return connect(run, next, participantId, participantToken);
  if (moved) await run.sessions.put(next);
  return next as LiveSession;
}

function partsOf(contentType: string | undefined, content: string): string[] {
  const text = contentType === 'text/plain' || contentType === 'text/markdown';
  return text ? splitText(content, participantTextMaxLength) : [content];
}

function unreadable(operation: string): SendError {
  return new SendError('CONNECT_UNAVAILABLE', `${operation}: Connect answered 200 without the fields it documents; retry later`);
}
