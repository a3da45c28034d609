import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { NewSessionDetails } from '@connect-chat/core';
import type { SigV4Verifier } from '../auth/sigv4.ts';
import { CappedMap } from '../capped-map.ts';
import type { ChatStore } from '../chats/chat-store.ts';
import { type OperationContext, type OperationHandler, receiveOperation, signedWith } from '../http/aws-operation.ts';
import { messageFields, RequestFields } from '../http/request-fields.ts';
import { sendAwsError, sendJson } from '../http/respond.ts';
import type { ParticipantSessions } from '../participants/participant-sessions.ts';
import type { ChatRecord } from '../types.ts';

/** What Connect's contact operations need. */
export interface ContactOperationDeps extends OperationContext {
  verifier: SigV4Verifier;
  store: ChatStore;
  sessions: ParticipantSessions;
  accountId: string;
}

/** The StartChatContact answer, replayed for the same ClientToken. */
interface StartChatContactOutput {
  ContactId: string;
  ParticipantId: string;
  ParticipantToken: string;
}

const maxAttributesBytes = 32_768;
const maxRememberedClientTokens = 10_000;
const streamingArnPattern = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/**
 * Connect's `StartChatContact`, `StartContactStreaming` and `StopContactStreaming` over the chat
 * store: SigV4 as for SendChatIntegrationEvent, `InvalidRequestException` for a request that breaks
 * the API's constraints, ClientToken idempotency.
 *
 * @example
 * const contacts = createContactOperations({ verifier, store, sessions, accountId: '111122223333', faults, logger, shutdown });
 * if (method === 'PUT' && pathname === '/contact/chat') await contacts.StartChatContact(req, res, requestId);
 */
export function createContactOperations(deps: ContactOperationDeps): {
  StartChatContact: OperationHandler;
  StartContactStreaming: OperationHandler;
  StopContactStreaming: OperationHandler;
  clear(): void;
} {
  const state: ContactState = {
    deps,
    started: new CappedMap<string, StartChatContactOutput>(maxRememberedClientTokens),
    streams: new CappedMap<string, string>(maxRememberedClientTokens),
  };
  return {
    StartChatContact: (req, res, requestId) => startChatContact(state, req, res, requestId),
    StartContactStreaming: (req, res, requestId) => startContactStreaming(state, req, res, requestId),
    StopContactStreaming: (req, res, requestId) => stopContactStreaming(state, req, res, requestId),
    clear() {
      state.started.clear();
      state.streams.clear();
    },
  };
}

/** The operations' shared state: their dependencies and the answers replayed per ClientToken. */
interface ContactState {
  deps: ContactOperationDeps;
  started: CappedMap<string, StartChatContactOutput>;
  streams: CappedMap<string, string>;
}

type Operation = (state: ContactState, ...args: Parameters<OperationHandler>) => ReturnType<OperationHandler>;

/** The chat ContactId names in InstanceId, or undefined after answering 404. */
function contactOf({ deps }: ContactState, res: ServerResponse, instanceId: string, contactId: string): ChatRecord | undefined {
  const chat = deps.store.get(contactId);
  if (chat && chat.instanceId === instanceId) return chat;
  sendAwsError(res, 404, 'ResourceNotFoundException', `Contact ${contactId} not found in instance ${instanceId}.`);
  return undefined;
}

/** A valid StartChatContact request, or its issues. */
function readStartChatContact(body: Record<string, unknown>) {
  const fields = new RequestFields(body);
  const instanceId = fields.string('InstanceId', { min: 1, max: 100, required: true });
  const contactFlowId = fields.string('ContactFlowId', { min: 1, max: 500, required: true });
  const participant = fields.record('ParticipantDetails', true);
  const displayName = participant && fields.string('ParticipantDetails.DisplayName', { min: 1, max: 256, required: true }, participant['DisplayName']);
  const attributes = attributesOf(fields);
  const initial = fields.record('InitialMessage', false);
  const initialMessage = initial && messageFields(fields, 'InitialMessage.', initial);
  const clientToken = fields.string('ClientToken', { max: 500 });
  const duration = body['ChatDurationInMinutes'];
  fields.check(
    duration === undefined || (typeof duration === 'number' && Number.isInteger(duration) && duration >= 60 && duration <= 10_080),
    'ChatDurationInMinutes: must be an integer 60..10080',
  );
  const supported = body['SupportedMessagingContentTypes'];
  fields.check(
    supported === undefined || (Array.isArray(supported) && supported.every((type) => typeof type === 'string') && supported.includes('text/plain')),
    'SupportedMessagingContentTypes: must be an array of content types including text/plain',
  );
  if (fields.issues.length > 0 || instanceId === undefined || contactFlowId === undefined || displayName === undefined) return { issues: fields.issues };
  return { instanceId, contactFlowId, displayName, attributes, initialMessage, clientToken, supported: supported as string[] | undefined };
}

const startChatContact: Operation = async (state, req, res, requestId) => {
  const { deps, started } = state;
  const request = await receiveOperation(deps, 'StartChatContact', req, res, requestId, signedWith(deps.verifier, req));
  if (!request) return;
  const read = readStartChatContact(request.body);
  if ('issues' in read) return sendAwsError(res, 400, 'InvalidRequestException', `Invalid StartChatContact request: ${(read.issues ?? []).join('; ')}`);
  const { instanceId, contactFlowId, displayName, attributes, initialMessage, clientToken, supported } = read;
  const replayKey = clientToken === undefined ? undefined : JSON.stringify([instanceId, clientToken]);
  const replay = replayKey === undefined ? undefined : started.get(replayKey);
  if (replay) return sendJson(res, 200, replay);

  const newSessionDetails: NewSessionDetails = { ParticipantDetails: { DisplayName: displayName } };
  if (attributes !== undefined) newSessionDetails.Attributes = attributes;
  if (supported !== undefined) newSessionDetails.SupportedMessagingContentTypes = [...supported];
  const participantId = randomUUID();
  const contactId = deps.store.startParticipantChat({
    key: {
      SourceId: attributes?.['sourceId'] ?? displayName,
      DestinationId: `arn:aws:connect:${request.caller.region}:${deps.accountId}:instance/${instanceId}/contact-flow/${contactFlowId}`,
      Subtype: attributes?.['subtype'],
    },
    instanceId,
    contactFlowId,
    participantId,
    newSessionDetails,
    ...(initialMessage ? { initialMessage } : {}),
  });
  const output: StartChatContactOutput = {
    ContactId: contactId,
    ParticipantId: participantId,
    ParticipantToken: deps.sessions.join({ contactId, participantId }),
  };
  if (replayKey !== undefined) started.set(replayKey, output);
  deps.logger.debug('emulator: chat contact started', { requestId, contactId });
  sendJson(res, 200, output);
};

const startContactStreaming: Operation = async (state, req, res, requestId) => {
  const { deps, streams } = state;
  const request = await receiveOperation(deps, 'StartContactStreaming', req, res, requestId, signedWith(deps.verifier, req));
  if (!request) return;
  const fields = new RequestFields(request.body);
  const instanceId = fields.string('InstanceId', { min: 1, max: 100, required: true });
  const contactId = fields.string('ContactId', { min: 1, max: 256, required: true });
  const configuration = fields.record('ChatStreamingConfiguration', true);
  const arn =
    configuration &&
    fields.string('ChatStreamingConfiguration.StreamingEndpointArn', { min: 1, max: 350, required: true }, configuration['StreamingEndpointArn']);
  if (arn !== undefined) {
    fields.check(
      streamingArnPattern.test(arn) && !arn.endsWith('.fifo'),
      'ChatStreamingConfiguration.StreamingEndpointArn: must be the ARN of a standard SNS topic',
    );
  }
  const clientToken = fields.string('ClientToken', { min: 1, max: 500, required: true });
  if (fields.issues.length > 0 || instanceId === undefined || contactId === undefined || arn === undefined || clientToken === undefined) {
    return sendAwsError(res, 400, 'InvalidRequestException', `Invalid StartContactStreaming request: ${fields.issues.join('; ')}`);
  }
  const chat = contactOf(state, res, instanceId, contactId);
  if (!chat) return;
  const replayKey = JSON.stringify([contactId, clientToken]);
  const replay = streams.get(replayKey);
  if (replay !== undefined) return sendJson(res, 200, { StreamingId: replay });
  if (!chat.active) return sendAwsError(res, 400, 'InvalidRequestException', `Contact ${contactId} has ended; its messages cannot be streamed.`);
  const streamingId = randomUUID();
  deps.store.update(contactId, (record) => {
    record.streamingEndpointArn = arn;
    record.streamingId = streamingId;
    record.newSessionDetails = { ...record.newSessionDetails, StreamingConfiguration: { StreamingEndpointArn: arn } };
  });
  streams.set(replayKey, streamingId);
  deps.logger.debug('emulator: contact streaming started', { requestId, contactId });
  sendJson(res, 200, { StreamingId: streamingId });
};

const stopContactStreaming: Operation = async (state, req, res, requestId) => {
  const { deps } = state;
  const request = await receiveOperation(deps, 'StopContactStreaming', req, res, requestId, signedWith(deps.verifier, req));
  if (!request) return;
  const fields = new RequestFields(request.body);
  const instanceId = fields.string('InstanceId', { min: 1, max: 100, required: true });
  const contactId = fields.string('ContactId', { min: 1, max: 256, required: true });
  const streamingId = fields.string('StreamingId', { min: 1, max: 100, required: true });
  if (fields.issues.length > 0 || instanceId === undefined || contactId === undefined || streamingId === undefined) {
    return sendAwsError(res, 400, 'InvalidRequestException', `Invalid StopContactStreaming request: ${fields.issues.join('; ')}`);
  }
  const chat = contactOf(state, res, instanceId, contactId);
  if (!chat) return;
  if (chat.streamingId !== undefined && chat.streamingId !== streamingId) {
    return sendAwsError(res, 404, 'ResourceNotFoundException', `Contact ${contactId} streams with another StreamingId.`);
  }
  // Stopping a stream already stopped answers as the first stop did.
  if (chat.streamingId !== undefined) {
    deps.store.update(contactId, (record) => {
      delete record.streamingEndpointArn;
      delete record.streamingId;
      if (record.newSessionDetails) delete record.newSessionDetails.StreamingConfiguration;
    });
  }
  deps.logger.debug('emulator: contact streaming stopped', { requestId, contactId });
  sendJson(res, 200, {});
};

/** `Attributes`: string to string, all pairs together at most 32,768 UTF-8 bytes. */
function attributesOf(fields: RequestFields): Record<string, string> | undefined {
  const attributes = fields.record('Attributes', false);
  if (!attributes) return undefined;
  let bytes = 0;
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value !== 'string') {
      fields.issues.push(`Attributes.${name}: must be a string`);
      return undefined;
    }
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  }
  fields.check(bytes <= maxAttributesBytes, `Attributes: must be at most ${maxAttributesBytes} UTF-8 bytes together, got ${bytes}`);
  return bytes <= maxAttributesBytes ? (attributes as Record<string, string>) : undefined;
}
