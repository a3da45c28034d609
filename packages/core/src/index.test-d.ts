// What users of @connect-chat/core see: checked by `tsc -p tsconfig.json` (and `vitest --typecheck`).
import {
  type ChatIntegrationEvent,
  type ChatTransport,
  type ConnectChat,
  ConnectChatError,
  type ConnectChatErrorCode,
  type IdempotencyStore,
  type OutboundResponse,
  type Provider,
  type RateLimitOptions,
  type SendError,
  type SendResult,
  type Sender,
  type SignatureError,
  type ValidationIssue,
  type WebhookHandler,
  assertValidChatIntegrationEvent,
  chatKeyOf,
  createConnectChat,
  createFetchTransport,
  createMemoryIdempotencyStore,
  createSender,
  createSnsProvider,
  createStandardWebhooksProvider,
  createTwilioProvider,
  createWebhookHandler,
  createWhatsAppProvider,
  deliveredReceipt,
  disconnectEvent,
  parseRateLimit,
  readReceipt,
  splitText,
  textMessage,
  typingEvent,
  validateChatIntegrationEvent,
} from './index.ts';
import { describe, expectTypeOf, it } from 'vitest';

const chat = { SourceId: '+14155550100', DestinationId: 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-1', Subtype: 'connect:sms' };

describe('sender', () => {
  it('createSender returns a Sender whose send resolves a SendResult', () => {
    expectTypeOf(createSender).returns.toEqualTypeOf<Sender>();
    expectTypeOf<Sender['send']>().returns.resolves.toEqualTypeOf<SendResult>();
    expectTypeOf<SendResult['initialContactId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf(parseRateLimit).returns.toEqualTypeOf<RateLimitOptions | false>();
  });

  it('refuses options of the wrong type', () => {
    // @ts-expect-error region is a string
    createSender({ region: 1 });
    // @ts-expect-error rateLimit is options or false, not true
    createSender({ rateLimit: true });
  });
});

describe('createFetchTransport', () => {
  it('is a ChatTransport that a sender takes, configured like the SDK transport minus the client', () => {
    expectTypeOf(createFetchTransport).returns.toEqualTypeOf<ChatTransport>();
    createSender({ transport: createFetchTransport({ region: 'us-east-1', credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 's' }) }) });
    // @ts-expect-error the fetch transport has no SDK client
    createFetchTransport({ client: { send: async () => ({}) } });
  });
});

describe('builders', () => {
  it('return a ChatIntegrationEvent', () => {
    expectTypeOf(textMessage(chat, 'Hello')).toEqualTypeOf<ChatIntegrationEvent>();
    expectTypeOf(typingEvent(chat)).toEqualTypeOf<ChatIntegrationEvent>();
    expectTypeOf(deliveredReceipt(chat, 'message-1')).toEqualTypeOf<ChatIntegrationEvent>();
    expectTypeOf(readReceipt(chat, 'message-1')).toEqualTypeOf<ChatIntegrationEvent>();
    expectTypeOf(disconnectEvent(chat)).toEqualTypeOf<ChatIntegrationEvent>();
    expectTypeOf(splitText).returns.toEqualTypeOf<string[]>();
    expectTypeOf(chatKeyOf).returns.toEqualTypeOf<string>();
  });

  it('need the chat address and the text', () => {
    // @ts-expect-error the text is required
    textMessage(chat);
    // @ts-expect-error DestinationId is required
    typingEvent({ SourceId: '+14155550100' });
  });

  it('validate unknown input into an event', () => {
    expectTypeOf(validateChatIntegrationEvent).returns.toEqualTypeOf<ValidationIssue[]>();
    expectTypeOf(assertValidChatIntegrationEvent).asserts.toEqualTypeOf<ChatIntegrationEvent>();
  });
});

describe('errors', () => {
  it('ConnectChatError.is narrows unknown to a ConnectChatError with a typed code', () => {
    const caught: unknown = new Error('x');
    expectTypeOf(ConnectChatError.is).guards.toEqualTypeOf<ConnectChatError>();
    if (ConnectChatError.is(caught)) {
      expectTypeOf(caught).toEqualTypeOf<ConnectChatError>();
      expectTypeOf(caught.code).toEqualTypeOf<ConnectChatErrorCode>();
      expectTypeOf(caught.status).toEqualTypeOf<number>();
    }
  });

  it('subclasses are ConnectChatErrors; SendError says whether to retry', () => {
    expectTypeOf<SendError>().toExtend<ConnectChatError>();
    expectTypeOf<SignatureError>().toExtend<ConnectChatError>();
    expectTypeOf<SendError['retryable']>().toEqualTypeOf<boolean>();
  });

  it('codes are a closed set', () => {
    // @ts-expect-error not a ConnectChatErrorCode
    new ConnectChatError('NOT_A_CODE', 'x');
  });
});

describe('providers and handlers', () => {
  it('provider factories return a Provider', () => {
    expectTypeOf(createTwilioProvider).returns.toEqualTypeOf<Provider>();
    expectTypeOf(createWhatsAppProvider).returns.toEqualTypeOf<Provider>();
    expectTypeOf(createSnsProvider).returns.toEqualTypeOf<Provider>();
    expectTypeOf(createStandardWebhooksProvider).returns.toEqualTypeOf<Provider>();
  });

  it('createConnectChat(...).handler(name) is a WebhookHandler', () => {
    const bridge = createConnectChat({ providers: [createTwilioProvider({ authToken: 'token' })], route: { destination: chat.DestinationId } });
    expectTypeOf(bridge).toEqualTypeOf<ConnectChat>();
    expectTypeOf(bridge.handler('twilio')).toEqualTypeOf<WebhookHandler>();
    expectTypeOf(bridge.match('/webhooks/twilio')).toEqualTypeOf<WebhookHandler | undefined>();
    expectTypeOf(createWebhookHandler).returns.toEqualTypeOf<WebhookHandler>();
  });

  it('a handler answers Web and plain requests with responses', () => {
    expectTypeOf<WebhookHandler['fetch']>().parameter(0).toEqualTypeOf<Request>();
    expectTypeOf<WebhookHandler['fetch']>().returns.resolves.toEqualTypeOf<Response>();
    expectTypeOf<WebhookHandler['handle']>().returns.resolves.toEqualTypeOf<OutboundResponse>();
  });

  it('refuses a bridge without providers or route', () => {
    // @ts-expect-error route is required
    createConnectChat({ providers: [createTwilioProvider({ authToken: 'token' })] });
    // @ts-expect-error a destination is a string, a map or a function
    createConnectChat({ providers: [], route: { destination: 42 } });
  });

  it('the memory store is an IdempotencyStore', () => {
    expectTypeOf(createMemoryIdempotencyStore).returns.toEqualTypeOf<IdempotencyStore>();
  });
});
