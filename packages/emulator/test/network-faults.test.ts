import { type ConnectClient, ThrottlingException } from '@aws-sdk/client-connect';
import { type ConnectParticipantClient, SendMessageCommand } from '@aws-sdk/client-connectparticipant';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.ts';
import { connectClient, connectedChat, credentials, message, participantClient, recordingLogger, rejection, send } from './helpers.ts';

let emulator: RunningEmulator;
let logger: ReturnType<typeof recordingLogger>;
let connect: ConnectClient;
let participant: ConnectParticipantClient;

beforeEach(async () => {
  logger = recordingLogger();
  emulator = await startEmulator({ port: 0, credentials: [credentials], logger });
  connect = connectClient(emulator.url);
  participant = participantClient(emulator.url);
});

afterEach(async () => {
  connect.destroy();
  participant.destroy();
  await emulator.close();
});

const json = { 'content-type': 'application/json' };

/** The connection failed: no HTTP answer reached the SDK, only a reset socket. */
function expectNetworkError(error: Error & { $metadata?: { httpStatusCode?: number } }): void {
  expect(error.$metadata?.httpStatusCode).toBeUndefined();
  expect((error as NodeJS.ErrnoException).code).toBe('ECONNRESET');
}

function transcriptTexts(): Array<string | undefined> {
  return emulator.chats().flatMap((chat) => chat.transcript.filter((item) => item.type === 'MESSAGE').map((item) => item.content));
}

async function faultsInForce(): Promise<unknown> {
  return (await fetch(`${emulator.url}/_emulator/faults`)).json();
}

describe('resetRate', () => {
  it('destroys the connection before SendChatIntegrationEvent is handled: nothing recorded, no other fault consumed, a retry is safe', async () => {
    emulator.setFaults({ resetRate: 1, failNext: [{ error: 'ThrottlingException' }] });
    expectNetworkError(await rejection(send(connect, message('reset'))));
    expect(emulator.chats()).toEqual([]);
    expect(await faultsInForce()).toEqual({ resetRate: 1, failNext: [{ error: 'ThrottlingException', count: 1 }] });

    emulator.setFaults({});
    await expect(send(connect, message('reset'))).resolves.toMatchObject({ NewChatCreated: true });
    expect(transcriptTexts()).toEqual(['reset']);
  });

  it('destroys the connection before a participant SendMessage is handled', async () => {
    const chat = await connectedChat(connect, participant);
    emulator.setFaults({ resetRate: 1 });
    const sending = participant.send(new SendMessageCommand({ ConnectionToken: chat.ConnectionToken, ContentType: 'text/plain', Content: 'reset' }));
    expectNetworkError(await rejection(sending));
    expect(transcriptTexts()).toEqual([]);
  });
});

describe('lostResponseRate', () => {
  it('handles SendChatIntegrationEvent, then destroys the connection instead of answering; without a token the retry duplicates', async () => {
    emulator.setFaults({ lostResponseRate: 1 });
    expectNetworkError(await rejection(send(connect, message('lost answer'))));
    expect(transcriptTexts()).toEqual(['lost answer']);

    emulator.setFaults({});
    await expect(send(connect, message('lost answer'))).resolves.toMatchObject({ NewChatCreated: false });
    expect(transcriptTexts()).toEqual(['lost answer', 'lost answer']);
  });

  it('lets a participant retry with the same ClientToken without duplicating the message', async () => {
    const chat = await connectedChat(connect, participant);
    const input = { ConnectionToken: chat.ConnectionToken, ContentType: 'text/plain', Content: 'once', ClientToken: 'retry-me' };
    emulator.setFaults({ lostResponseRate: 1 });
    expectNetworkError(await rejection(participant.send(new SendMessageCommand(input))));
    expect(transcriptTexts()).toEqual(['once']);

    emulator.setFaults({});
    const retried = await participant.send(new SendMessageCommand(input));
    const [item] = emulator.chats()[0]?.transcript ?? [];
    expect(retried.Id).toBe(item?.id);
    expect(transcriptTexts()).toEqual(['once']);
  });

  it('still answers an injected error: a request that was not handled has no answer to lose', async () => {
    emulator.setFaults({ lostResponseRate: 1, failNext: [{ error: 'ThrottlingException' }] });
    const error = await rejection(send(connect, message('throttled')));
    expect(error).toBeInstanceOf(ThrottlingException);
    expect(error.$metadata.httpStatusCode).toBe(429);
    expect(emulator.chats()).toEqual([]);
  });
});

describe('latencySpikes', () => {
  it('holds a spiked request for ms before handling it, then records it once', async () => {
    emulator.setFaults({ latencySpikes: { rate: 1, ms: 200 } });
    const held = new Promise<void>((resolve) => {
      logger.debug = (msg) => {
        if (msg === 'emulator: delaying request') resolve();
      };
    });
    let settled = false;
    const startedAt = performance.now();
    const pending = send(connect, message('spiked')).finally(() => {
      settled = true;
    });
    // Were the request not held, it would settle first and fail the expectation below at once.
    await Promise.race([held, pending]);
    // Arrived and held: neither answered nor recorded yet.
    expect(settled).toBe(false);
    expect(emulator.chats()).toEqual([]);
    await expect(pending).resolves.toMatchObject({ NewChatCreated: true });
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(200);
    expect(transcriptTexts()).toEqual(['spiked']);
  });

  it('adds nothing at rate 0', async () => {
    // Were the spike applied, the request would be held two minutes, far past the test's timeout.
    emulator.setFaults({ latencySpikes: { rate: 0, ms: 120_000 } });
    await expect(send(connect, message('not spiked'))).resolves.toMatchObject({ NewChatCreated: true });
    expect(logger.lines.filter((line) => line.message === 'emulator: delaying request')).toEqual([]);
  });
});

describe('POST /_emulator/faults', () => {
  it('sets the new faults and reports them', async () => {
    const faults = { latencySpikes: { rate: 0.05, ms: 2_000 }, resetRate: 0.01, lostResponseRate: 0.02 };
    const response = await fetch(`${emulator.url}/_emulator/faults`, { method: 'POST', headers: json, body: JSON.stringify(faults) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(faults);
    expect(await faultsInForce()).toEqual(faults);
  });

  it.each([
    [{ latencySpikes: { rate: 2, ms: 10 } }, 'faults.latencySpikes.rate: expected a probability 0..1, got 2'],
    [{ latencySpikes: { rate: 0.5, ms: -1 } }, 'faults.latencySpikes.ms: expected an integer 0..120000, got -1'],
    [{ resetRate: 1.01 }, 'faults.resetRate: expected a probability 0..1, got 1.01'],
    [{ lostResponseRate: 'often' }, 'faults.lostResponseRate: expected a probability 0..1, got "often"'],
    [{ resetRate: 0.5, lostResponseRate: 0.75 }, 'faults.lostResponseRate: expected a probability adding up to at most 1 with resetRate (0.5), got 0.75'],
  ])('refuses %j naming the member, keeping the faults in force', async (faults, expected) => {
    emulator.setFaults({ resetRate: 0.1 });
    const response = await fetch(`${emulator.url}/_emulator/faults`, { method: 'POST', headers: json, body: JSON.stringify(faults) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'INVALID_OPTIONS', message: expected } });
    expect(await faultsInForce()).toEqual({ resetRate: 0.1 });
  });
});
