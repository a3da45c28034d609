import { EventEmitter } from 'node:events';
import { AccessDeniedException, CreateParticipantConnectionCommand, SendMessageCommand } from '@aws-sdk/client-connectparticipant';
import { describe, expect, it, vi } from 'vitest';
import { type CliIo, main } from '../src/cli/main.ts';
import type { RunningEmulator } from '../src/index.ts';
import { connectClient, credentials, message, participantClient, rejection, send, startChat } from './helpers.ts';

function capture(): CliIo & { stdout: string; stderr: string; signals: EventEmitter; listening: Promise<RunningEmulator> } {
  let onListening!: (emulator: RunningEmulator) => void;
  const io = {
    stdout: '',
    stderr: '',
    signals: new EventEmitter(),
    listening: new Promise<RunningEmulator>((resolve) => {
      onListening = resolve;
    }),
    out: (text: string) => {
      io.stdout += text;
    },
    err: (text: string) => {
      io.stderr += text;
    },
    onListening: (emulator: RunningEmulator) => onListening(emulator),
  };
  return io;
}

describe('connect-chat-emulator', () => {
  it('starts with the flags given, prints its URL and stops cleanly on SIGTERM', async () => {
    const io = capture();
    const exit = main(
      [
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--access-key-id',
        credentials.accessKeyId,
        '--secret-access-key',
        credentials.secretAccessKey,
        '--fail-next',
        'ThrottlingException*2',
        '--fail-next',
        'LimitExceededException@StartChatContact',
        '--quota',
        '100/10',
      ],
      io,
    );
    const emulator = await io.listening;
    expect(io.stdout).toContain(`listening on ${emulator.url}`);
    expect(io.stdout).toContain(`AWS_ENDPOINT_URL_CONNECT=${emulator.url}`);
    expect(io.stdout).toContain(`AWS_ENDPOINT_URL_CONNECTPARTICIPANT=${emulator.url}`);
    expect(io.stderr).not.toContain(credentials.secretAccessKey);

    const client = connectClient(emulator.url);
    const wrongSecret = connectClient(emulator.url, { secretAccessKey: 'nope' });
    try {
      expect((await rejection(send(client, message('a')))).name).toBe('ThrottlingException');
      expect((await rejection(send(client, message('b')))).name).toBe('ThrottlingException');
      await expect(send(client, message('c'))).resolves.toMatchObject({ NewChatCreated: true });
      // The entry for StartChatContact waits for that operation.
      expect((await rejection(startChat(client))).name).toBe('LimitExceededException');
      await expect(startChat(client)).resolves.toMatchObject({ ContactId: expect.any(String) });
      expect((await rejection(send(wrongSecret, message('d')))).name).toBe('InvalidSignatureException');
    } finally {
      client.destroy();
      wrongSecret.destroy();
    }

    io.signals.emit('SIGTERM');
    expect(await exit).toBe(0);
    expect(io.stdout).toContain('Emulator stopped.');
    await expect(fetch(`${emulator.url}/_emulator/health`)).rejects.toThrow();
    expect(io.signals.listenerCount('SIGINT') + io.signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('applies latency and error rates from flags', async () => {
    const io = capture();
    const exit = main(['--port', '0', '--latency', '5', '--error-rate', '500=1', '--verbose'], io);
    const emulator = await io.listening;
    const client = connectClient(emulator.url);
    try {
      const error = await rejection(send(client, message('x')));
      expect(error.name).toBe('InternalServiceException');
      expect(error.$metadata.httpStatusCode).toBe(500);
      expect(io.stderr).toContain('emulator: delaying request');
    } finally {
      client.destroy();
      io.signals.emit('SIGINT');
    }
    expect(await exit).toBe(0);
  });

  it('resets connections before handling from --reset-rate', async () => {
    const io = capture();
    const exit = main(['--port', '0', '--reset-rate', '1'], io);
    const emulator = await io.listening;
    const client = connectClient(emulator.url);
    try {
      const error = await rejection(send(client, message('reset')));
      expect((error as NodeJS.ErrnoException).code).toBe('ECONNRESET');
      expect(emulator.chats()).toEqual([]);
      expect(io.stderr).toContain('emulator: connection reset');
    } finally {
      client.destroy();
      io.signals.emit('SIGINT');
    }
    expect(await exit).toBe(0);
  });

  it('spikes latency and loses answers after handling from --latency-spikes and --lost-response-rate', async () => {
    const io = capture();
    const exit = main(['--port', '0', '--latency-spikes', '1:5', '--lost-response-rate', '1', '--verbose'], io);
    const emulator = await io.listening;
    const client = connectClient(emulator.url);
    try {
      const error = await rejection(send(client, message('lost')));
      expect((error as NodeJS.ErrnoException).code).toBe('ECONNRESET');
      expect(emulator.chats()[0]?.transcript.map((item) => item.content)).toEqual(['lost']);
      expect(io.stderr).toContain('emulator: delaying request');
      expect(io.stderr).toContain('"latencyMs":5');
      expect(io.stderr).toContain('emulator: answer will be lost');
    } finally {
      client.destroy();
      io.signals.emit('SIGINT');
    }
    expect(await exit).toBe(0);
  });

  it('issues participant ConnectionTokens that expire after --connection-token-ttl', async () => {
    const io = capture();
    const exit = main(['--port', '0', '--connection-token-ttl', '60000'], io);
    const emulator = await io.listening;
    const connect = connectClient(emulator.url);
    const participant = participantClient(emulator.url);
    try {
      const started = await startChat(connect);
      // Only the participant service's clock moves: it reads Date, and ignores the participant client's signature.
      vi.useFakeTimers({ toFake: ['Date'] });
      const issuedAt = Date.now();
      const connection = await participant.send(
        new CreateParticipantConnectionCommand({ ParticipantToken: started.ParticipantToken, Type: ['CONNECTION_CREDENTIALS'], ConnectParticipant: true }),
      );
      expect(connection.ConnectionCredentials?.Expiry).toBe(new Date(issuedAt + 60_000).toISOString());
      vi.setSystemTime(issuedAt + 60_000);
      const send = new SendMessageCommand({
        ConnectionToken: connection.ConnectionCredentials?.ConnectionToken,
        ContentType: 'text/plain',
        Content: 'too late',
      });
      expect(await rejection(participant.send(send))).toBeInstanceOf(AccessDeniedException);
    } finally {
      vi.useRealTimers();
      connect.destroy();
      participant.destroy();
      io.signals.emit('SIGINT');
    }
    expect(await exit).toBe(0);
  });

  it('prints help', async () => {
    const io = capture();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.stdout).toContain('Usage: connect-chat-emulator');
    expect(io.stdout).toContain('--error-rate <status>=<p>');
    expect(io.stdout).toContain('--connection-token-ttl <ms>');
    expect(io.stdout).toContain('AWS_ENDPOINT_URL_CONNECTPARTICIPANT');
    expect(io.stdout).not.toContain('A local Amazon Connect SendChatIntegrationEvent endpoint');
  });

  it.each([
    [['--port', 'abc'], '--port: expected a non-negative integer, got "abc"'],
    [['--quota', 'fast'], '--quota: expected <requests per second>/<burst>'],
    [['--error-rate', '500=2'], 'faults.errorRates.500: expected a probability 0..1, got 2'],
    [['--error-rate', '418=0.1'], 'faults.errorRates: expected statuses among'],
    [['--latency-spikes', '0.5'], '--latency-spikes: expected <probability>:<ms>, e.g. 0.05:2000, got "0.5"'],
    [['--latency-spikes', '2:100'], 'faults.latencySpikes.rate: expected a probability 0..1, got 2'],
    [['--latency-spikes', '0.5:200000'], 'faults.latencySpikes.ms: expected an integer 0..120000, got 200000'],
    [['--reset-rate', 'often'], '--reset-rate: expected a probability 0..1, e.g. 0.01, got "often"'],
    [['--reset-rate', '1.5'], 'faults.resetRate: expected a probability 0..1, got 1.5'],
    [['--lost-response-rate', '1/2'], '--lost-response-rate: expected a probability 0..1, e.g. 0.01, got "1/2"'],
    [['--reset-rate', '0.6', '--lost-response-rate', '0.6'], 'faults.lostResponseRate: expected a probability adding up to at most 1 with resetRate (0.6)'],
    [['--fail-next', 'Boom'], '--fail-next: expected one of InvalidRequestException, AccessDeniedException, ResourceNotFoundException, ThrottlingException'],
    [['--fail-next', 'ThrottlingException@GetTranscript'], '--fail-next: expected @<Operation> among SendChatIntegrationEvent'],
    [['--access-key-id', 'AKID'], '--access-key-id and --secret-access-key go together'],
    [['--port', '99999'], 'port: expected an integer 0..65535, got 99999'],
    [['--connection-token-ttl', '1h'], '--connection-token-ttl: expected a non-negative integer, got "1h"'],
    [['--connection-token-ttl', '0'], 'connectionTokenTtlMs: expected an integer 1..31622400000 (milliseconds), got 0'],
    [['--nope'], "Unknown option '--nope'"],
  ])('refuses %j with exit code 2 and a clear message', async (argv, expected) => {
    const io = capture();
    expect(await main(argv, io)).toBe(2);
    expect(io.stderr).toContain(expected);
    expect(io.stderr).toContain('--help');
  });
});
