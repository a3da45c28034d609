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
export { silentLogger } from './logger.ts';
export type { Logger } from './logger.ts';

// model/
export { chatIntegrationConstraints } from './model/constraints.ts';
export type { ChatIntegrationConstraints } from './model/constraints.ts';
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
} from './sender/types.ts';

// idempotency/
export type { ClaimResult, IdempotencyStore } from './idempotency/types.ts';

// routing/
export type { DestinationOption, LongTextPolicy, MediaPolicy, RouteOptions } from './routing/types.ts';

// providers/
export type {
  Channel,
  IgnoredEvent,
  InboundMedia,
  InboundMessage,
  InboundMessageKind,
  ParseResult,
  Provider,
  ProviderContext,
  Rejection,
  SecretSource,
} from './providers/types.ts';

// http/
export type { HeaderLookup, InboundRequest, OutboundResponse, RawBody, ReceivedRequest } from './http/types.ts';
export type {
  ConnectChat,
  ConnectChatOptions,
  HandleOptions,
  WebhookHandler,
  WebhookHandlerOptions,
  WebhookHooks,
} from './http/handler-types.ts';
