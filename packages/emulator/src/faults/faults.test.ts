import { describe, expect, it } from 'vitest';
import { FaultInjector, validateFaults } from './faults.ts';
import { TokenBucket } from './token-bucket.ts';

describe('TokenBucket', () => {
  it('gives the burst at once, then refills at the rate, never above the burst', () => {
    let now = 0;
    const bucket = new TokenBucket(2, 3, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now = 499;
    expect(bucket.take()).toBe(false);
    now = 500;
    expect(bucket.take()).toBe(true);
    now = 60_000;
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });
});

describe('FaultInjector', () => {
  it('answers failNext before the quota and the error rates, then draws from the rates by status', () => {
    const draws = [0.05, 0.35, 0.95];
    const injector = new FaultInjector({ failNext: [{ error: 'AccessDeniedException' }], errorRates: { 400: 0.1, 500: 0.3 } }, () => draws.shift() ?? 1);
    expect(injector.next('SendChatIntegrationEvent')).toBe('AccessDeniedException');
    expect(injector.current().failNext).toBeUndefined();
    expect(injector.next('SendChatIntegrationEvent')).toBe('InvalidRequestException');
    expect(injector.next('SendChatIntegrationEvent')).toBe('InternalServiceException');
    expect(injector.next('SendChatIntegrationEvent')).toBeUndefined();
  });

  it('keeps the caller from changing faults in force through the object it passed', () => {
    const faults = { failNext: [{ error: 'ThrottlingException' as const, count: 1 }] };
    const injector = new FaultInjector(faults);
    faults.failNext[0]!.count = 5;
    expect(injector.next('SendChatIntegrationEvent')).toBe('ThrottlingException');
    expect(injector.next('SendChatIntegrationEvent')).toBeUndefined();
  });
});

describe('validateFaults', () => {
  it('defaults count to 1 and keeps what is valid', () => {
    expect(validateFaults({ failNext: [{ error: 'ThrottlingException' }], latencyMs: 0, errorRates: { 429: 0.5 } }, 'faults')).toEqual({
      failNext: [{ error: 'ThrottlingException', count: 1 }],
      latencyMs: 0,
      errorRates: { 429: 0.5 },
    });
  });

  it.each([
    [null, 'faults: expected an object'],
    [{ errorRates: { 418: 0.5 } }, 'faults.errorRates: expected statuses among 400, 403, 404, 429, 500, got "418"'],
    [{ errorRates: { 500: 1.5 } }, 'faults.errorRates.500: expected a probability 0..1, got 1.5'],
    [{ quota: { requestsPerSecond: 1, burst: 0.5 } }, 'faults.quota.burst: expected an integer of at least 1, got 0.5'],
    [{ failNext: 'ThrottlingException' }, 'faults.failNext: expected an array'],
    [{ latencyMs: 1e9 }, 'faults.latencyMs: expected an integer 0..120000'],
  ])('rejects %j', (faults, message) => {
    expect(() => validateFaults(faults, 'faults')).toThrow(message);
  });
});

describe('FaultInjector per operation', () => {
  it('lets an entry with an operation pass every other operation, and entries without one hit any', () => {
    const injector = new FaultInjector({
      failNext: [{ error: 'ThrottlingException', operation: 'SendMessage' }, { error: 'ConflictException' }],
    });
    expect(injector.next('StartChatContact')).toBe('ConflictException');
    expect(injector.next('SendEvent')).toBeUndefined();
    expect(injector.next('SendMessage')).toBe('ThrottlingException');
    expect(injector.current().failNext).toBeUndefined();
  });

  it('keeps a quota bucket per operation', () => {
    const injector = new FaultInjector({ quota: { requestsPerSecond: 0.001, burst: 1 } });
    expect(injector.next('SendMessage')).toBeUndefined();
    expect(injector.next('SendMessage')).toBe('ThrottlingException');
    expect(injector.next('SendEvent')).toBeUndefined();
  });

  it('names the errors of the rates in the words of the service of the operation', () => {
    const injector = new FaultInjector({ errorRates: { 400: 0.5, 500: 0.5 } }, () => 0.1);
    expect(injector.next('SendMessage')).toBe('ValidationException');
    expect(injector.next('StartChatContact')).toBe('InvalidRequestException');
    const server = new FaultInjector({ errorRates: { 500: 1 } }, () => 0.1);
    expect(server.next('DisconnectParticipant')).toBe('InternalServerException');
    expect(server.next('SendChatIntegrationEvent')).toBe('InternalServiceException');
  });

  it('validates operation names and the new error names', () => {
    expect(validateFaults({ failNext: [{ error: 'LimitExceededException', operation: 'StartChatContact' }] }, 'faults')).toEqual({
      failNext: [{ error: 'LimitExceededException', count: 1, operation: 'StartChatContact' }],
    });
    expect(() => validateFaults({ failNext: [{ error: 'ThrottlingException', operation: 'GetTranscript' }] }, 'faults')).toThrow(
      'faults.failNext[0].operation: expected one of SendChatIntegrationEvent',
    );
    expect(() => validateFaults({ failNext: [{ error: 'TeapotException' }] }, 'faults')).toThrow('faults.failNext[0].error: expected one of');
    expect(() => validateFaults({ failNext: [{ error: 'ThrottlingException', op: 'SendMessage' }] }, 'faults')).toThrow(
      'faults.failNext[0].op: expected one of error, count, operation',
    );
  });
});

describe('channel faults', () => {
  it('keeps channel errors on channel operations and Connect errors on Connect operations, naming the member', () => {
    expect(() => validateFaults({ failNext: [{ error: 'ChannelThrottled' }] }, 'faults')).toThrow(
      /faults\.failNext\[0\]\.operation: expected one of TwilioCreateMessage/,
    );
    expect(() => validateFaults({ failNext: [{ error: 'WindowClosed', operation: 'SendMessage' }] }, 'faults')).toThrow(
      /faults\.failNext\[0\]\.operation: expected one of TwilioCreateMessage, WhatsAppSendMessage, SendTextMessage, GenericOutbound for WindowClosed/,
    );
    expect(() => validateFaults({ failNext: [{ error: 'ThrottlingException', operation: 'SendTextMessage' }] }, 'faults')).toThrow(
      /faults\.failNext\[0\]\.operation: expected a Connect or participant operation for ThrottlingException/,
    );
    expect(validateFaults({ failNext: [{ error: 'RecipientOptedOut', operation: 'GenericOutbound' }] }, 'faults')).toEqual({
      failNext: [{ error: 'RecipientOptedOut', count: 1, operation: 'GenericOutbound' }],
    });
  });

  it('never lets a channel consume an entry without an operation, and maps the quota and the rates to channel errors', () => {
    const draws = [0.05, 0.95];
    const injector = new FaultInjector(
      { failNext: [{ error: 'ThrottlingException' }, { error: 'ChannelUnavailable', operation: 'TwilioCreateMessage' }], errorRates: { 429: 0.1 } },
      () => draws.shift() ?? 1,
    );
    expect(injector.next('TwilioCreateMessage')).toBe('ChannelUnavailable');
    expect(injector.next('SendChatIntegrationEvent')).toBe('ThrottlingException');
    expect(injector.next('WhatsAppSendMessage')).toBe('ChannelThrottled');
    expect(injector.next('WhatsAppSendMessage')).toBeUndefined();
    const quota = new FaultInjector({ quota: { requestsPerSecond: 0.001, burst: 1 } });
    expect(quota.next('GenericOutbound')).toBeUndefined();
    expect(quota.next('GenericOutbound')).toBe('ChannelThrottled');
  });
});

describe('latency spikes and connection faults', () => {
  it('keeps what is valid', () => {
    expect(validateFaults({ latencySpikes: { rate: 0.05, ms: 2_000 }, resetRate: 0.25, lostResponseRate: 0.75 }, 'faults')).toEqual({
      latencySpikes: { rate: 0.05, ms: 2_000 },
      resetRate: 0.25,
      lostResponseRate: 0.75,
    });
  });

  it.each([
    [{ latencySpikes: 0.5 }, 'faults.latencySpikes: expected an object { rate, ms }, got 0.5'],
    [{ latencySpikes: { rate: 0.5 } }, 'faults.latencySpikes.ms: expected an integer 0..120000, got undefined'],
    [{ latencySpikes: { rate: 1.5, ms: 10 } }, 'faults.latencySpikes.rate: expected a probability 0..1, got 1.5'],
    [{ latencySpikes: { rate: Number.NaN, ms: 10 } }, 'faults.latencySpikes.rate: expected a probability 0..1, got NaN'],
    [{ latencySpikes: { rate: 0.5, ms: 120_001 } }, 'faults.latencySpikes.ms: expected an integer 0..120000, got 120001'],
    [{ latencySpikes: { rate: 0.5, ms: 2.5 } }, 'faults.latencySpikes.ms: expected an integer 0..120000, got 2.5'],
    [{ latencySpikes: { rate: 0.5, ms: 10, every: 3 } }, 'faults.latencySpikes.every: expected one of rate, ms, got "every"'],
    [{ resetRate: -0.1 }, 'faults.resetRate: expected a probability 0..1, got -0.1'],
    [{ resetRate: '0.1' }, 'faults.resetRate: expected a probability 0..1, got "0.1"'],
    [{ lostResponseRate: 2 }, 'faults.lostResponseRate: expected a probability 0..1, got 2'],
    [{ resetRate: 0.7, lostResponseRate: 0.4 }, 'faults.lostResponseRate: expected a probability adding up to at most 1 with resetRate (0.7), got 0.4'],
  ])('rejects %j naming the member', (faults, message) => {
    expect(() => validateFaults(faults, 'faults')).toThrow(message);
  });

  it('spikes a drawn share of Connect and participant requests on top of latencyMs, never a channel request', () => {
    const draws = [0.29, 0.3];
    const injector = new FaultInjector({ latencyMs: 5, latencySpikes: { rate: 0.3, ms: 200 } }, () => draws.shift() ?? 0);
    expect(injector.delayOf('SendChatIntegrationEvent')).toBe(205);
    expect(injector.delayOf('SendMessage')).toBe(5);
    expect(injector.delayOf('TwilioCreateMessage')).toBe(5);
    expect(new FaultInjector({ latencySpikes: { rate: 1, ms: 200 } }, Math.random).delayOf('StartChatContact')).toBe(200);
    expect(new FaultInjector({ latencySpikes: { rate: 0, ms: 200 } }, () => 0).delayOf('StartChatContact')).toBe(0);
  });

  it('decides both connection faults with one draw, each rate its exact share, never for a channel request', () => {
    const draws = [0.24, 0.25, 0.74, 0.75];
    const injector = new FaultInjector({ resetRate: 0.25, lostResponseRate: 0.5 }, () => draws.shift() ?? 0);
    expect(injector.connectionFault('SendChatIntegrationEvent')).toBe('reset');
    expect(injector.connectionFault('SendMessage')).toBe('lostResponse');
    expect(injector.connectionFault('StartChatContact')).toBe('lostResponse');
    expect(injector.connectionFault('SendEvent')).toBeUndefined();
    expect(injector.connectionFault('GenericOutbound')).toBeUndefined();
    expect(new FaultInjector({ lostResponseRate: 1 }, Math.random).connectionFault('DisconnectParticipant')).toBe('lostResponse');
  });

  it('draws nothing for a rate of 0, so the error rates get the draws they were given', () => {
    const draws = [0.05];
    const injector = new FaultInjector(
      { latencySpikes: { rate: 0, ms: 10 }, resetRate: 0, lostResponseRate: 0, errorRates: { 500: 0.1 } },
      () => draws.shift() ?? 1,
    );
    expect(injector.delayOf('SendChatIntegrationEvent')).toBe(0);
    expect(injector.connectionFault('SendChatIntegrationEvent')).toBeUndefined();
    expect(injector.next('SendChatIntegrationEvent')).toBe('InternalServiceException');
  });
});
