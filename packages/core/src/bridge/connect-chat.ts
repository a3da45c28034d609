import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { expectRecord, optionNames, rejectUnknownKeys } from '../options/toolkit.ts';
import type { IdempotencyStore } from '../idempotency/types.ts';
import { consoleLogger } from '../logger.ts';
import { createReplyHandler } from '../replies/reply-handler.ts';
import type { RepliesOptions } from '../replies/types.ts';
import { createMemoryIdempotencyStore } from '../idempotency/memory-store.ts';
import { createSender } from '../sender/sender.ts';
import type { Sender, SenderOptions } from '../sender/types.ts';
import type { ConnectChat, ConnectChatOptions, WebhookHandler, WebhookHandlerOptions } from '../http/handler-types.ts';
import { createWebhookHandler } from '../http/handler.ts';
import { sharedOptionNames } from '../http/handler-options.ts';

/** Every option of `createConnectChat`: the handler's shared ones, plus its own. */
const optionKeys = optionNames<ConnectChatOptions>()({ providers: true, sender: true, basePath: true, replies: true, ...sharedOptionNames });

/**
 * A bridge: one webhook handler per provider at `${basePath}/${provider.name}`, all sharing one
 * sender (so pacing and per-chat ordering span every channel) and one idempotency store.
 * Adapters mount it and use `match` to find the handler for a request path.
 *
 * @example
 * const bridge = createConnectChat({
 *   providers: [createTwilioProvider({ authToken: process.env.TWILIO_AUTH_TOKEN! })],
 *   sender: { region: 'us-east-1' },
 *   route: { destination: { '+12125550101': 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-1' } },
 * });
 * bridge.paths; // ['/webhooks/twilio']
 * const response = await bridge.match(new URL(request.url).pathname)?.fetch(request);
 */
export function createConnectChat(options: ConnectChatOptions): ConnectChat {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConnectChatError('INVALID_OPTIONS', `options: expected an object with providers and route, got ${options === null ? 'null' : typeof options}`);
  }
  rejectUnknownKeys(options as unknown as Record<string, unknown>, optionKeys, 'options.');
  const { providers, basePath: rawBasePath, sender: senderOption, idempotency, replies, ...shared } = options;
  if (!Array.isArray(providers) || providers.length === 0) {
    throw new ConnectChatError('INVALID_OPTIONS', 'options.providers: expected a non-empty array of providers, e.g. [createTwilioProvider(…)]');
  }
  const basePath = normaliseBasePath(rawBasePath);
  const sender = toSender(senderOption, options.logger, options.route?.allowUnknownSubtype === true);
  const store = idempotency === undefined ? createMemoryIdempotencyStore() : idempotency;

  const handlers: Record<string, WebhookHandler> = Object.create(null);
  const byPath = new Map<string, WebhookHandler>();
  for (const [index, provider] of providers.entries()) {
    const name = (provider as { name?: unknown } | null)?.name;
    if (typeof name === 'string' && Object.hasOwn(handlers, name)) {
      throw new ConnectChatError(
        'INVALID_OPTIONS',
        `options.providers[${index}]: a second provider named ${JSON.stringify(name)}; names must be unique (each gets ${basePath}/<name>)`,
      );
    }
    const handlerOptions: WebhookHandlerOptions = { ...shared, provider, sender, idempotency: store };
    let handler: WebhookHandler;
    try {
      handler = createWebhookHandler(handlerOptions);
    } catch (error) {
      // Say which provider of the list was refused.
      if (ConnectChatError.is(error) && error.message.startsWith('options.provider')) {
        throw new ConnectChatError('INVALID_OPTIONS', error.message.replace(/^options\.provider/, `options.providers[${index}]`), { cause: error });
      }
      throw error;
    }
    handlers[handler.provider.name] = handler;
    byPath.set(`${basePath}/${handler.provider.name}`, handler);
  }
  if (replies !== undefined) {
    const handler = createReplies(replies, { sender, store, shared, names: handlers });
    handlers[handler.provider.name] = handler;
    byPath.set(`${basePath}/${handler.provider.name}`, handler);
  }
  const paths = Object.freeze([...byPath.keys()]);

  return {
    sender,
    handlers: Object.freeze(handlers),
    paths,
    handler(providerName) {
      if (typeof providerName === 'string' && Object.hasOwn(handlers, providerName)) return handlers[providerName]!;
      throw new ConnectChatError(
        'INVALID_OPTIONS',
        `handler(${JSON.stringify(providerName)}): no provider by that name; configured: ${Object.keys(handlers).join(', ')}`,
      );
    },
    async settled() {
      await Promise.all(Object.values(handlers).map((handler) => handler.settled?.()));
    },
    match(pathname) {
      if (typeof pathname !== 'string') return undefined;
      const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
      return byPath.get(path);
    },
  };
}

/** The reply route, on the sender's sessions and the bridge's idempotency store. */
function createReplies(
  replies: RepliesOptions,
  bridge: { sender: Sender; store: IdempotencyStore | false; shared: Partial<WebhookHandlerOptions>; names: Record<string, WebhookHandler> },
): WebhookHandler {
  expectRecord(replies, 'options.replies', 'an object { topicArns, deliverers }');
  rejectUnknownKeys(replies as unknown as Record<string, unknown>, ['topicArns', 'deliverers', 'resolveCertificate', 'hooks'], 'options.replies.');
  if (!Array.isArray(replies.deliverers) || replies.deliverers.some((d) => typeof d?.deliver !== 'function' || typeof d.provider !== 'string')) {
    throw new ConnectChatError('INVALID_OPTIONS', 'options.replies.deliverers: expected an array of deliverers, e.g. [createTwilioDeliverer(…)]');
  }
  const { sessions } = bridge.sender;
  if (!sessions) {
    throw new ConnectChatError(
      'INVALID_OPTIONS',
      "options.replies: the sender keeps no sessions, so replies cannot find their customer; use createSender's sender",
    );
  }
  if (Object.hasOwn(bridge.names, 'connect')) {
    throw new ConnectChatError('INVALID_OPTIONS', 'options.replies: a provider is already named "connect", the reply route\'s name');
  }
  const { logger = consoleLogger, fetch, retryAfterSeconds, deadlineMs, maxBodyBytes } = bridge.shared;
  return createReplyHandler({
    ...replies,
    sessions,
    idempotency: bridge.store,
    logger,
    ...(fetch !== undefined ? { fetch } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    ...(deadlineMs !== undefined ? { deadlineMs } : {}),
    ...(maxBodyBytes !== undefined ? { maxBodyBytes } : {}),
  });
}

/** The sender given, or one built from its options; the route's `allowUnknownSubtype` applies to a built one too. */
function toSender(option: Sender | SenderOptions | undefined, logger: ConnectChatOptions['logger'], allowUnknownSubtype: boolean): Sender {
  if (option !== undefined && (typeof option !== 'object' || option === null || Array.isArray(option))) {
    throw new ConnectChatError(
      'INVALID_OPTIONS',
      `options.sender: expected a Sender or the options of createSender, got ${option === null ? 'null' : typeof option}`,
    );
  }
  if (option && typeof (option as Partial<Sender>).send === 'function') return option as Sender;
  const senderOptions: SenderOptions = { ...(option as SenderOptions | undefined) };
  if (senderOptions.logger === undefined && logger !== undefined) senderOptions.logger = logger;
  if (senderOptions.allowUnknownSubtype === undefined && allowUnknownSubtype) senderOptions.allowUnknownSubtype = true;
  return createSender(senderOptions);
}

function normaliseBasePath(basePath: unknown): string {
  if (basePath === undefined) return '/webhooks';
  if (typeof basePath !== 'string' || !basePath.startsWith('/') || /[\s?#]/.test(basePath)) {
    throw new ConnectChatError('INVALID_OPTIONS', `options.basePath: expected a path starting with / (e.g. /webhooks), got ${JSON.stringify(basePath)}`);
  }
  // '/' and '/hooks/' both mean "directly under": paths never end with a slash.
  return basePath.replace(/\/+$/, '');
}
