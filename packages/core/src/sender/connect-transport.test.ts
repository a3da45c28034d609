import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectClient, SendChatIntegrationEventCommand } from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SendError } from '../errors/send-error.ts';
import { textMessage } from '../model/builders.ts';
import { createConnectTransport } from './connect-transport.ts';
import { createSender } from './sender.ts';

// A stand-in for Connect that answers whatever the test scripts, in Connect's wire format.
type Reply = { status: number; headers?: Record<string, string>; body: string };
let reply: Reply = { status: 200, body: '{}' };
// Requests whose body contains this are held unanswered until the client gives up on them.
const hold = 'hold me';
const held: Array<{ closed: Promise<void> }> = [];
const received: Array<{ url: string | undefined; headers: IncomingMessage['headers'] }> = [];
let server: Server;
let endpoint: string;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      if (body.includes(hold)) {
        held.push({ closed: new Promise((resolve) => res.on('close', () => resolve())) });
        return;
      }
      received.push({ url: req.url, headers: req.headers });
      res.writeHead(reply.status, { 'content-type': 'application/json', 'x-amzn-requestid': 'req-123', ...reply.headers });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const event = textMessage({ SourceId: '+14155550100', DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/p', Subtype: 'connect:sms' }, 'hi');
const transport = () => createConnectTransport({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, endpoint });
const signal = () => new AbortController().signal;
const paced: string[] = [];
const attempt = (abort: AbortSignal = signal()) => ({
  signal: abort,
  idempotencyKey: 'test:1',
  pace: async (operation: string) => {
    paced.push(operation);
  },
});

async function failure(next: Reply): Promise<SendError> {
  reply = next;
  const error = await transport()
    .send(event, attempt())
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(SendError);
  return error as SendError;
}

describe('createConnectTransport', () => {
  it('makes one signed POST /chat-integration-event and maps the output (null contact id → undefined)', async () => {
    reply = { status: 200, body: '{"InitialContactId":null,"NewChatCreated":false}' };
    received.length = 0;
    const result = await transport().send(event, attempt());
    expect(result).toEqual({ NewChatCreated: false, requestId: 'req-123' });
    expect('InitialContactId' in result).toBe(false);
    expect(received).toHaveLength(1);
    expect(received[0]?.url).toBe('/chat-integration-event');
    expect(received[0]?.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/us-east-1\/connect\/aws4_request/);
    // One attempt, and none of the SDK's retry headers: the sender owns retries.
    expect(received[0]?.headers['amz-sdk-request']).toBeUndefined();
    expect(received[0]?.headers['user-agent']).toMatch(/^aws-sdk-js\//);
  });

  it('asks for a SendChatIntegrationEvent token before each call, and declares that quota', async () => {
    reply = { status: 200, body: '{"InitialContactId":"c-1","NewChatCreated":true}' };
    paced.length = 0;
    const t = transport();
    await t.send(event, attempt());
    expect(paced).toEqual(['SendChatIntegrationEvent']);
    expect(t.quotas).toEqual({ SendChatIntegrationEvent: { requestsPerSecond: 17, burst: 26 } });
  });

  it('does not retry inside the SDK (the sender owns retries)', async () => {
    received.length = 0;
    const error = await failure({ status: 500, body: '{"__type":"InternalServiceException","message":"boom"}' });
    expect(error.code).toBe('CONNECT_UNAVAILABLE');
    expect(received).toHaveLength(1);
  });

  it.each([
    [{ status: 429, body: '{"__type":"ThrottlingException","message":"Rate exceeded"}' }, 'CONNECT_THROTTLED', 'ThrottlingException'],
    [{ status: 502, body: '{"message":"bad gateway"}' }, 'CONNECT_UNAVAILABLE', undefined],
    [{ status: 503, headers: { 'content-type': 'text/html' }, body: '<html>busy</html>' }, 'CONNECT_UNAVAILABLE', undefined],
    [{ status: 409, body: '{"__type":"ConflictException","message":"busy"}' }, 'CONNECT_REJECTED', 'ConflictException'],
    [{ status: 404, body: '{"__type":"ResourceNotFoundException","Message":"no such number"}' }, 'CONNECT_RESOURCE_NOT_FOUND', 'ResourceNotFoundException'],
  ] as const)('maps %j to %s', async (next, code, name) => {
    const error = await failure(next);
    expect(error.code).toBe(code);
    expect(error.requestId).toBe('req-123');
    if (name) expect(error.awsErrorName).toBe(name);
  });

  it('keeps the service message and Reason of an InvalidRequestException', async () => {
    const error = await failure({
      status: 400,
      headers: { 'x-amzn-errortype': 'InvalidRequestException:http://internal.amazon.com/' },
      body: '{"Message":"Subtype is not supported","Reason":{"AttachedFileInvalidRequestExceptionReason":"INVALID_FILE_NAME"}}',
    });
    expect(error.code).toBe('CONNECT_INVALID_REQUEST');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('Subtype is not supported');
    expect(error.message).toContain('INVALID_FILE_NAME');
  });

  it('explains AccessDeniedException plainly', async () => {
    const error = await failure({ status: 403, body: '{"__type":"AccessDeniedException","Message":"not authorized"}' });
    expect(error.code).toBe('CONNECT_ACCESS_DENIED');
    expect(error.message).toMatch(/AWS restricts this API to AWS End User Messaging.*may not have access/);
    // The way out, named: any account can use the participant transport.
    expect(error.message).toContain('CONNECT_TRANSPORT=participant');
    expect(error.message).toContain('createParticipantTransport');
  });

  it('reports an aborted attempt as NETWORK_ERROR', async () => {
    reply = { status: 200, body: '{}' };
    const controller = new AbortController();
    controller.abort(new Error('timeout'));
    const error = await transport()
      .send(event, attempt(controller.signal))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
  });

  it('cuts an attempt Connect has not answered when its signal aborts, and only that one', async () => {
    reply = { status: 200, body: '{"InitialContactId":"c-2","NewChatCreated":false}' };
    held.length = 0;
    const t = transport();
    const waiting = textMessage({ SourceId: '+14155550100', DestinationId: event.DestinationId, Subtype: 'connect:sms' }, hold);
    const first = new AbortController();
    const second = new AbortController();
    // The same event object twice at once, each call with its own signal.
    const cut = t.send(waiting, attempt(first.signal)).catch((e: unknown) => e);
    const kept = t.send(waiting, attempt(second.signal)).catch((e: unknown) => e);
    await vi.waitFor(() => expect(held).toHaveLength(2));
    first.abort(new Error('attempt timeout'));
    expect(await cut).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
    // The aborted request's socket is closed (the request is cut, not just forgotten); the other still waits.
    await Promise.race([Promise.any(held.map((h) => h.closed)), new Promise((_, reject) => setTimeout(() => reject(new Error('no socket closed')), 2_000))]);
    const settled = await Promise.race([kept.then(() => 'settled'), new Promise((resolve) => setTimeout(() => resolve('pending'), 100))]);
    expect(settled).toBe('pending');
    second.abort(new Error('attempt timeout'));
    expect(await kept).toMatchObject({ code: 'NETWORK_ERROR' });
    // The client goes on sending after cut attempts.
    expect(await t.send(event, attempt())).toMatchObject({ InitialContactId: 'c-2' });
  });

  it.each([
    ['a client core built', () => transport()],
    [
      'a ConnectClient passed in',
      () =>
        createConnectTransport({
          client: new ConnectClient({ region: 'us-east-1', endpoint, maxAttempts: 1, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
        }),
    ],
  ])("cuts the call on the wire when the sender's attempt times out, through %s", async (_name, make) => {
    held.length = 0;
    const sender = createSender({ transport: make(), rateLimit: false, deadlineMs: 10_000, retry: { attemptTimeoutMs: 200, maxAttempts: 1 } });
    const waiting = textMessage({ SourceId: '+14155550100', DestinationId: event.DestinationId, Subtype: 'connect:sms' }, hold);
    expect(await sender.send(waiting).catch((e: unknown) => e)).toMatchObject({ code: 'NETWORK_ERROR', message: expect.stringContaining('no answer within') });
    // Cut, not just forgotten: the request's socket is closed.
    await Promise.race([held[0]!.closed, new Promise((_, reject) => setTimeout(() => reject(new Error('no socket closed')), 2_000))]);
  });

  it('resolves the SDK middleware stack once per command class, not per call', async () => {
    reply = { status: 200, body: '{"InitialContactId":"c-3","NewChatCreated":false}' };
    const resolve = vi.spyOn(SendChatIntegrationEventCommand.prototype, 'resolveMiddleware');
    try {
      const t = transport();
      for (let i = 0; i < 3; i++) await t.send(event, attempt());
      expect(resolve).toHaveBeenCalledTimes(1);
    } finally {
      resolve.mockRestore();
    }
  });

  it('sends through a ConnectClient passed in with its own options, abortable as before', async () => {
    reply = { status: 200, body: '{"InitialContactId":"c-4","NewChatCreated":false}' };
    held.length = 0;
    const client = new ConnectClient({ region: 'us-east-1', endpoint, maxAttempts: 1, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const t = createConnectTransport({ client });
    expect(await t.send(event, attempt())).toMatchObject({ InitialContactId: 'c-4' });
    const controller = new AbortController();
    const waiting = t
      .send(textMessage({ SourceId: '+14155550100', DestinationId: event.DestinationId, Subtype: 'connect:sms' }, hold), attempt(controller.signal))
      .catch((e: unknown) => e);
    await vi.waitFor(() => expect(held).toHaveLength(1));
    controller.abort(new Error('attempt timeout'));
    expect(await waiting).toMatchObject({ code: 'NETWORK_ERROR' });
  });

  it('reports a client with no region as CONNECT_MISCONFIGURED, without a request', async () => {
    const saved = { AWS_REGION: process.env.AWS_REGION, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION };
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    received.length = 0;
    try {
      const error = await createConnectTransport({ credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, endpoint })
        .send(event, attempt())
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'CONNECT_MISCONFIGURED', retryable: true });
      expect((error as Error).message).toContain('region');
      expect(received).toEqual([]);
    } finally {
      Object.assign(process.env, Object.fromEntries(Object.entries(saved).filter(([, value]) => value !== undefined)));
    }
  });

  it('reports credentials the SDK cannot load as CONNECT_MISCONFIGURED', async () => {
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    const client = new ConnectClient({
      region: 'us-east-1',
      endpoint,
      maxAttempts: 1,
      credentials: async () => {
        throw noCredentials;
      },
    });
    const error = await createConnectTransport({ client })
      .send(event, attempt())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONNECT_MISCONFIGURED', cause: noCredentials });
    expect((error as Error).message).toContain('credentials');
  });

  it.each([
    [{ region: 'US East' }, 'region: expected an AWS Region such as us-east-1, got "US East"'],
    [{ endpoint: 'ftp://x' }, 'endpoint: expected an http(s) URL such as http://127.0.0.1:4050, got "ftp://x"'],
    [{ endpoint: 'not a url' }, 'endpoint: expected an http(s) URL'],
    [{ credentials: { accessKeyId: 'a', secretAccessKey: '' } }, 'credentials.secretAccessKey: expected a non-empty string, got an empty string'],
    [{ credentials: { accessKeyId: '', secretAccessKey: 's3cret' } }, 'credentials.accessKeyId: expected a non-empty string'],
    [{ client: {} }, 'client: expected a ConnectClient'],
    [{ client: { send: async () => ({}) }, region: 'us-east-1' }, 'region: configure the ConnectClient you pass as client instead'],
  ])('refuses %j', (options, message) => {
    expect(() => createConnectTransport(options as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining(message) }),
    );
  });

  it('never echoes a secret in an options error', () => {
    expect(() => createConnectTransport({ credentials: { accessKeyId: 'a', secretAccessKey: 42 as unknown as string } })).toThrow(
      'credentials.secretAccessKey: expected a non-empty string, got number',
    );
  });
});
