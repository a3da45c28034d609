import { ConnectChatError } from '../../errors/connect-chat-error.ts';
import { describe } from './envelope.ts';
import { isProviderName } from '../secrets.ts';
import { isSnsTopicArn } from './trust.ts';

/**
 * Options of {@link createSnsProvider}.
 *
 * @example
 * const options: SnsProviderOptions = { topicArns: ['arn:aws:sns:us-east-1:123456789012:inbound-sms'] };
 */
export interface SnsProviderOptions {
  /**
   * The topics allowed to deliver (and to be auto-confirmed): an explicit list of topic ARNs, or a
   * function deciding per ARN. Required: any other topic is answered 403.
   */
  topicArns: readonly string[] | ((topicArn: string) => boolean);
  /** GET the SubscribeURL of a SubscriptionConfirmation from an allowed topic. Default `true`. */
  autoConfirm?: boolean;
  /** Signing certificates kept in memory (least recently used evicted first). Default 32. */
  certificateCacheSize?: number;
  /** How long a fetched certificate is trusted before it is fetched again. Default 1 hour. */
  certificateTtlMs?: number;
  /** Timeout of the certificate fetch and of the subscription confirmation GET. Default 5,000 ms. */
  fetchTimeoutMs?: number;
  /**
   * How long a failed certificate fetch is remembered (answered 503 without fetching again), at most
   * 30,000 ms and never longer than the handler's `Retry-After`. Default 5,000 ms.
   */
  certificateFailureTtlMs?: number;
  /** Certificate fetches in flight at once; past it a delivery answers 503 at once. Default 4. */
  maxConcurrentCertificateFetches?: number;
  /**
   * Refuse (401) notifications whose signed `Timestamp` is older than this many seconds: a replay
   * window. Off by default; SNS keeps the first `Timestamp` on every retry, so set it above the
   * topic's delivery-policy retry duration (e.g. 3600).
   */
  maxMessageAgeSeconds?: number;
  /**
   * Returns the PEM for a (trusted) SigningCertURL instead of fetching it: pinned certificates, or
   * `createSnsSigner().resolveCertificate` in tests. The host rules still apply first.
   */
  resolveCertificate?: (url: URL) => Promise<string>;
  /** The provider's name in routes, logs and idempotency keys. Default `sns`. */
  name?: string;
}

export interface SnsSettings {
  name: string;
  isAllowedTopic: (topicArn: string) => boolean;
  autoConfirm: boolean;
  certificateCacheSize: number;
  certificateTtlMs: number;
  fetchTimeoutMs: number;
  certificateFailureTtlMs: number;
  maxConcurrentCertificateFetches: number;
  maxMessageAgeSeconds: number | undefined;
  resolveCertificate: ((url: URL) => Promise<string>) | undefined;
}

function invalid(path: string, expected: string, got: unknown): ConnectChatError {
  return new ConnectChatError('INVALID_OPTIONS', `createSnsProvider options${path}: expected ${expected}, got ${describe(got)}`);
}

function positiveNumber(path: string, value: unknown, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  const valid = typeof value === 'number' && Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value));
  if (!valid) throw invalid(path, integer ? 'a positive integer' : 'a positive number of milliseconds', value);
  return value;
}

/** Checks every option once, at construction, and fills in the defaults. */
export function resolveSnsOptions(options: SnsProviderOptions): SnsSettings {
  if (typeof options !== 'object' || options === null) throw invalid('', 'an object with topicArns', options);
  const { topicArns } = options;
  let isAllowedTopic: (topicArn: string) => boolean;
  if (typeof topicArns === 'function') {
    isAllowedTopic = (topicArn) => topicArns(topicArn) === true;
  } else if (Array.isArray(topicArns)) {
    if (topicArns.length === 0) throw invalid('.topicArns', 'at least one SNS topic ARN', topicArns);
    topicArns.forEach((arn: unknown, index) => {
      if (!isSnsTopicArn(arn)) throw invalid(`.topicArns[${index}]`, 'an SNS topic ARN like arn:aws:sns:us-east-1:123456789012:inbound-sms', arn);
    });
    const allowed = new Set<string>(topicArns);
    isAllowedTopic = (topicArn) => allowed.has(topicArn);
  } else {
    throw invalid('.topicArns', 'an array of SNS topic ARNs or a function (topicArn) => boolean', topicArns);
  }
  if (options.autoConfirm !== undefined && typeof options.autoConfirm !== 'boolean') throw invalid('.autoConfirm', 'a boolean', options.autoConfirm);
  if (options.resolveCertificate !== undefined && typeof options.resolveCertificate !== 'function') {
    throw invalid('.resolveCertificate', 'a function (url: URL) => Promise<string>', options.resolveCertificate);
  }
  const name = options.name ?? 'sns';
  if (!isProviderName(name)) throw invalid('.name', 'a short lowercase name such as "sns" (a-z, 0-9, - and _, at most 64)', name);
  return {
    name,
    isAllowedTopic,
    autoConfirm: options.autoConfirm ?? true,
    certificateCacheSize: positiveNumber('.certificateCacheSize', options.certificateCacheSize, 32, true),
    certificateTtlMs: positiveNumber('.certificateTtlMs', options.certificateTtlMs, 60 * 60 * 1000, false),
    fetchTimeoutMs: positiveNumber('.fetchTimeoutMs', options.fetchTimeoutMs, 5_000, false),
    certificateFailureTtlMs: Math.min(30_000, positiveNumber('.certificateFailureTtlMs', options.certificateFailureTtlMs, 5_000, false)),
    maxConcurrentCertificateFetches: positiveNumber('.maxConcurrentCertificateFetches', options.maxConcurrentCertificateFetches, 4, true),
    maxMessageAgeSeconds:
      options.maxMessageAgeSeconds === undefined ? undefined : positiveNumber('.maxMessageAgeSeconds', options.maxMessageAgeSeconds, 0, false),
    resolveCertificate: options.resolveCertificate,
  };
}
