import { ConnectClient } from '@aws-sdk/client-connect';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ChatIntegrationEvent,
  createConnectTransport,
  createFetchTransport,
  createSender,
  disconnectEvent,
  SendError,
  type SenderOptions,
  textMessage,
  ValidationError,
} from '@connect-chat/core';
import { type RunningEmulator, startEmulator } from '@connect-chat/emulator';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const phoneArn = 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef';
const chatOf = (n: number) => ({ SourceId: `+1415555${String(n).padStart(4, '0')}`, DestinationId: phoneArn, Subtype: 'connect:sms' });
const chat = chatOf(100);

let emulator: RunningEmulator;

// One emulator per test: closing it ends requests still delayed by injected latency, which would
// otherwise land in (and consume the faults of) a later test.
beforeEach(async () => {
  emulator = await startEmulator({ port: 0, host: '127.0.0.1', credentials: [credentials] });
});
afterEach(async () => {
  await emulator.close();
});

/** What carries SendChatIntegrationEvent: the default (the AWS SDK on Node), or the fetch transport. */
const clients = ['aws-sdk', 'fetch'] as const;
type Client = (typeof clients)[number];

/** A sender through `client`; its connection options (region, credentials, endpoint) go to the fetch transport when it is the one. */
function connectedSender(client: Client, options: SenderOptions): ReturnType<typeof createSender> {
  if (client === 'aws-sdk') return createSender(options);
  const { region, credentials: keys, endpoint, ...rest } = options;
  const connection = { ...(region ? { region } : {}), ...(keys ? { credentials: keys } : {}), ...(endpoint ? { endpoint } : {}) };
  return createSender({ ...rest, transport: createFetchTransport(connection) });
}

function senderWith(client: Client) {
  return (options: Partial<SenderOptions> = {}) =>
    connectedSender(client, {
      region: 'us-east-1',
      credentials,
      endpoint: emulator.url,
      rateLimit: false,
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
      ...options,
    });
}

async function failureOf(promise: Promise<unknown>): Promise<SendError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(SendError);
  return outcome as SendError;
}

function transcriptOf(key: { SourceId: string }) {
  return emulator
    .chats()
    .filter((record) => record.key.SourceId === key.SourceId)
    .flatMap((record) => record.transcript.map((item) => item.content));
}

describe.each(clients)('sender against the emulator through %s (real HTTP)', (client) => {
  const senderFor = senderWith(client);

  it('creates a chat, then sends to the same chat', async () => {
    const sender = senderFor();
    const first = await sender.send(textMessage(chat, 'hello'));
    expect(first.newChatCreated).toBe(true);
    expect(first.initialContactId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.requestId).toEqual(expect.any(String));
    expect(first.attempts).toBe(1);
    const second = await sender.send(textMessage(chat, 'are you there?'));
    expect(second).toMatchObject({ newChatCreated: false, initialContactId: first.initialContactId, attempts: 1 });
    const chats = emulator.chats();
    expect(chats).toHaveLength(1);
    expect(chats[0]?.key).toEqual({ SourceId: chat.SourceId, DestinationId: chat.DestinationId, Subtype: 'connect:sms' });
    expect(chats[0]?.transcript.map((item) => [item.type, item.contentType, item.content])).toEqual([
      ['MESSAGE', 'text/plain', 'hello'],
      ['MESSAGE', 'text/plain', 'are you there?'],
    ]);
  });

  it('answers a DISCONNECT with no active chat without a contact id (null on the wire)', async () => {
    const result = await senderFor().send(disconnectEvent(chat));
    expect(result).toMatchObject({ initialContactId: undefined, newChatCreated: false, attempts: 1 });
  });

  it.each([
    ['ThrottlingException', 'CONNECT_THROTTLED', true],
    ['InternalServiceException', 'CONNECT_UNAVAILABLE', true],
    ['InvalidRequestException', 'CONNECT_INVALID_REQUEST', false],
    ['AccessDeniedException', 'CONNECT_ACCESS_DENIED', false],
    ['ResourceNotFoundException', 'CONNECT_RESOURCE_NOT_FOUND', false],
  ] as const)('maps %s to %s (retryable: %s)', async (awsError, code, retryable) => {
    emulator.setFaults({ failNext: [{ error: awsError }] });
    const error = await failureOf(senderFor({ retry: { maxAttempts: 1 } }).send(textMessage(chat, 'hi')));
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.awsErrorName).toBe(awsError);
    expect(error.requestId).toEqual(expect.any(String));
    expect(error.attempts).toBe(1);
    if (awsError === 'AccessDeniedException') expect(error.message).toContain('AWS End User Messaging');
    expect(emulator.chats()).toEqual([]);
  });

  it('does not retry 400, 403 and 404', async () => {
    for (const awsError of ['InvalidRequestException', 'AccessDeniedException', 'ResourceNotFoundException'] as const) {
      emulator.setFaults({ failNext: [{ error: awsError }] });
      const error = await failureOf(senderFor().send(textMessage(chat, 'hi')));
      expect(error.attempts).toBe(1);
    }
  });

  it('retries throttling and succeeds: three attempts, one message recorded', async () => {
    emulator.setFaults({ failNext: [{ error: 'ThrottlingException', count: 2 }] });
    const attempts: number[] = [];
    const sender = senderFor({ hooks: { onBeforeSend: ({ attempt }) => attempts.push(attempt) } });
    const result = await sender.send(textMessage(chat, 'third time lucky'));
    expect(result.attempts).toBe(3);
    expect(attempts).toEqual([1, 2, 3]);
    expect(transcriptOf(chat)).toEqual(['third time lucky']);
  });

  it('gives up after maxAttempts with the last error and the attempt count', async () => {
    emulator.setFaults({ failNext: [{ error: 'InternalServiceException', count: 3 }] });
    const error = await failureOf(senderFor({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } }).send(textMessage(chat, 'x')));
    expect(error).toMatchObject({ code: 'CONNECT_UNAVAILABLE', attempts: 3, retryable: true, awsErrorName: 'InternalServiceException' });
  });

  it('paces a burst under an emulator quota so that none is lost and each chat keeps its order', async () => {
    emulator.setFaults({ quota: { requestsPerSecond: 10, burst: 3 } });
    const sender = senderFor({ rateLimit: { requestsPerSecond: 8, burst: 3 } });
    const chats = [chatOf(1), chatOf(2), chatOf(3)];
    const sends: Array<Promise<unknown>> = [];
    for (let i = 0; i < 4; i++) for (const c of chats) sends.push(sender.send(textMessage(c, `m${i}`)));
    const results = await Promise.allSettled(sends);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    for (const c of chats) expect(transcriptOf(c)).toEqual(['m0', 'm1', 'm2', 'm3']);
  });

  it('without the client-side limiter, the same burst is throttled by the quota', async () => {
    emulator.setFaults({ quota: { requestsPerSecond: 10, burst: 3 } });
    const sender = senderFor({ rateLimit: false, retry: { maxAttempts: 1 } });
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => sender.send(textMessage(chatOf(i), 'x'))));
    const throttled = results.filter((r) => r.status === 'rejected' && (r.reason as SendError).code === 'CONNECT_THROTTLED');
    expect(throttled.length).toBeGreaterThan(0);
  });

  it('keeps call order per chat under concurrency and retries, while different chats proceed in parallel', async () => {
    emulator.setFaults({ latencyMs: 40, failNext: [{ error: 'ThrottlingException', count: 1 }] });
    const log: string[] = [];
    const sender = senderFor({
      hooks: {
        onBeforeSend: ({ event, attempt }) => log.push(`start ${event.Event.Content} #${attempt}`),
        onSent: ({ event }) => log.push(`sent ${event.Event.Content}`),
      },
    });
    const chats = { a: chatOf(11), b: chatOf(12), c: chatOf(13) };
    const sends: Array<Promise<unknown>> = [];
    for (let i = 0; i < 4; i++) for (const [name, c] of Object.entries(chats)) sends.push(sender.send(textMessage(c, `${name}${i}`)));
    await Promise.all(sends);
    for (const [name, c] of Object.entries(chats)) expect(transcriptOf(c)).toEqual([0, 1, 2, 3].map((i) => `${name}${i}`));
    // a0 was throttled once and retried; a1 still waited for it.
    expect(log.indexOf('start a0 #2')).toBeGreaterThan(-1);
    expect(log.indexOf('start a1 #1')).toBeGreaterThan(log.indexOf('sent a0'));
    // Other chats did not wait for chat a.
    expect(log.indexOf('start b0 #1')).toBeLessThan(log.indexOf('sent a0'));
    expect(log.indexOf('start c0 #1')).toBeLessThan(log.indexOf('sent a0'));
  });

  it('fails with DEADLINE_EXCEEDED (retryable) when Connect answers later than the deadline and the attempt timeout', async () => {
    emulator.setFaults({ latencyMs: 2_000 });
    const sender = senderFor({ deadlineMs: 150, retry: { attemptTimeoutMs: 200 } });
    const started = Date.now();
    const error = await failureOf(sender.send(textMessage(chat, 'slow')));
    expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED', retryable: true, attempts: 1 });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('lets an attempt already on the wire answer past the deadline: Connect holds the message, so the send must not say it failed', async () => {
    // Connect records the event once its answer is due; cutting the attempt at the deadline would
    // report a delivered message as failed, and the provider's retry would send it a second time.
    emulator.setFaults({ latencyMs: 300 });
    const sender = senderFor({ deadlineMs: 100, retry: { attemptTimeoutMs: 2_000 } });
    const result = await sender.send(textMessage(chat, 'answered late'));
    expect(result).toMatchObject({ newChatCreated: true, attempts: 1 });
    expect(transcriptOf(chat)).toEqual(['answered late']);
  });

  it('times out a single attempt and retries it within the deadline', async () => {
    emulator.setFaults({ latencyMs: 400 });
    const error = await failureOf(senderFor({ retry: { attemptTimeoutMs: 60, maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } }).send(textMessage(chat, 'x')));
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', attempts: 2, retryable: true });
    expect(error.message).toContain('attemptTimeoutMs');
  });

  it('validates before any network call', async () => {
    // If the invalid event reached the emulator it would consume this fault and the valid send would succeed.
    emulator.setFaults({ failNext: [{ error: 'InternalServiceException' }] });
    const calls: number[] = [];
    const sender = senderFor({ retry: { maxAttempts: 1 }, hooks: { onBeforeSend: ({ attempt }) => calls.push(attempt) } });
    const invalid = { ...textMessage(chat, 'x'), SourceId: 'not-a-number' } as ChatIntegrationEvent;
    await expect(sender.send(invalid)).rejects.toBeInstanceOf(ValidationError);
    expect(calls).toEqual([]);
    expect((await failureOf(sender.send(textMessage(chat, 'valid')))).code).toBe('CONNECT_UNAVAILABLE');
    expect(emulator.chats()).toEqual([]);
  });

  it('reports an unreachable endpoint as NETWORK_ERROR after retrying', async () => {
    const closed = await startEmulator({ port: 0 });
    await closed.close();
    const error = await failureOf(senderFor({ endpoint: closed.url, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } }).send(textMessage(chat, 'x')));
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', attempts: 2, retryable: true });
  });

  it('honours AWS_ENDPOINT_URL_CONNECT when no endpoint is given', async () => {
    const previous = process.env['AWS_ENDPOINT_URL_CONNECT'];
    process.env['AWS_ENDPOINT_URL_CONNECT'] = emulator.url;
    try {
      const result = await connectedSender(client, { region: 'us-east-1', credentials }).send(textMessage(chat, 'via env'));
      expect(result.newChatCreated).toBe(true);
      expect(transcriptOf(chat)).toEqual(['via env']);
    } finally {
      if (previous === undefined) delete process.env['AWS_ENDPOINT_URL_CONNECT'];
      else process.env['AWS_ENDPOINT_URL_CONNECT'] = previous;
    }
  });

  it('signs with a credentials provider, asking it when the SDK needs keys (rotation keeps working)', async () => {
    let asked = 0;
    const provider = async () => {
      asked++;
      return credentials;
    };
    const result = await senderFor({ credentials: provider }).send(textMessage(chat, 'signed by a provider'));
    expect(result.newChatCreated).toBe(true);
    expect(asked).toBeGreaterThan(0);
  });

  it('a wrong secret is refused by the emulator and reported as access denied, without retries', async () => {
    const error = await failureOf(senderFor({ credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' } }).send(textMessage(chat, 'x')));
    expect(error).toMatchObject({ code: 'CONNECT_ACCESS_DENIED', attempts: 1, awsErrorName: 'InvalidSignatureException' });
  });
});

describe('sender when its own process stalls', () => {
  // Connect in another process, so it answers while this one is stalled (a GC pause, a starved CPU).
  const connectElsewhere = `
    let requests = 0;
    require('node:http').createServer((req, res) => {
      if (req.url === '/requests') return res.end(String(requests));
      requests++;
      console.log('received');
      req.resume();
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'stall-' + requests });
        res.end(JSON.stringify({ InitialContactId: 'c0ffee00-0000-4000-8000-000000000001', NewChatCreated: true }));
      }, 100);
    }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;

  it('reads an answer that arrived while it was stalled before its attempt timeout gives up: one request, not a retry', async () => {
    const child = spawn(process.execPath, ['-e', connectElsewhere], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [port] = (await once(child.stdout!, 'data')) as [Buffer];
      const endpoint = `http://127.0.0.1:${port.toString().trim()}`;
      // Stalls once Connect has the request: its answer lands in the socket meanwhile, and the 300 ms attempt timer is overdue.
      child.stdout!.on('data', (chunk: Buffer) => {
        if (!chunk.toString().includes('received')) return;
        const until = performance.now() + 800;
        while (performance.now() < until) {
          // Busy, as a stalled process is.
        }
      });
      const sender = createSender({
        region: 'us-east-1',
        credentials,
        endpoint,
        rateLimit: false,
        retry: { attemptTimeoutMs: 300, baseDelayMs: 1, maxDelayMs: 2 },
      });
      const result = await sender.send(textMessage(chat, 'answered while stalled'));
      expect(result.attempts).toBe(1);
      expect(await (await fetch(`${endpoint}/requests`)).text()).toBe('1');
    } finally {
      child.kill();
    }
  });
});

describe('sender under concurrency', () => {
  it("has more requests on the wire at once than the SDK's default 50 sockets, rather than queueing them while their attempt timeout runs", async () => {
    // Connect holds every request until 100 are open at once (or 3 s passed), then answers them all.
    const held: Array<() => void> = [];
    let open = 0;
    let mostOpen = 0;
    const answerAll = () => {
      for (const answer of held.splice(0)) answer();
    };
    const server = createServer((req, res) => {
      req.resume();
      open++;
      mostOpen = Math.max(mostOpen, open);
      held.push(() => {
        open--;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ InitialContactId: crypto.randomUUID(), NewChatCreated: true }));
      });
      if (open >= 100) answerAll();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fallback = setInterval(answerAll, 3_000);
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const sender = createSender({ region: 'us-east-1', credentials, endpoint, rateLimit: false });
      await Promise.all(Array.from({ length: 100 }, (_, n) => sender.send(textMessage(chatOf(n), `at once ${n}`))));
      expect(mostOpen).toBe(100);
    } finally {
      clearInterval(fallback);
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('sender against the emulator through your own ConnectClient', () => {
  it("uses the caller's own ConnectClient", async () => {
    const client = new ConnectClient({ region: 'us-east-1', credentials, endpoint: emulator.url, maxAttempts: 1 });
    const sender = createSender({ transport: createConnectTransport({ client }), rateLimit: false });
    expect((await sender.send(textMessage(chat, 'mine'))).attempts).toBe(1);
    expect(transcriptOf(chat)).toEqual(['mine']);
    client.destroy();
  });
});
