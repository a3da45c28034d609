/**
 * Every constraint of `SendChatIntegrationEvent` as data: the validator and the emulator both read
 * this object, so they cannot disagree. Sources: the Connect API model and admin guide.
 *
 * @example
 * chatIntegrationConstraints.e164.test('+14155550100'); // true
 * splitText(text, chatIntegrationConstraints.phoneTextMaxLength); // parts of at most 1,024 characters
 */
export const chatIntegrationConstraints = {
  SourceId: { min: 1, max: 255 },
  DestinationId: { min: 1, max: 255 },
  Subtype: { min: 1, max: 100 },
  /** Subtype values the API documents; others need `allowUnknownSubtype`. */
  knownSubtypes: ['connect:sms', 'connect:SMS', 'connect:WhatsApp'],
  /** Subtypes whose SourceId must be an E.164 number and whose chats carry only text/plain. */
  phoneSubtypes: ['connect:sms', 'connect:SMS', 'connect:WhatsApp'],
  e164: /^\+[1-9]\d{1,14}$/,
  eventTypes: ['MESSAGE', 'EVENT', 'DISCONNECT'],
  ContentType: { min: 1, max: 100 },
  Content: { min: 1, max: 16_384 },
  messageContentTypes: ['text/plain', 'text/markdown', 'application/json', 'application/vnd.amazonaws.connect.message.interactive.response'],
  eventContentTypes: {
    typing: 'application/vnd.amazonaws.connect.event.typing',
    delivered: 'application/vnd.amazonaws.connect.event.message.delivered',
    read: 'application/vnd.amazonaws.connect.event.message.read',
  },
  /** Deprecated by AWS since 2024-12-31; rejected. */
  deprecatedEventContentTypes: ['application/vnd.amazonaws.connect.event.connection.acknowledged'],
  /** text/plain on SMS and WhatsApp chats: the admin guide's per-message limit. */
  phoneTextMaxLength: 1_024,
  SupportedMessagingContentType: { min: 1, max: 100 },
  requiredSupportedContentType: 'text/plain',
  DisplayName: { min: 1, max: 256 },
  attributeKey: { min: 1, max: 32_767, pattern: /^[a-zA-Z0-9_-]+$/ },
  attributeValue: { min: 0, max: 32_767 },
  attributesTotalBytes: 32_768,
  StreamingEndpointArn: {
    min: 1,
    max: 350,
    /** A standard SNS topic ARN in any partition; FIFO topics (`.fifo`) are refused separately. */
    pattern: /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/,
  },
  InitialContactId: { min: 1, max: 256 },
} as const;

/** The type of {@link chatIntegrationConstraints}, with its literal values. */
export type ChatIntegrationConstraints = typeof chatIntegrationConstraints;
