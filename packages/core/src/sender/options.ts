import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { invalidOption, isRecord, positiveInteger, positiveNumber, expectRecord } from '../options/toolkit.ts';
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
  retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 2_000, attemptTimeoutMs: 5_000, unansweredAttemptTimeoutMs: 20_000 },
  deadlineMs: 10_000,
  maxPending: 1_000,
} as const;

export interface ResolvedSenderOptions {
  transport: ChatTransport | undefined;
  connect: Pick<SenderOptions, 'client' | 'region' | 'credentials' | 'endpoint'>;
  /** `'quota'`: the transport's documented quota (resolved by the sender). */
  rateLimit: RateLimitOptions | false | 'quota';
  /** `attemptTimeoutMs` undefined: the transport's default (see `senderDefaults.retry`). */
  retry: Required<Omit<RetryOptions, 'attemptTimeoutMs'>> & { attemptTimeoutMs: number | undefined };
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
  if (!isRecord(options as unknown)) invalidOption('options', 'an object', options);
  for (const key of Object.keys(options)) {
    if (!knownOptions.includes(key)) throw new ConnectChatError('INVALID_OPTIONS', `${key}: unknown option; expected one of ${knownOptions.join(', ')}`);
  }
  const { transport, client, region, credentials, endpoint } = options;
  if (transport !== undefined) {
    if (!isRecord(transport as unknown) || typeof transport.send !== 'function')
      invalidOption('transport', 'an object with a send(event, { signal }) method', transport);
    for (const key of ['client', 'region', 'credentials', 'endpoint'] as const) {
      if (options[key] !== undefined) {
        throw new ConnectChatError('INVALID_OPTIONS', `${key}: not used when a transport is given; configure the transport instead`);
      }
    }
  }
  const retry = options.retry ?? {};
  expectRecord(retry, 'retry', 'an object');
  const resolvedRetry = {
    maxAttempts: positiveInteger(retry.maxAttempts, 'retry.maxAttempts', senderDefaults.retry.maxAttempts),
    baseDelayMs: positiveNumber(retry.baseDelayMs, 'retry.baseDelayMs', senderDefaults.retry.baseDelayMs),
    maxDelayMs: positiveNumber(retry.maxDelayMs, 'retry.maxDelayMs', senderDefaults.retry.maxDelayMs),
    // Unset: chosen by the transport's idempotency (see createSender).
    attemptTimeoutMs: retry.attemptTimeoutMs === undefined ? undefined : positiveNumber(retry.attemptTimeoutMs, 'retry.attemptTimeoutMs', 0),
  };
  if (resolvedRetry.maxDelayMs < resolvedRetry.baseDelayMs) {
    invalidOption('retry.maxDelayMs', `a number >= retry.baseDelayMs (${resolvedRetry.baseDelayMs})`, resolvedRetry.maxDelayMs);
  }
  return {
    transport,
    connect: { client, region, credentials, endpoint },
    rateLimit: resolveRateLimit(options.rateLimit),
    retry: resolvedRetry,
    deadlineMs: positiveNumber(options.deadlineMs, 'deadlineMs', senderDefaults.deadlineMs),
    maxPending: positiveInteger(options.maxPending, 'maxPending', senderDefaults.maxPending),
    allowUnknownSubtype: boolean(options.allowUnknownSubtype, 'allowUnknownSubtype'),
    hooks: resolveHooks(options.hooks),
    logger: resolveLogger(options.logger),
  };
}

function resolveRateLimit(value: unknown): RateLimitOptions | false | 'quota' {
  if (value === undefined) return 'quota';
  if (value === false) return false;
  expectRecord(value, 'rateLimit', 'an object { requestsPerSecond, burst } or false');
  for (const key of Object.keys(value)) {
    if (key !== 'requestsPerSecond' && key !== 'burst')
      throw new ConnectChatError('INVALID_OPTIONS', `rateLimit.${key}: unknown option; expected requestsPerSecond, burst`);
  }
  if (value['requestsPerSecond'] === undefined) invalidOption('rateLimit.requestsPerSecond', 'a positive number', undefined);
  if (value['burst'] === undefined) invalidOption('rateLimit.burst', 'a positive integer', undefined);
  return {
    requestsPerSecond: positiveNumber(value['requestsPerSecond'], 'rateLimit.requestsPerSecond', 0),
    burst: positiveInteger(value['burst'], 'rateLimit.burst', 0),
  };
}

function resolveHooks(value: unknown): SenderHooks {
  if (value === undefined) return {};
  expectRecord(value, 'hooks', 'an object of functions');
  for (const [key, hook] of Object.entries(value)) {
    if (key !== 'onBeforeSend' && key !== 'onSent' && key !== 'onFailed') {
      throw new ConnectChatError('INVALID_OPTIONS', `hooks.${key}: unknown hook; expected onBeforeSend, onSent, onFailed`);
    }
    if (hook !== undefined && typeof hook !== 'function') invalidOption(`hooks.${key}`, 'a function', hook);
  }
  return value as SenderHooks;
}

function resolveLogger(value: unknown): Logger {
  if (value === undefined) return consoleLogger;
  expectRecord(value, 'logger', 'an object with debug, info, warn and error methods');
  for (const level of ['debug', 'info', 'warn', 'error']) {
    if (typeof value[level] !== 'function') invalidOption(`logger.${level}`, 'a function', value[level]);
  }
  return value as unknown as Logger;
}

function boolean(value: unknown, path: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') invalidOption(path, 'a boolean', value);
  return value;
}
