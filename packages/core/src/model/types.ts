/**
 * The input of Amazon Connect's `SendChatIntegrationEvent`, member for member as in the AWS API
 * reference, so that code reads like the documentation.
 */
export interface ChatIntegrationEvent {
  /** Who writes: for SMS and WhatsApp the customer's E.164 number. 1..255 characters. */
  SourceId: string;
  /** Where to: for SMS the End User Messaging phone number ARN the customer wrote to. 1..255. */
  DestinationId: string;
  /** The channel, e.g. `connect:sms` or `connect:WhatsApp`. 1..100. */
  Subtype?: string;
  Event: ChatEvent;
  /** Shapes the chat when this event creates one; ignored on an existing chat. */
  NewSessionDetails?: NewSessionDetails;
}

/** `Event.Type`: a customer message, a typing or receipt event, or the end of the chat. */
export type ChatEventType = 'MESSAGE' | 'EVENT' | 'DISCONNECT';

/**
 * The `Event` member: what the customer did. The builders (`textMessage`, `typingEvent`, …) fill it
 * with the content types Connect accepts.
 *
 * @example
 * const event: ChatEvent = { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'Hello' };
 */
export interface ChatEvent {
  Type: ChatEventType;
  /** Required for MESSAGE and EVENT. */
  ContentType?: string;
  /** Required for MESSAGE and for delivered/read receipts. */
  Content?: string;
}

/**
 * What a chat created by this event looks like to agents and contact flows; Connect ignores it when
 * the chat already exists.
 *
 * @example
 * const newSession: NewSessionDetails = { ParticipantDetails: { DisplayName: 'Ana' }, Attributes: { channel: 'sms' } };
 */
export interface NewSessionDetails {
  /** Must contain `text/plain` when given. */
  SupportedMessagingContentTypes?: string[];
  ParticipantDetails?: ParticipantDetails;
  /** Contact attributes; all pairs together at most 32,768 UTF-8 bytes. */
  Attributes?: Record<string, string>;
  StreamingConfiguration?: StreamingConfiguration;
}

/** The customer's name as agents see it in the chat. */
export interface ParticipantDetails {
  DisplayName: string;
}

/** Where Connect streams the chat's messages (an SNS topic): how agent replies reach an outbound bridge. */
export interface StreamingConfiguration {
  /** A standard (not FIFO) SNS topic ARN. */
  StreamingEndpointArn: string;
}

/** The output of `SendChatIntegrationEvent`, as on the wire. */
export interface ChatIntegrationEventOutput {
  /** Absent (null on the wire) when the event needs no chat, e.g. DISCONNECT with no active chat. */
  InitialContactId?: string;
  NewChatCreated: boolean;
}

/**
 * The triple Connect uses to find the active chat; everything ordered or deduplicated per
 * conversation uses it too.
 */
export interface ChatKey {
  SourceId: string;
  DestinationId: string;
  Subtype: string | undefined;
}
