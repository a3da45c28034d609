import type { ChatKey, NewSessionDetails } from '@connect-chat/core';

/**
 * One event Connect accepted, as it sits in a chat's transcript.
 *
 * @example
 * const texts = emulator.chats()[0]?.transcript.filter((item) => item.type === 'MESSAGE').map((item) => item.content);
 */
export interface TranscriptItem {
  /** A UUID, unique per item. */
  id: string;
  /** ISO 8601 time the emulator accepted the event. */
  at: string;
  type: 'MESSAGE' | 'EVENT' | 'DISCONNECT';
  contentType?: string;
  content?: string;
}

/**
 * A chat contact the emulator created, with what was sent to it.
 *
 * @example
 * const [chat] = emulator.chats(); // newest first
 * expect(chat?.key).toEqual({ SourceId: '+14155550100', DestinationId: 'arn:…', Subtype: 'connect:sms' });
 * expect(chat?.active).toBe(true);
 */
export interface ChatRecord {
  /**
   * The triple Connect uses to find the active chat. For a participant chat it is derived so the two
   * compare: `Attributes.sourceId` (else the DisplayName), the contact flow ARN, `Attributes.subtype`.
   */
  key: ChatKey;
  /** How the chat was started: `SendChatIntegrationEvent`, or StartChatContact and the participant service. */
  transport: ChatTransport;
  /** The `InitialContactId` answered for every event of this chat (a UUID). */
  contactId: string;
  /** False once a DISCONNECT ended it; the next event with the same key starts a new chat. */
  active: boolean;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601, set when a DISCONNECT ended the chat. */
  endedAt?: string;
  /** `NewSessionDetails` of the event that created the chat (later ones are ignored, as by Connect). */
  newSessionDetails?: NewSessionDetails;
  /** Oldest first; bounded, the oldest items are evicted first. */
  transcript: TranscriptItem[];
  /** Participant chats: the `InstanceId` StartChatContact named. */
  instanceId?: string;
  /** Participant chats: the `ContactFlowId` StartChatContact named. */
  contactFlowId?: string;
  /** Participant chats: the customer's participant id. */
  participantId?: string;
  /** Participant chats: the SNS topic StartContactStreaming set, until StopContactStreaming. */
  streamingEndpointArn?: string;
  /** Participant chats: the `StreamingId` answered by StartContactStreaming, until StopContactStreaming. */
  streamingId?: string;
  /** Participant chats: true once CreateParticipantConnection connected the customer. */
  customerConnected?: boolean;
}

/**
 * How a chat reached the emulator.
 *
 * @example
 * const participantChats = emulator.chats().filter((chat) => chat.transport === ('participant' satisfies ChatTransport));
 */
export type ChatTransport = 'integration-event' | 'participant';

/**
 * The operations the emulator serves, by their AWS names; `failNext` entries can target one.
 *
 * @example
 * emulator.setFaults({ failNext: [{ error: 'ThrottlingException', operation: 'SendMessage' satisfies EmulatorOperation }] });
 */
export type EmulatorOperation =
  | 'SendChatIntegrationEvent'
  | 'StartChatContact'
  | 'StartContactStreaming'
  | 'StopContactStreaming'
  | 'CreateParticipantConnection'
  | 'SendMessage'
  | 'SendEvent'
  | 'DisconnectParticipant';

/**
 * The errors Connect and the Connect Participant Service document for the emulated operations,
 * which faults can inject.
 *
 * @example
 * const error: ConnectErrorName = 'ThrottlingException';
 */
export type ConnectErrorName =
  | 'ThrottlingException'
  | 'InternalServiceException'
  | 'InvalidRequestException'
  | 'AccessDeniedException'
  | 'ResourceNotFoundException'
  | 'InvalidParameterException'
  | 'LimitExceededException'
  | 'ValidationException'
  | 'InternalServerException'
  | 'ConflictException';

/**
 * The statuses `errorRates` can inject, each answered with the error of that status: for Connect
 * operations InvalidRequestException, AccessDeniedException, ResourceNotFoundException,
 * ThrottlingException, InternalServiceException; for participant operations ValidationException,
 * AccessDeniedException, ResourceNotFoundException, ThrottlingException, InternalServerException.
 *
 * @example
 * const rates: Partial<Record<FaultStatus, number>> = { 429: 0.1, 500: 0.05 };
 */
export type FaultStatus = 400 | 403 | 404 | 429 | 500;

/**
 * Misbehaviour to inject into every emulated operation. Faulted requests are answered with the
 * service's error wire format and change nothing (the service did not accept them).
 *
 * @example
 * emulator.setFaults({ failNext: [{ error: 'ThrottlingException', count: 2 }], latencyMs: 50 });
 * emulator.setFaults({ failNext: [{ error: 'AccessDeniedException', operation: 'SendMessage' }] });
 */
export interface Faults {
  /** A token bucket per operation like the API quotas; an empty bucket answers 429 `ThrottlingException`. */
  quota?: { requestsPerSecond: number; burst: number };
  /**
   * Errors for the next requests, consumed in order; `count` (default 1) requests per entry. An
   * entry with an `operation` is consumed only by that operation, one without by any.
   */
  failNext?: Array<{ error: ConnectErrorName; count?: number; operation?: EmulatorOperation }>;
  /** Probability (0..1) per status of answering that error at random; together at most 1. */
  errorRates?: Partial<Record<FaultStatus, number>>;
  /** Delay before each request is handled, in milliseconds. */
  latencyMs?: number;
}

/**
 * What `GET /_emulator/events` streams (as Server-Sent Events named by `type`).
 *
 * @example
 * new EventSource('http://127.0.0.1:4050/_emulator/events').addEventListener('chat.created', (message) => {
 *   const event: EmulatorEvent = JSON.parse(message.data);
 * });
 */
export interface EmulatorEvent {
  type: 'chat.created' | 'chat.updated' | 'chat.ended' | 'emulator.reset';
  /** The chat without its transcript; absent for `emulator.reset`. */
  chat?: Omit<ChatRecord, 'transcript'> & { transcriptLength: number };
  /** The transcript item that caused the event. */
  item?: TranscriptItem;
}
