import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectClient } from '@aws-sdk/client-connect';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SendError } from '../errors/send-error.ts';
import { disconnectEvent, textMessage } from '../model/builders.ts';
import type { ChatIntegrationEvent } from '../model/types.ts';
import { createMemorySessionStore } from '../sessions/memory-session-store.ts';
import { answerCases, chat, requestCases } from '../../test/support/connect-wire-cases.ts';
import { type RecordedRequest, type RecordingConnect, startRecordingConnect } from '../../test/support/recording-connect.ts';
import { createConnectTransport } from './connect-transport.ts';
import { createFetchTransport, createLeanTransport, type FetchTransportOptions } from './fetch-transport.ts';
import { createSender } from './sender.ts';
import { createSignedPost as nodeSignedPost } from './signed-post.ts';
import type { SignedPost } from './signed-post-types.ts';
import { createSignedPost as webSignedPost } from './signed-post.web.ts';
import type { ChatTransport, TransportSendOptions } from './types.ts';

// A stand-in for Connect that records every request byte for byte and answers what the test
// scripts, so the fetch transport can be held against the SDK transport on the same answers.
let connect: RecordingConnect;
let endpoint: string;

beforeAll(async () => {
  connect = await startRecordingConnect();
  endpoint = connect.origin;
});
afterEach(() => connect.reset());
afterAll(() => connect.close());

const credentials = { accessKeyId: 'AKIDFETCH', secretAccessKey: 'fetch-secret' };
const event = textMessage(chat, 'hi');
// Every case runs over both ways to sign and post (`#signed-post`): node:http with the SDK's signer
// (Node, Bun, Deno) and fetch with aws4fetch (Workers, browsers).
let createPost: () => SignedPost = nodeSignedPost;
const lean = (options: FetchTransportOptions) => createLeanTransport(options, createPost());
const fetchTransport = (options: FetchTransportOptions = {}) => lean({ region: 'us-east-1', credentials, endpoint, ...options });
// The AWS SDK as anyone would call it (core's own SDK clients share the lean transport's serde for
// this operation, so holding the lean transport to them would hold it to itself).
const plainSdk = (options: { credentials?: typeof credentials; endpoint?: string } = {}) =>
  createConnectTransport({ client: new ConnectClient({ region: 'us-east-1', credentials, endpoint, maxAttempts: 1, ...options }) });
const sdkTransport = () => plainSdk();
const paced: string[] = [];
const attempt = (signal: AbortSignal = new AbortController().signal, more: Partial<TransportSendOptions> = {}): TransportSendOptions => ({
  signal,
  idempotencyKey: 'test:1',
  pace: async (operation: string) => {
    paced.push(operation);
  },
  ...more,
});

/** What a transport made of the scripted answer: its result, or its error's observable fields. */
async function outcome(transport: ChatTransport, sent: ChatIntegrationEvent = event) {
  try {
    return { result: await transport.send(sent, attempt()) };
  } catch (error) {
    expect(error).toBeInstanceOf(SendError);
    const { code, retryable, awsErrorName, requestId, message } = error as SendError;
    return { error: { code, retryable, awsErrorName, requestId, message } };
  }
}

/** The request a transport sends for `sent`, as the server received it. */
async function requestOf(transport: ChatTransport, sent: ChatIntegrationEvent): Promise<RecordedRequest> {
  connect.reply = { status: 200, body: '{"InitialContactId":"c-1","NewChatCreated":true}' };
  connect.received.length = 0;
  await transport.send(sent, attempt());
  expect(connect.received).toHaveLength(1);
  return connect.received[0]!;
}

const signature =
  /^AWS4-HMAC-SHA256 Credential=(?<key>[^/]+)\/(?<date>\d{8})\/(?<region>[^/]+)\/(?<service>[^/]+)\/aws4_request, ?SignedHeaders=(?<signed>[^,]+), ?Signature=[0-9a-f]{64}$/;

describe.each([
  ['node:http and aws4', nodeSignedPost],
  ['fetch and aws4fetch', webSignedPost],
])('over %s', (_name, implementation) => {
  beforeAll(() => {
    createPost = implementation;
  });

  describe('createFetchTransport: the same request as the SDK transport', () => {
    it.each(requestCases)('%s: same method, path, content type, body bytes and payload hash, signed for connect', async (_label, sent) => {
      const sdk = await requestOf(sdkTransport(), sent);
      const lean = await requestOf(fetchTransport(), sent);
      expect(lean.body.equals(sdk.body), `fetch: ${lean.body}\nsdk:   ${sdk.body}`).toBe(true);
      expect(lean.method).toBe('POST');
      expect(lean.url).toBe(sdk.url);
      expect(lean.url).toBe('/chat-integration-event');
      expect(lean.headers['content-type']).toBe(sdk.headers['content-type']);
      expect(lean.headers['content-type']).toBe('application/json');
      expect(lean.headers['content-length']).toBe(String(lean.body.length));
      expect(lean.headers['x-amz-content-sha256']).toBe(sdk.headers['x-amz-content-sha256']);
      const [leanAuth, sdkAuth] = [lean, sdk].map((request) => signature.exec(String(request.headers['authorization']))?.groups);
      expect(leanAuth).toMatchObject({ key: 'AKIDFETCH', region: 'us-east-1', service: 'connect', date: sdkAuth?.['date'] });
      for (const header of ['host', 'x-amz-date', 'x-amz-content-sha256']) expect(leanAuth?.['signed']?.split(';')).toContain(header);
    });

    it('sends a session token as x-amz-security-token, signed, as the SDK does', async () => {
      const temporary = { ...credentials, sessionToken: 'session-token-1' };
      const sdk = await requestOf(plainSdk({ credentials: temporary }), event);
      const lean = await requestOf(fetchTransport({ credentials: temporary }), event);
      expect(lean.headers['x-amz-security-token']).toBe(sdk.headers['x-amz-security-token']);
      expect(signature.exec(String(lean.headers['authorization']))?.groups?.['signed']?.split(';')).toContain('x-amz-security-token');
    });

    it('keeps the path of an endpoint that has one', async () => {
      const lean = await requestOf(fetchTransport({ endpoint: `${endpoint}/connect/` }), event);
      expect(lean.url).toBe('/connect/chat-integration-event');
    });
  });

  describe('createFetchTransport: the same outcome as the SDK transport for the same answer', () => {
    it.each(answerCases)('%s', async (_label, answer) => {
      connect.reply = answer;
      const sdk = await outcome(sdkTransport());
      const lean = await outcome(fetchTransport());
      expect(lean).toEqual(sdk);
    });

    it('maps a network failure to NETWORK_ERROR, retryable, as the SDK transport does', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
      await new Promise((resolve) => closed.close(resolve));
      const sdk = await outcome(plainSdk({ endpoint: url }));
      const lean = await outcome(fetchTransport({ endpoint: url }));
      expect(lean.error).toMatchObject({ code: 'NETWORK_ERROR', retryable: true, awsErrorName: undefined });
      expect(lean.error?.code).toBe(sdk.error?.code);
    });
  });

  describe('createFetchTransport: bounded and abortable', () => {
    it('stops reading an answer past 64 KiB and reports it as not Connect’s (a body without end would otherwise hang)', async () => {
      let written = 0;
      connect.reply = (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(16 * 1024, 0x20);
        // Writes as long as the client reads: without a cap the transport would wait for the attempt to time out.
        const more = () => {
          do written += chunk.length;
          while (res.write(chunk));
        };
        res.on('drain', more);
        more();
      };
      const error = await fetchTransport()
        .send(event, attempt(AbortSignal.timeout(10_000)))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'CONNECT_UNAVAILABLE', retryable: true });
      expect((error as Error).message).toContain("a body that is not Connect's JSON");
      expect(written).toBeGreaterThan(64 * 1024);
      connect.dropConnections();
    });

    it('refuses at once an answer that declares more than 64 KiB', async () => {
      connect.reply = { status: 400, body: JSON.stringify({ __type: 'InvalidRequestException', message: 'x'.repeat(70 * 1024) }) };
      const error = await fetchTransport()
        .send(event, attempt())
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'CONNECT_REJECTED', retryable: false, awsErrorName: undefined });
    });

    it('sends nothing when the attempt is already aborted: NETWORK_ERROR, retryable', async () => {
      const controller = new AbortController();
      controller.abort(new Error('timeout'));
      const error = await fetchTransport()
        .send(event, attempt(controller.signal))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
      expect(connect.received).toEqual([]);
    });

    it('gives up waiting for a credentials provider that hangs when the attempt aborts, and sends nothing', async () => {
      let asked: () => void = () => {};
      const providerCalled = new Promise<void>((resolve) => {
        asked = resolve;
      });
      const hanging = () => {
        asked();
        return new Promise<never>(() => {});
      };
      const controller = new AbortController();
      const sending = fetchTransport({ credentials: hanging })
        .send(event, attempt(controller.signal))
        .catch((e: unknown) => e);
      await providerCalled;
      controller.abort(new Error('attempt timed out'));
      expect(await sending).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
      expect(connect.received).toEqual([]);
    });

    it("gives up a call in flight when the sender's attempt times out, and the sender reports it", async () => {
      connect.reply = () => {
        // Never answers: only the attempt's timeout can end the call.
      };
      const arrived = connect.nextRequest();
      const sender = createSender({ transport: fetchTransport(), rateLimit: false, deadlineMs: 10_000, retry: { attemptTimeoutMs: 200, maxAttempts: 1 } });
      const sending = sender.send(event).catch((e: unknown) => e);
      await arrived;
      expect(await sending).toMatchObject({ code: 'NETWORK_ERROR', message: expect.stringContaining('no answer within retry.attemptTimeoutMs (200 ms)') });
      connect.dropConnections();
    });

    it("gives up waiting for a credentials provider that hangs when the sender's attempt times out", async () => {
      const hanging = () => new Promise<never>(() => {});
      const sender = createSender({
        transport: fetchTransport({ credentials: hanging }),
        rateLimit: false,
        deadlineMs: 10_000,
        retry: { attemptTimeoutMs: 100, maxAttempts: 1 },
      });
      expect(await sender.send(event).catch((e: unknown) => e)).toMatchObject({ code: 'NETWORK_ERROR' });
      expect(connect.received).toEqual([]);
    });

    it('gives up a call in flight when its signal aborts', async () => {
      connect.reply = () => {
        // Never answers: only the abort can end the call.
      };
      const controller = new AbortController();
      const arrived = connect.nextRequest();
      const sending = fetchTransport()
        .send(event, attempt(controller.signal))
        .catch((e: unknown) => e);
      await arrived;
      controller.abort(new Error('attempt timed out'));
      expect(await sending).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
      expect(((await sending) as Error).message).toContain('aborted');
      connect.dropConnections();
    });
  });

  describe('createFetchTransport: configuration', () => {
    it('paces SendChatIntegrationEvent before each call and declares its quota', async () => {
      connect.reply = { status: 200, body: '{"InitialContactId":"c-1","NewChatCreated":true}' };
      paced.length = 0;
      const transport = fetchTransport();
      await transport.send(event, attempt());
      expect(paced).toEqual(['SendChatIntegrationEvent']);
      expect(transport.quotas).toEqual(sdkTransport().quotas);
    });

    it('asks a credentials provider for every call, so rotated keys sign the next one', async () => {
      connect.reply = { status: 200, body: '{"NewChatCreated":true}' };
      const keys = [
        { accessKeyId: 'AKIDFIRST', secretAccessKey: 'first' },
        { accessKeyId: 'AKIDSECOND', secretAccessKey: 'second' },
      ];
      let asked = 0;
      const transport = fetchTransport({ credentials: async () => keys[Math.min(asked++, 1)]! });
      await transport.send(event, attempt());
      await transport.send(event, attempt());
      expect(connect.received.map((request) => signature.exec(String(request.headers['authorization']))?.groups?.['key'])).toEqual(['AKIDFIRST', 'AKIDSECOND']);
    });

    it('maps a credentials provider that fails as the SDK transport does (CredentialsProviderError → CONNECT_MISCONFIGURED)', async () => {
      const failing = async () => {
        throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
      };
      const error = await fetchTransport({ credentials: failing })
        .send(event, attempt())
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'CONNECT_MISCONFIGURED', retryable: true });
      expect(connect.received).toEqual([]);
    });

    it('reads AWS_ENDPOINT_URL_CONNECT, AWS_REGION and the key variables when the options leave them out', async () => {
      const names = ['AWS_ENDPOINT_URL_CONNECT', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;
      const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
      Object.assign(process.env, {
        AWS_ENDPOINT_URL_CONNECT: endpoint,
        AWS_REGION: 'eu-west-2',
        AWS_ACCESS_KEY_ID: 'AKIDFROMENV',
        AWS_SECRET_ACCESS_KEY: 'env-secret',
        AWS_SESSION_TOKEN: 'env-token',
      });
      try {
        connect.reply = { status: 200, body: '{"NewChatCreated":true}' };
        await lean({}).send(event, attempt());
        expect(signature.exec(String(connect.received[0]?.headers['authorization']))?.groups).toMatchObject({ key: 'AKIDFROMENV', region: 'eu-west-2' });
        expect(connect.received[0]?.headers['x-amz-security-token']).toBe('env-token');
      } finally {
        for (const name of names) {
          if (saved[name] === undefined) delete process.env[name];
          else process.env[name] = saved[name];
        }
      }
    });

    it.each([
      ['no Region', { region: undefined }, 'no Region to sign for'],
      ['no credentials', { credentials: undefined }, 'no AWS credentials'],
    ])('with %s, fails every send as CONNECT_MISCONFIGURED without a request, as the SDK transport does', async (_label, change, message) => {
      const names = ['AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;
      const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
      for (const name of names) delete process.env[name];
      try {
        const error = await lean({ region: 'us-east-1', credentials, endpoint, ...change })
          .send(event, attempt())
          .catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'CONNECT_MISCONFIGURED', retryable: true, message: expect.stringContaining(message) });
        expect(connect.received).toEqual([]);
      } finally {
        Object.assign(process.env, Object.fromEntries(Object.entries(saved).filter(([, value]) => value !== undefined)));
      }
    });

    it('records the chat of each accepted message for the reply route, and forgets it on DISCONNECT', async () => {
      const sessions = createMemorySessionStore();
      const transport = fetchTransport({ sessions });
      expect(transport.sessions).toBe(sessions);
      const address = { provider: 'twilio', channel: 'sms' as const, customer: '+14155550100', business: '+12065550100' };
      connect.reply = { status: 200, body: '{"InitialContactId":"c-42","NewChatCreated":true}' };
      await transport.send(event, attempt(undefined, { idempotencyKey: 'twilio:SM1', address }));
      expect(await sessions.getByContact('c-42')).toMatchObject({ initialContactId: 'c-42', startedBy: 'twilio:SM1', address });
      await transport.send(disconnectEvent(chat), attempt());
      expect(await sessions.getByContact('c-42')).toBeUndefined();
    });

    it.each([
      [{ client: {} }, 'client: unknown option'],
      [{ region: 'US East' }, 'region: expected an AWS Region such as us-east-1, got "US East"'],
      [{ endpoint: 'ftp://x' }, 'endpoint: expected an http(s) URL'],
      [{ credentials: { accessKeyId: 'a', secretAccessKey: '' } }, 'credentials.secretAccessKey: expected a non-empty string, got an empty string'],
      [{ credentials: 'AKID:secret' }, 'credentials: expected an object'],
    ])('refuses %j', (options, message) => {
      expect(() => createFetchTransport(options as never)).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining(message) }),
      );
    });

    it('never echoes a secret in an options error', () => {
      expect(() => createFetchTransport({ credentials: { accessKeyId: 'a', secretAccessKey: 42 as unknown as string } })).toThrow(
        'credentials.secretAccessKey: expected a non-empty string, got number',
      );
    });
  });
});
