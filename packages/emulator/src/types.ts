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
  /** Who sent it: `CUSTOMER` for what the customer's side sent, the reply's role for agent replies; absent for what no participant sent. */
  participantRole?: ParticipantRole;
  /** Agent replies: who sees it (`ALL`, `CUSTOMER` or `AGENT`), as Connect's `MessageVisibility`. */
  visibility?: MessageVisibility;
  /** Agent replies: the name shown to the customer. */
  displayName?: string;
}

/**
 * The roles Connect names in a streamed item's `ParticipantRole`.
 *
 * @example
 * const role: ParticipantRole = 'AGENT';
 */
export type ParticipantRole = 'CUSTOMER' | 'AGENT' | 'SYSTEM' | 'CUSTOM_BOT' | 'SUPERVISOR';

/**
 * Who sees a message, as Connect's `MessageVisibility` stream attribute says it.
 *
 * @example
 * await emulator.reply(contactId, { text: 'Internal note', visibility: 'AGENT' satisfies MessageVisibility });
 */
export type MessageVisibility = 'ALL' | 'CUSTOMER' | 'AGENT';

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
  | 'DisconnectParticipant'
  | ChannelOperation;

/**
 * The outbound channel APIs the emulator plays as the customer's phone, by operation name:
 * Twilio's Messages API, the WhatsApp Cloud API, End User Messaging `SendTextMessage`, the generic
 * outbound webhook.
 *
 * @example
 * emulator.setFaults({ failNext: [{ error: 'ChannelThrottled', operation: 'TwilioCreateMessage' satisfies ChannelOperation }] });
 */
export type ChannelOperation = 'TwilioCreateMessage' | 'WhatsAppSendMessage' | 'SendTextMessage' | 'GenericOutbound';

/**
 * Channel-neutral errors faults inject into a channel operation, each answered in that channel's
 * wire format: `ChannelThrottled` (Twilio 429 code 20429, Graph 400 code 130429, SMS
 * ThrottlingException, generic 429), `ChannelUnavailable` (Twilio 500 code 20500, Graph 500 code 2,
 * SMS InternalServerException, generic 503), `RecipientOptedOut` (Twilio 400 code 21610, Graph 400
 * code 131026, SMS ConflictException, generic 410), `WindowClosed` (Twilio 400 code 63016, Graph 400
 * code 131047, SMS ValidationException, generic 422).
 *
 * @example
 * emulator.setFaults({ failNext: [{ error: 'RecipientOptedOut' satisfies ChannelErrorName, operation: 'WhatsAppSendMessage' }] });
 */
export type ChannelErrorName = 'ChannelThrottled' | 'ChannelUnavailable' | 'RecipientOptedOut' | 'WindowClosed';

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
 * service's error wire format, or their connection is reset, and change nothing (the service did
 * not accept them) — except `lostResponseRate`, whose requests are handled and only their answer is lost.
 *
 * @example
 * emulator.setFaults({ failNext: [{ error: 'ThrottlingException', count: 2 }], latencyMs: 50 });
 * emulator.setFaults({ failNext: [{ error: 'AccessDeniedException', operation: 'SendMessage' }] });
 * emulator.setFaults({ latencySpikes: { rate: 0.05, ms: 2_000 }, resetRate: 0.01, lostResponseRate: 0.01 });
 */
export interface Faults {
  /** A token bucket per operation like the API quotas; an empty bucket answers 429 `ThrottlingException`. */
  quota?: { requestsPerSecond: number; burst: number };
  /**
   * Errors for the next requests, consumed in order; `count` (default 1) requests per entry. An
   * entry with an `operation` is consumed only by that operation, one without by any Connect or
   * participant operation. Channel errors (`ChannelThrottled`, …) must name a channel operation,
   * Connect errors a Connect or participant one.
   */
  failNext?: Array<{ error: ConnectErrorName | ChannelErrorName; count?: number; operation?: EmulatorOperation }>;
  /** Probability (0..1) per status of answering that error at random; together at most 1. */
  errorRates?: Partial<Record<FaultStatus, number>>;
  /** Delay before each request is handled, in milliseconds. */
  latencyMs?: number;
  /**
   * A further delay for a share of the Connect and participant requests, on top of `latencyMs`:
   * `rate` (0..1) of them wait `ms` (0..120000) more before being handled. Like `latencyMs`, a
   * request is still handled after its delay, even when the client gave up waiting.
   */
  latencySpikes?: LatencySpikes;
  /**
   * Probability (0..1) that a Connect or participant request has its connection destroyed before it
   * is handled: nothing changed, so retrying is safe. The client sees ECONNRESET ("socket hang up").
   */
  resetRate?: number;
  /**
   * Probability (0..1) that a Connect or participant request is handled (its effects stay, e.g. the
   * message is in the transcript) and then its connection destroyed instead of answered: a lost
   * response. Retrying duplicates it unless the operation takes a ClientToken. At most 1 with `resetRate`.
   */
  lostResponseRate?: number;
}

/**
 * The `latencySpikes` fault: `rate` (0..1) of the Connect and participant requests wait `ms`
 * (an integer 0..120000) more before being handled.
 *
 * @example
 * emulator.setFaults({ latencySpikes: { rate: 0.05, ms: 2_000 } satisfies LatencySpikes });
 */
export interface LatencySpikes {
  rate: number;
  ms: number;
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
  type: 'chat.created' | 'chat.updated' | 'chat.ended' | 'phone.received' | 'emulator.reset';
  /** The chat without its transcript; absent for `emulator.reset` and `phone.received`. */
  chat?: Omit<ChatRecord, 'transcript'> & { transcriptLength: number };
  /** The transcript item that caused the event. */
  item?: TranscriptItem;
  /** `phone.received`: what the bridge delivered to the customer's phone. */
  phoneMessage?: PhoneMessage;
}

/**
 * A message the bridge delivered to the customer's phone through one of the emulated channel APIs.
 *
 * @example
 * const texts = emulator.phoneMessages().filter((message: PhoneMessage) => message.to === '+14155550100').map((message) => message.text);
 */
export interface PhoneMessage {
  /** The channel's own message id: Twilio's `SM…` sid, WhatsApp's `wamid.…`, End User Messaging's MessageId, the generic `webhook-id`. */
  id: string;
  /** ISO 8601 time the emulator accepted it. */
  at: string;
  channel: PhoneChannel;
  /** As the bridge sent it (Twilio's `whatsapp:` prefix kept). */
  to: string;
  /** As the bridge sent it; WhatsApp: the phone number id. */
  from: string;
  text: string;
}

/**
 * The channel API a phone message came through.
 *
 * @example
 * const channel: PhoneChannel = 'twilio';
 */
export type PhoneChannel = 'twilio' | 'whatsapp' | 'sms' | 'generic';
