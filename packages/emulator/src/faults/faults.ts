import {
  channelErrorByStatus,
  channelErrorNames,
  channelOperationNames,
  connectErrorByStatus,
  connectErrorNames,
  isChannelErrorName,
  isChannelOperation,
  isParticipantOperation,
  operationNames,
  participantErrorByStatus,
} from '../connect-errors.ts';
import { invalidOption, isRecord } from '../invalid-option.ts';
import type { ChannelErrorName, ConnectErrorName, EmulatorOperation, FaultStatus, Faults, LatencySpikes } from '../types.ts';

/** Every error name a `failNext` entry may carry. */
const faultErrorNames: readonly string[] = [...connectErrorNames, ...channelErrorNames];
import { TokenBucket } from './token-bucket.ts';

const faultStatuses = Object.keys(connectErrorByStatus).map(Number) as FaultStatus[];
const faultMembers = ['quota', 'failNext', 'errorRates', 'latencyMs', 'latencySpikes', 'resetRate', 'lostResponseRate'];
const failNextMembers = ['error', 'count', 'operation'];
const latencySpikesMembers = ['rate', 'ms'];
/** Beyond this a delay is a hang, not latency; SDK clients time out long before. */
const maxLatencyMs = 120_000;
const maxFailNextEntries = 1_000;

/**
 * Checks faults from options, the CLI or `POST /_emulator/faults` and returns a normalized copy.
 * Throws INVALID_OPTIONS naming the member at fault (prefixed with `path`).
 *
 * @example
 * validateFaults({ quota: { requestsPerSecond: 2, burst: 5 } }, 'faults');
 */
export function validateFaults(value: unknown, path: string): Faults {
  if (!isRecord(value)) {
    invalidOption(path, 'an object { quota?, failNext?, errorRates?, latencyMs?, latencySpikes?, resetRate?, lostResponseRate? }', value);
  }
  for (const member of Object.keys(value)) {
    if (!faultMembers.includes(member)) invalidOption(`${path}.${member}`, `one of ${faultMembers.join(', ')}`, member);
  }
  const faults: Faults = {};
  if (value['quota'] !== undefined) faults.quota = checkQuota(value['quota'], `${path}.quota`);
  if (value['failNext'] !== undefined) faults.failNext = checkFailNext(value['failNext'], `${path}.failNext`);
  if (value['errorRates'] !== undefined) faults.errorRates = checkErrorRates(value['errorRates'], `${path}.errorRates`);
  if (value['latencyMs'] !== undefined) faults.latencyMs = checkDelayMs(value['latencyMs'], `${path}.latencyMs`);
  if (value['latencySpikes'] !== undefined) faults.latencySpikes = checkLatencySpikes(value['latencySpikes'], `${path}.latencySpikes`);
  if (value['resetRate'] !== undefined) faults.resetRate = checkProbability(value['resetRate'], `${path}.resetRate`);
  if (value['lostResponseRate'] !== undefined) {
    faults.lostResponseRate = checkLostResponseRate(value['lostResponseRate'], `${path}.lostResponseRate`, faults.resetRate ?? 0);
  }
  return faults;
}

function checkProbability(value: unknown, path: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) invalidOption(path, 'a probability 0..1', value);
  return value;
}

function checkDelayMs(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > maxLatencyMs) {
    invalidOption(path, `an integer 0..${maxLatencyMs}`, value);
  }
  return value;
}

function checkLatencySpikes(value: unknown, path: string): LatencySpikes {
  if (!isRecord(value)) invalidOption(path, 'an object { rate, ms }', value);
  for (const member of Object.keys(value)) {
    if (!latencySpikesMembers.includes(member)) invalidOption(`${path}.${member}`, `one of ${latencySpikesMembers.join(', ')}`, member);
  }
  return { rate: checkProbability(value['rate'], `${path}.rate`), ms: checkDelayMs(value['ms'], `${path}.ms`) };
}

// One draw decides both connection faults, so each rate is its exact share and together they cannot exceed 1.
function checkLostResponseRate(value: unknown, path: string, resetRate: number): number {
  const rate = checkProbability(value, path);
  if (rate + resetRate > 1 + 1e-9) invalidOption(path, `a probability adding up to at most 1 with resetRate (${resetRate})`, rate);
  return rate;
}

function checkQuota(value: unknown, path: string): NonNullable<Faults['quota']> {
  if (!isRecord(value)) invalidOption(path, 'an object { requestsPerSecond, burst }', value);
  const { requestsPerSecond, burst } = value;
  if (typeof requestsPerSecond !== 'number' || !Number.isFinite(requestsPerSecond) || requestsPerSecond <= 0) {
    invalidOption(`${path}.requestsPerSecond`, 'a number above 0', requestsPerSecond);
  }
  if (typeof burst !== 'number' || !Number.isInteger(burst) || burst < 1) invalidOption(`${path}.burst`, 'an integer of at least 1', burst);
  return { requestsPerSecond, burst };
}

function checkFailNext(value: unknown, path: string): NonNullable<Faults['failNext']> {
  if (!Array.isArray(value) || value.length > maxFailNextEntries) {
    invalidOption(path, `an array of at most ${maxFailNextEntries} { error, count?, operation? }`, value);
  }
  return value.map((entry: unknown, index) => {
    if (!isRecord(entry)) invalidOption(`${path}[${index}]`, 'an object { error, count?, operation? }', entry);
    for (const member of Object.keys(entry)) {
      if (!failNextMembers.includes(member)) invalidOption(`${path}[${index}].${member}`, `one of ${failNextMembers.join(', ')}`, member);
    }
    const { error, count = 1, operation } = entry;
    if (typeof error !== 'string' || !faultErrorNames.includes(error)) {
      invalidOption(`${path}[${index}].error`, `one of ${faultErrorNames.join(', ')}`, error);
    }
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
      invalidOption(`${path}[${index}].count`, 'a positive integer', count);
    }
    const channelError = isChannelErrorName(error);
    if (operation === undefined) {
      if (channelError) invalidOption(`${path}[${index}].operation`, `one of ${channelOperationNames.join(', ')} for ${error}`, operation);
      return { error: error as ConnectErrorName, count };
    }
    if (typeof operation !== 'string' || !(operationNames as string[]).includes(operation)) {
      invalidOption(`${path}[${index}].operation`, `one of ${operationNames.join(', ')}`, operation);
    }
    if (channelError !== isChannelOperation(operation as EmulatorOperation)) {
      const expected = channelError
        ? `one of ${channelOperationNames.join(', ')} for ${error}`
        : `a Connect or participant operation for ${error} (channel operations take ${channelErrorNames.join(', ')})`;
      invalidOption(`${path}[${index}].operation`, expected, operation);
    }
    return { error: error as ConnectErrorName | ChannelErrorName, count, operation: operation as EmulatorOperation };
  });
}

function checkErrorRates(value: unknown, path: string): NonNullable<Faults['errorRates']> {
  if (!isRecord(value)) invalidOption(path, 'an object from status (400, 403, 404, 429, 500) to probability', value);
  const rates: Partial<Record<FaultStatus, number>> = {};
  let total = 0;
  for (const [key, rate] of Object.entries(value)) {
    const status = Number(key) as FaultStatus;
    if (!faultStatuses.includes(status)) invalidOption(path, `statuses among ${faultStatuses.join(', ')}`, key);
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) invalidOption(`${path}.${key}`, 'a probability 0..1', rate);
    rates[status] = rate;
    total += rate;
  }
  if (total > 1 + 1e-9) invalidOption(path, 'probabilities adding up to at most 1', value, `a sum of ${total}`);
  return rates;
}

/**
 * What a Connect or participant request's connection suffers: `reset` before the request is handled
 * (nothing changed), `lostResponse` after (handled, its answer never sent).
 *
 * @example
 * if (faults.connectionFault('SendMessage') === 'reset') res.destroy();
 */
export type ConnectionFault = 'reset' | 'lostResponse';

/**
 * Decides, request by request, which fault to inject. Per request: its delay (`latencyMs` plus a
 * drawn spike), its connection fault, then the error: `failNext` first (deterministic), then the
 * quota (a bucket per operation), then the random error rates. A rate of 0 or absent draws nothing,
 * so a sequence of draws given to a test feeds only the faults in force.
 *
 * @example
 * const faults = new FaultInjector({ resetRate: 0.1 }, () => 0.05);
 * faults.connectionFault('SendChatIntegrationEvent'); // 'reset'
 */
export class FaultInjector {
  private faults: Faults = {};
  private readonly buckets = new Map<EmulatorOperation, TokenBucket>();

  constructor(
    faults: Faults,
    private readonly random: () => number = Math.random,
  ) {
    this.set(faults);
  }

  /** Replaces every fault; a new quota starts with a full bucket. */
  set(faults: Faults): void {
    this.faults = structuredClone(faults);
    this.buckets.clear();
  }

  /** The faults in force, `failNext` as what is left of it. */
  current(): Faults {
    return structuredClone(this.faults);
  }

  /** How long to hold this request of `operation` before handling it: `latencyMs`, plus a spike for a drawn share of Connect and participant requests. */
  delayOf(operation: EmulatorOperation): number {
    const spikes = this.faults.latencySpikes;
    const spikeMs = spikes && !isChannelOperation(operation) && this.happens(spikes.rate) ? spikes.ms : 0;
    return (this.faults.latencyMs ?? 0) + spikeMs;
  }

  /** The connection fault this request of `operation` suffers, if any; channel operations never suffer one. */
  connectionFault(operation: EmulatorOperation): ConnectionFault | undefined {
    const reset = this.faults.resetRate ?? 0;
    const lost = this.faults.lostResponseRate ?? 0;
    if (isChannelOperation(operation) || reset + lost === 0) return undefined;
    const draw = this.random();
    if (draw < reset) return 'reset';
    return draw < reset + lost ? 'lostResponse' : undefined;
  }

  /**
   * The error to answer this request of `operation` with, if any: a Connect error for Connect and
   * participant operations, a channel error for channel operations. Consumes `failNext` and quota tokens.
   */
  next(operation: EmulatorOperation): ConnectErrorName | ChannelErrorName | undefined {
    const failNext = this.faults.failNext ?? [];
    const channel = isChannelOperation(operation);
    // An entry without an operation is Connect's: a channel never consumes it.
    const index = failNext.findIndex((entry) => entry.operation === operation || (entry.operation === undefined && !channel));
    const queued = failNext[index];
    if (queued) {
      const remaining = (queued.count ?? 1) - 1;
      if (remaining > 0) queued.count = remaining;
      else failNext.splice(index, 1);
      if (failNext.length === 0) delete this.faults.failNext;
      return queued.error;
    }
    if (this.faults.quota && !this.bucketOf(operation, this.faults.quota).take()) return channel ? 'ChannelThrottled' : 'ThrottlingException';
    const rates = this.faults.errorRates;
    if (rates) {
      const draw = this.random();
      let threshold = 0;
      const byStatus = channel ? channelErrorByStatus : isParticipantOperation(operation) ? participantErrorByStatus : connectErrorByStatus;
      for (const status of faultStatuses) {
        threshold += rates[status] ?? 0;
        if (draw < threshold) return byStatus[status];
      }
    }
    return undefined;
  }

  private happens(rate: number): boolean {
    return rate > 0 && this.random() < rate;
  }

  private bucketOf(operation: EmulatorOperation, quota: NonNullable<Faults['quota']>): TokenBucket {
    let bucket = this.buckets.get(operation);
    if (!bucket) {
      // A new quota starts with a full bucket, per operation as the service quotas are.
      bucket = new TokenBucket(quota.requestsPerSecond, quota.burst);
      this.buckets.set(operation, bucket);
    }
    return bucket;
  }
}
