// The public API of @connect-chat/core, by name. Each section is owned by one folder.

// errors/
export { ConnectChatError, httpStatusFor, isRetryableCode } from './errors/connect-chat-error.ts';
export type { ConnectChatErrorCode, ConnectChatErrorOptions } from './errors/connect-chat-error.ts';
export { SignatureError } from './errors/signature-error.ts';
export { SendError } from './errors/send-error.ts';
export type { SendErrorOptions } from './errors/send-error.ts';
export { ValidationError } from './errors/validation-error.ts';
export type { ValidationIssue } from './errors/validation-error.ts';

// logger
export { consoleLogger, silentLogger } from './logger.ts';
export type { Logger } from './logger.ts';

// model/
export { chatIntegrationConstraints } from './model/constraints.ts';
export type { ChatIntegrationConstraints } from './model/constraints.ts';
export { assertValidChatIntegrationEvent, validateChatIntegrationEvent } from './model/validate.ts';
export type { ValidateOptions } from './model/validate.ts';
export { deliveredReceipt, disconnectEvent, readReceipt, textMessage, typingEvent } from './model/builders.ts';
export type { ChatAddress, EventBuilderOptions, SessionEventOptions, TextMessageOptions } from './model/builders.ts';
export { splitText } from './model/split-text.ts';
export { chatKeyOf } from './model/chat-key.ts';
export { parseContactFlowArn } from './model/contact-flow-arn.ts';
export type { ContactFlowArn } from './model/contact-flow-arn.ts';
export type {
  ChatEvent,
  ChatEventType,
  ChatIntegrationEvent,
  ChatIntegrationEventOutput,
  ChatKey,
  NewSessionDetails,
  ParticipantDetails,
  StreamingConfiguration,
} from './model/types.ts';

// sender/
export { createSender } from './sender/sender.ts';
export { createConnectTransport } from './sender/connect-transport.ts';
export type { ConnectTransportOptions } from './sender/connect-transport.ts';
export { createFetchTransport } from './sender/fetch-transport.ts';
export type { FetchTransportOptions } from './sender/fetch-transport.ts';
export { createParticipantTransport } from './sender/participant-transport.ts';
export type { ParticipantTransportOptions } from './sender/participant-transport.ts';
export { parseRateLimit } from './sender/parse-rate-limit.ts';
export type {
  ChatTransport,
  RateLimitOptions,
  RetryOptions,
  SendOptions,
  SendResult,
  Sender,
  SenderHooks,
  SenderOptions,
  TransportResult,
  TransportSendOptions,
} from './sender/types.ts';

// sessions/
export type { ChannelAddress, ChatSession, SessionStore } from './sessions/types.ts';
export { createMemorySessionStore } from './sessions/memory-session-store.ts';
export type { MemorySessionStoreOptions } from './sessions/memory-session-store.ts';

// replies/
export { createTwilioDeliverer } from './replies/deliverers/twilio.ts';
export type { TwilioDelivererOptions } from './replies/deliverers/twilio.ts';
export { createWhatsAppDeliverer } from './replies/deliverers/whatsapp.ts';
export type { WhatsAppDelivererOptions } from './replies/deliverers/whatsapp.ts';
export { createEndUserMessagingDeliverer } from './replies/deliverers/end-user-messaging.ts';
export type { EndUserMessagingDelivererOptions } from './replies/deliverers/end-user-messaging.ts';
export { createGenericDeliverer } from './replies/deliverers/generic-webhook.ts';
export type { GenericDelivererOptions } from './replies/deliverers/generic-webhook.ts';
export type { AgentMessage, Deliverer, Delivery, RepliesOptions, ReplyHooks } from './replies/types.ts';

// acceptance/
export type { AcceptanceQueue, AcceptedMessage } from './acceptance/types.ts';
export { sendAccepted } from './acceptance/send-accepted.ts';
export type { AcceptedOutcome, SendAcceptedOptions } from './acceptance/send-accepted.ts';

// idempotency/
export type { ClaimResult, IdempotencyStore } from './idempotency/types.ts';
export { createMemoryIdempotencyStore } from './idempotency/memory-store.ts';
export type { MemoryIdempotencyStoreOptions } from './idempotency/memory-store.ts';

// routing/
export type { DestinationOption, LongTextPolicy, MediaPolicy, RouteOptions } from './routing/types.ts';

// providers/
export type { Channel, InboundMedia, InboundMessage, InboundMessageKind } from './model/inbound-message.ts';
export type { IgnoredEvent, ParseResult, Provider, ProviderContext, Rejection, SecretSource } from './providers/types.ts';
export { createSnsProvider } from './providers/sns/sns-provider.ts';
export type { SnsProviderOptions } from './providers/sns/options.ts';
export type { SnsEnvelope, SnsMessageType } from './providers/sns/envelope.ts';
export type { EndUserMessagingInboundSms } from './providers/sns/end-user-messaging.ts';
export { createTwilioProvider } from './providers/twilio/twilio-provider.ts';
export type { TwilioProviderOptions } from './providers/twilio/twilio-provider.ts';
export { createWhatsAppProvider } from './providers/whatsapp/whatsapp-provider.ts';
export type { WhatsAppProviderOptions } from './providers/whatsapp/whatsapp-provider.ts';
export { createStandardWebhooksProvider } from './providers/standard-webhooks/standard-webhooks-provider.ts';
export type { StandardWebhooksProviderOptions } from './providers/standard-webhooks/standard-webhooks-provider.ts';

// http/
export type { HeaderLookup, InboundRequest, OutboundResponse, RawBody, ReceivedRequest, WebBody } from './wire/types.ts';
export { fromNodeRequest, writeNodeResponse } from './wire/node-request.ts';
export type { FromNodeRequestOptions, NodeRequestLike, NodeResponseLike, NodeResponseWriter } from './wire/node-request.ts';
export { createWebhookHandler } from './http/handler.ts';
export { createConnectChat } from './bridge/connect-chat.ts';
export { fromWebRequest, toWebResponse } from './http/web.ts';
export type {
  ConnectChat,
  ConnectChatOptions,
  HandleOptions,
  MessageOutcome,
  WebhookHandler,
  WebhookHandlerOptions,
  WebhookHooks,
} from './http/handler-types.ts';
