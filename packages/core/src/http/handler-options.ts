import type { AcceptanceQueue } from '../acceptance/types.ts';
import { invalidOption, isRecord, optionNames, positiveInteger, rejectUnknownKeys, expectRecord } from '../options/toolkit.ts';
import { createMemoryIdempotencyStore } from '../idempotency/memory-store.ts';
import type { IdempotencyStore } from '../idempotency/types.ts';
import { consoleLogger, type Logger } from '../logger.ts';
import { isProviderName } from '../providers/secrets.ts';
import type { Provider } from '../providers/types.ts';
import { validateRouteOptions } from '../routing/route-options.ts';
import type { RouteOptions } from '../routing/types.ts';
import type { Sender } from '../sender/types.ts';
import type { WebhookHandlerOptions, WebhookHooks } from './handler-types.ts';

const defaultMaxBodyBytes = 1024 * 1024;
const defaultRetryAfterSeconds = 5;
/** Below Twilio's and SNS's webhook timeouts (about 15 s), with room for the answer to travel. */
const defaultDeadlineMs = 10_000;
/** The options a handler shares with `createConnectChat`, checked against the type by the compiler. */
export const sharedOptionNames = {
  route: true,
  idempotency: true,
  acceptance: true,
  maxBodyBytes: true,
  hooks: true,
  logger: true,
  fetch: true,
  retryAfterSeconds: true,
  deadlineMs: true,
} as const satisfies Record<keyof Omit<WebhookHandlerOptions, 'provider' | 'sender'>, true>;

/** Every option of `createWebhookHandler`. */
export const handlerOptionKeys = optionNames<WebhookHandlerOptions>()({ provider: true, sender: true, ...sharedOptionNames });
const hookNames = ['onMessage', 'onSent', 'onIgnored', 'onRejected', 'onError', 'onOutcome'] as const;

/** `WebhookHandlerOptions` checked, with defaults filled in and the provider's lists normalised. */
export interface ResolvedOptions {
  provider: Provider;
  sender: Sender;
  route: RouteOptions;
  store: IdempotencyStore | undefined;
  acceptance: AcceptanceQueue | undefined;
  maxBodyBytes: number;
  hooks: WebhookHooks;
  logger: Logger;
  fetch: typeof fetch;
  retryAfterSeconds: number;
  deadlineMs: number;
  methods: readonly string[];
  contentTypes: ReadonlyMap<string, readonly string[]>;
}

/** Throws `INVALID_OPTIONS` naming the option that cannot work. */
export function resolveOptions(options: WebhookHandlerOptions): ResolvedOptions {
  expectRecord(options, 'options', 'an object with provider, sender and route');
  rejectUnknownKeys(options as Record<string, unknown>, handlerOptionKeys, 'options.');
  const provider = checkProvider(options.provider);
  if (!isRecord(options.sender) || typeof options.sender.send !== 'function') {
    invalidOption('options.sender', 'a Sender (an object with send(event)), e.g. from createSender()', options.sender);
  }
  validateRouteOptions(options.route, 'options.route');
  const logger = options.logger ?? consoleLogger;
  if (!isRecord(logger) || !(['debug', 'info', 'warn', 'error'] as const).every((level) => typeof logger[level] === 'function')) {
    invalidOption('options.logger', 'a Logger with debug, info, warn and error functions', logger);
  }
  const store = checkStore(options.idempotency);
  const hooks = options.hooks ?? {};
  expectRecord(hooks, 'options.hooks', 'an object of hook functions');
  for (const name of hookNames) {
    if (hooks[name] !== undefined && typeof hooks[name] !== 'function') invalidOption(`options.hooks.${name}`, 'a function', hooks[name]);
  }
  for (const key of Object.keys(hooks)) {
    if (key.startsWith('on') && !(hookNames as readonly string[]).includes(key)) {
      logger.warn(`connect-chat: options.hooks.${key} is not a hook and will never be called; hooks are ${hookNames.join(', ')}`);
    }
  }
  const userFetch = options.fetch;
  if (userFetch !== undefined && typeof userFetch !== 'function') invalidOption('options.fetch', 'a fetch function', userFetch);
  return {
    provider,
    sender: options.sender,
    route: options.route,
    store,
    acceptance: checkAcceptance(options.acceptance),
    maxBodyBytes: positiveInteger(options.maxBodyBytes, 'options.maxBodyBytes', defaultMaxBodyBytes, 1),
    hooks,
    logger,
    // Looked up per call, and called unbound: workerd refuses a fetch invoked with another `this`.
    fetch: userFetch ?? ((input, init) => globalThis.fetch(input, init)),
    retryAfterSeconds: positiveInteger(options.retryAfterSeconds, 'options.retryAfterSeconds', defaultRetryAfterSeconds, 0),
    deadlineMs: positiveInteger(options.deadlineMs, 'options.deadlineMs', defaultDeadlineMs, 1),
    methods: provider.methods.map((method) => method.toUpperCase()),
    contentTypes: new Map(
      Object.entries(provider.contentTypes ?? {}).map(([method, types]) => [method.toUpperCase(), types.map((type) => type.toLowerCase())]),
    ),
  };
}

function checkProvider(provider: unknown): Provider {
  expectRecord(provider, 'options.provider', 'a Provider, e.g. from createTwilioProvider()');
  const { name, methods, contentTypes } = provider;
  if (!isProviderName(name)) invalidOption('options.provider.name', 'a lowercase name (a-z, 0-9, - and _, at most 64)', name);
  if (!Array.isArray(methods) || methods.length === 0 || !methods.every((method) => typeof method === 'string' && method.length > 0)) {
    invalidOption('options.provider.methods', 'a non-empty array of HTTP methods', methods);
  }
  for (const member of ['verify', 'parse'] as const) {
    if (typeof provider[member] !== 'function') invalidOption(`options.provider.${member}`, 'a function', provider[member]);
  }
  if (provider.acknowledge !== undefined && typeof provider.acknowledge !== 'function') {
    invalidOption('options.provider.acknowledge', 'a function', provider.acknowledge);
  }
  if (contentTypes !== undefined) {
    expectRecord(contentTypes, 'options.provider.contentTypes', 'an object from method to media types');
    for (const [method, types] of Object.entries(contentTypes)) {
      if (!Array.isArray(types) || !types.every((type) => typeof type === 'string')) {
        invalidOption(`options.provider.contentTypes.${method}`, 'an array of media types', types);
      }
    }
  }
  return provider as unknown as Provider;
}

function checkAcceptance(acceptance: unknown): AcceptanceQueue | undefined {
  if (acceptance === undefined) return undefined;
  if (!isRecord(acceptance) || typeof acceptance['accept'] !== 'function') {
    invalidOption('options.acceptance', 'an AcceptanceQueue (accept), e.g. createRedisAcceptanceQueue()', acceptance);
  }
  return acceptance as unknown as AcceptanceQueue;
}

function checkStore(idempotency: unknown): IdempotencyStore | undefined {
  if (idempotency === false) return undefined;
  if (idempotency === undefined) return createMemoryIdempotencyStore();
  if (!isRecord(idempotency) || !(['claim', 'complete', 'release'] as const).every((method) => typeof idempotency[method] === 'function')) {
    invalidOption('options.idempotency', 'an IdempotencyStore (claim, complete, release) or false', idempotency);
  }
  return idempotency as unknown as IdempotencyStore;
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
