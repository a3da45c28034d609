import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { consoleLogger, type Logger } from '../logger.ts';
import type { ChatTransport, RateLimitOptions, RetryOptions, SenderHooks, SenderOptions } from './types.ts';

/**
 * The sender's defaults: `SendChatIntegrationEvent`'s documented quota (17 requests/s, burst 26
 * per account and Region; a transport may declare its own API's quota) and a deadline comfortably
 * below the providers' webhook timeouts (Twilio and SNS give up after ~15 s).
 *
 * @example
 * createSender({ region: 'us-east-1', deadlineMs: senderDefaults.deadlineMs / 2 });
 */
export const senderDefaults = {
  rateLimit: { requestsPerSecond: 17, burst: 26 },
  retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 2_000, attemptTimeoutMs: 5_000 },
  deadlineMs: 10_000,
  maxPending: 1_000,
} as const;

export interface ResolvedSenderOptions {
  transport: ChatTransport | undefined;
  connect: Pick<SenderOptions, 'client' | 'region' | 'credentials' | 'endpoint'>;
  /** `'quota'`: the transport's documented quota (resolved by the sender). */
  rateLimit: RateLimitOptions | false | 'quota';
  retry: Required<RetryOptions>;
  deadlineMs: number;
  maxPending: number;
  allowUnknownSubtype: boolean;
  hooks: SenderHooks;
  logger: Logger;
}

const knownOptions = [
  'transport',
  'client',
  'region',
  'credentials',
  'endpoint',
  'rateLimit',
  'retry',
  'deadlineMs',
  'maxPending',
  'allowUnknownSubtype',
  'hooks',
  'logger',
];

/** Validates `createSender` options and fills in the defaults; throws INVALID_OPTIONS naming the option. */
export function resolveSenderOptions(options: SenderOptions): ResolvedSenderOptions {
  if (!isRecord(options as unknown)) invalid('options', 'an object', options);
  for (const key of Object.keys(options)) {
    if (!knownOptions.includes(key)) throw new ConnectChatError('INVALID_OPTIONS', `${key}: unknown option; expected one of ${knownOptions.join(', ')}`);
  }
  const { transport, client, region, credentials, endpoint } = options;
  if (transport !== undefined) {
    if (!isRecord(transport as unknown) || typeof transport.send !== 'function')
      invalid('transport', 'an object with a send(event, { signal }) method', transport);
    for (const key of ['client', 'region', 'credentials', 'endpoint'] as const) {
      if (options[key] !== undefined) {
        throw new ConnectChatError('INVALID_OPTIONS', `${key}: not used when a transport is given; configure the transport instead`);
      }
    }
  }
  const retry = options.retry ?? {};
  if (!isRecord(retry)) invalid('retry', 'an object', retry);
  const resolvedRetry = {
    maxAttempts: integer(retry.maxAttempts, 'retry.maxAttempts', senderDefaults.retry.maxAttempts),
    baseDelayMs: positive(retry.baseDelayMs, 'retry.baseDelayMs', senderDefaults.retry.baseDelayMs),
    maxDelayMs: positive(retry.maxDelayMs, 'retry.maxDelayMs', senderDefaults.retry.maxDelayMs),
    attemptTimeoutMs: positive(retry.attemptTimeoutMs, 'retry.attemptTimeoutMs', senderDefaults.retry.attemptTimeoutMs),
  };
  if (resolvedRetry.maxDelayMs < resolvedRetry.baseDelayMs) {
    invalid('retry.maxDelayMs', `a number >= retry.baseDelayMs (${resolvedRetry.baseDelayMs})`, resolvedRetry.maxDelayMs);
  }
  return {
    transport,
    connect: { client, region, credentials, endpoint },
    rateLimit: resolveRateLimit(options.rateLimit),
    retry: resolvedRetry,
    deadlineMs: positive(options.deadlineMs, 'deadlineMs', senderDefaults.deadlineMs),
    maxPending: integer(options.maxPending, 'maxPending', senderDefaults.maxPending),
    allowUnknownSubtype: boolean(options.allowUnknownSubtype, 'allowUnknownSubtype'),
    hooks: resolveHooks(options.hooks),
    logger: resolveLogger(options.logger),
  };
}

function resolveRateLimit(value: unknown): RateLimitOptions | false | 'quota' {
  if (value === undefined) return 'quota';
  if (value === false) return false;
  if (!isRecord(value)) invalid('rateLimit', 'an object { requestsPerSecond, burst } or false', value);
  for (const key of Object.keys(value)) {
    if (key !== 'requestsPerSecond' && key !== 'burst')
      throw new ConnectChatError('INVALID_OPTIONS', `rateLimit.${key}: unknown option; expected requestsPerSecond, burst`);
  }
  if (value['requestsPerSecond'] === undefined) invalid('rateLimit.requestsPerSecond', 'a positive number', undefined);
  if (value['burst'] === undefined) invalid('rateLimit.burst', 'a positive integer', undefined);
  return {
    requestsPerSecond: positive(value['requestsPerSecond'], 'rateLimit.requestsPerSecond', 0),
    burst: integer(value['burst'], 'rateLimit.burst', 0),
  };
}

function resolveHooks(value: unknown): SenderHooks {
  if (value === undefined) return {};
  if (!isRecord(value)) invalid('hooks', 'an object of functions', value);
  for (const [key, hook] of Object.entries(value)) {
    if (key !== 'onBeforeSend' && key !== 'onSent' && key !== 'onFailed') {
      throw new ConnectChatError('INVALID_OPTIONS', `hooks.${key}: unknown hook; expected onBeforeSend, onSent, onFailed`);
    }
    if (hook !== undefined && typeof hook !== 'function') invalid(`hooks.${key}`, 'a function', hook);
  }
  return value as SenderHooks;
}

function resolveLogger(value: unknown): Logger {
  if (value === undefined) return consoleLogger;
  if (!isRecord(value)) invalid('logger', 'an object with debug, info, warn and error methods', value);
  for (const level of ['debug', 'info', 'warn', 'error']) {
    if (typeof value[level] !== 'function') invalid(`logger.${level}`, 'a function', value[level]);
  }
  return value as unknown as Logger;
}

export function positive(value: unknown, path: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) invalid(path, 'a positive number', value);
  return value;
}

function integer(value: unknown, path: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) invalid(path, 'a positive integer', value);
  return value;
}

function boolean(value: unknown, path: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') invalid(path, 'a boolean', value);
  return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function invalid(path: string, expected: string, got: unknown): never {
  throw new ConnectChatError('INVALID_OPTIONS', `${path}: expected ${expected}, got ${show(got)}`);
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 80));
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
