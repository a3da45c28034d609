import { type Logger, silentLogger } from '@connect-chat/core';
import type { SnsSigner } from '@connect-chat/core/testing';
import { validateFaults } from './faults/faults.ts';
import { invalidOption, isRecord } from './invalid-option.ts';
import { type PhoneOptions, resolvePhoneOptions } from './phone/phone-options.ts';
import { type ResolvedSimulatorOptions, resolveSimulatorOptions, type SimulatorOptions } from './simulate/options.ts';
import { checkSubscription, type StreamSubscription } from './stream/subscriptions.ts';
import type { Faults } from './types.ts';

/**
 * A key pair the emulator accepts; requests signed with it are verified like SigV4 on AWS.
 *
 * @example
 * await startEmulator({ credentials: [{ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'local-secret' }] });
 */
export interface EmulatorCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Options of `createEmulatorHandler`: everything but the listen address.
 *
 * @example
 * const options: EmulatorHandlerOptions = { maxChats: 100, faults: { quota: { requestsPerSecond: 2, burst: 5 } } };
 */
export interface EmulatorHandlerOptions {
  /**
   * Key pairs whose signatures are checked. Without any, requests still need a SigV4
   * `Authorization` header scoped to `connect`, but its signature cannot be checked.
   */
  credentials?: EmulatorCredentials[];
  /** Faults active from the start; change them later with `setFaults` or `POST /_emulator/faults`. */
  faults?: Faults;
  logger?: Logger;
  /** Accept Subtype values the API does not document. Default false, as the service. */
  allowUnknownSubtype?: boolean;
  /** Chats kept in memory, ended ones included; the oldest are evicted. Default 1,000. */
  maxChats?: number;
  /** Transcript items kept per chat; the oldest are evicted. Default 1,000. */
  maxTranscriptItems?: number;
  /** Secrets and default bridge of the page's "Play the customer" panel and `POST /_emulator/simulate`. */
  simulator?: SimulatorOptions;
  /** The AWS account of the emulated instance, in the contact flow ARN of a participant chat's key. 12 digits, default `111122223333`. */
  accountId?: string;
  /** How long a participant ConnectionToken works, in milliseconds. Default 24 hours; change it later with `setConnectionTokenTtl`. */
  connectionTokenTtlMs?: number;
  /**
   * Signs every SNS message the emulator sends: the simulator's inbound ones and the chat stream's.
   * Default a signer of its own, made on first use; `snsCertificateResolver` resolves its certificate either way.
   */
  snsSigner?: SnsSigner | Promise<SnsSigner>;
  /** Endpoints subscribed to SNS topics from the start, active at once; add more with `subscribe` or `POST /_emulator/subscriptions`. */
  subscriptions?: StreamSubscription[];
  /** Credentials the emulated channel APIs check; a channel without them accepts any. */
  phone?: PhoneOptions;
}

/**
 * Options of `startEmulator`.
 *
 * @example
 * const options: EmulatorOptions = { port: 0, host: '127.0.0.1', logger: console };
 */
export interface EmulatorOptions extends EmulatorHandlerOptions {
  /** Default 4050; 0 picks a free port (read it from `url`). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface ResolvedHandlerOptions {
  credentials: readonly EmulatorCredentials[];
  faults: Faults;
  logger: Logger;
  allowUnknownSubtype: boolean;
  maxChats: number;
  maxTranscriptItems: number;
  simulator: ResolvedSimulatorOptions;
  accountId: string;
  connectionTokenTtlMs: number;
  snsSigner: Promise<SnsSigner> | undefined;
  subscriptions: StreamSubscription[];
  phone: PhoneOptions;
}

export const defaultPort = 4050;
export const defaultAccountId = '111122223333';
export const defaultConnectionTokenTtlMs = 24 * 60 * 60 * 1_000;
/** Far beyond any real token lifetime (a year); also keeps `Date` arithmetic finite. */
export const maxConnectionTokenTtlMs = 366 * 24 * 60 * 60 * 1_000;

/** Checks a ConnectionToken lifetime from options or `setConnectionTokenTtl`; throws INVALID_OPTIONS. */
export function checkConnectionTokenTtl(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > maxConnectionTokenTtlMs) {
    invalidOption(path, `an integer 1..${maxConnectionTokenTtlMs} (milliseconds)`, value);
  }
  return value;
}
export const defaultHost = '127.0.0.1';

function positiveInteger(value: unknown, path: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) invalidOption(path, 'a positive integer', value);
  return value;
}

function checkCredentials(value: unknown): EmulatorCredentials[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) invalidOption('credentials', 'an array of { accessKeyId, secretAccessKey }', value);
  return value.map((entry: unknown, index) => {
    const path = `credentials[${index}]`;
    if (!isRecord(entry)) invalidOption(path, 'an object { accessKeyId, secretAccessKey }', entry);
    const { accessKeyId, secretAccessKey } = entry;
    if (typeof accessKeyId !== 'string' || !/^[A-Za-z0-9]{1,128}$/.test(accessKeyId)) {
      invalidOption(`${path}.accessKeyId`, '1..128 letters and digits', accessKeyId);
    }
    if (typeof secretAccessKey !== 'string' || secretAccessKey.length === 0) {
      // Never echo a secret, not even a wrong one.
      invalidOption(
        `${path}.secretAccessKey`,
        'a non-empty string',
        undefined,
        typeof secretAccessKey === 'string' ? 'an empty string' : typeof secretAccessKey,
      );
    }
    return { accessKeyId, secretAccessKey };
  });
}

function checkLogger(value: unknown): Logger {
  if (value === undefined) return silentLogger;
  if (!isRecord(value)) invalidOption('logger', 'an object with debug, info, warn and error methods', value);
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    if (typeof value[level] !== 'function') invalidOption(`logger.${level}`, 'a function', value[level]);
  }
  return value as unknown as Logger;
}

function checkAccountId(value: unknown): string {
  if (value === undefined) return defaultAccountId;
  if (typeof value !== 'string' || !/^\d{12}$/.test(value)) invalidOption('accountId', 'an AWS account id of 12 digits', value);
  return value;
}

export function resolveHandlerOptions(options: unknown): ResolvedHandlerOptions {
  if (options === undefined) options = {};
  if (!isRecord(options)) invalidOption('options', 'an object', options);
  const allowUnknownSubtype = options['allowUnknownSubtype'];
  if (allowUnknownSubtype !== undefined && typeof allowUnknownSubtype !== 'boolean') {
    invalidOption('allowUnknownSubtype', 'a boolean', allowUnknownSubtype);
  }
  return {
    credentials: checkCredentials(options['credentials']),
    faults: validateFaults(options['faults'] ?? {}, 'faults'),
    logger: checkLogger(options['logger']),
    allowUnknownSubtype: allowUnknownSubtype === true,
    maxChats: positiveInteger(options['maxChats'], 'maxChats', 1_000),
    maxTranscriptItems: positiveInteger(options['maxTranscriptItems'], 'maxTranscriptItems', 1_000),
    simulator: resolveSimulatorOptions(options['simulator']),
    accountId: checkAccountId(options['accountId']),
    connectionTokenTtlMs:
      options['connectionTokenTtlMs'] === undefined
        ? defaultConnectionTokenTtlMs
        : checkConnectionTokenTtl(options['connectionTokenTtlMs'], 'connectionTokenTtlMs'),
    snsSigner: checkSnsSigner(options['snsSigner']),
    subscriptions: checkSubscriptions(options['subscriptions']),
    phone: resolvePhoneOptions(options['phone']),
  };
}

function checkSnsSigner(value: unknown): Promise<SnsSigner> | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Promise) return value as Promise<SnsSigner>;
  if (!isRecord(value) || typeof value['notification'] !== 'function' || typeof value['request'] !== 'function') {
    invalidOption('snsSigner', 'an SnsSigner from createSnsSigner() (or a promise of one)', value);
  }
  return Promise.resolve(value as unknown as SnsSigner);
}

function checkSubscriptions(value: unknown): StreamSubscription[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) invalidOption('subscriptions', 'an array of { topicArn, endpoint }', value);
  return value.map((entry: unknown, index) => checkSubscription(entry, `subscriptions[${index}]`));
}

export function resolveListenOptions(options: unknown): { port: number; host: string } {
  const record = isRecord(options) ? options : {};
  const { port = defaultPort, host = defaultHost } = record;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    invalidOption('port', 'an integer 0..65535', port);
  }
  if (typeof host !== 'string' || host.length === 0) invalidOption('host', 'a non-empty host name or IP address', host);
  return { port, host };
}
