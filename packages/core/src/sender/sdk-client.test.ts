import { createHash, createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectClient, DescribeContactCommand, ListInstancesCommand, SendChatIntegrationEventCommand, StartChatContactCommand } from '@aws-sdk/client-connect';
import { ConnectParticipantClient, SendMessageCommand } from '@aws-sdk/client-connectparticipant';
import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSdkClient, sdkClientConfig } from './sdk-client.ts';
import { toSendError } from './aws-errors.ts';

// Every request is held unanswered until the client cuts it; the test counts the sockets closed.
let server: Server;
let endpoint: string;
const held: Array<Promise<void>> = [];

// Every request is recorded and answered with `reply` (or its connection dropped).
let answering: Server;
let answeringEndpoint: string;
const recorded: Array<Record<string, string | string[] | undefined>> = [];
// The same requests whole, as the server read them.
const requests: Array<{ method: string; url: string; headers: Record<string, string | string[] | undefined>; body: string }> = [];
let reply: { status: number; headers?: Record<string, string>; body: string } | 'drop' = { status: 200, body: '{}' };

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    held.push(new Promise((resolve) => res.on('close', () => resolve())));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  answering = createServer((req, res) => {
    recorded.push(req.headers);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      if (reply === 'drop') req.socket.destroy();
      else res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => answering.listen(0, '127.0.0.1', resolve));
  answeringEndpoint = `http://127.0.0.1:${(answering.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  answering.closeAllConnections();
  await Promise.all([new Promise((resolve) => server.close(resolve)), new Promise((resolve) => answering.close(resolve))]);
});

const keys = { accessKeyId: 'test', secretAccessKey: 'test' };
const connection = (to = endpoint) => sdkClientConfig({ region: 'us-east-1', credentials: keys, endpoint: to });

// Each client core builds, with a command of the kind it sends.
const clients = [
  [
    'ConnectClient, SendChatIntegrationEvent',
    (config: object = connection()) => new ConnectClient(config),
    () =>
      new SendChatIntegrationEventCommand({
        SourceId: '+14155550100',
        DestinationId: 'arn:aws:sms-voice:us-east-1:1:phone-number/p',
        Event: { Type: 'MESSAGE' },
      }),
  ],
  [
    'ConnectClient, StartChatContact',
    (config: object = connection()) => new ConnectClient(config),
    () => new StartChatContactCommand({ InstanceId: 'i', ContactFlowId: 'f', ParticipantDetails: { DisplayName: 'c' }, ClientToken: 't' }),
  ],
  [
    'ConnectParticipantClient, SendMessage',
    (config: object = connection()) => new ConnectParticipantClient(config),
    () => new SendMessageCommand({ ConnectionToken: 'c', ContentType: 'text/plain', Content: 'hi', ClientToken: 't' }),
  ],
  [
    'PinpointSMSVoiceV2Client, SendTextMessage',
    (config: object = connection()) => new PinpointSMSVoiceV2Client(config),
    () => new SendTextMessageCommand({ DestinationPhoneNumber: '+14155550100', OriginationIdentity: '+14155550199', MessageBody: 'hi' }),
  ],
] as const;

describe('createSdkClient', () => {
  it.each(clients)('%s: each call stays abortable on the cached middleware stack, one signal per call', async (_name, build, command) => {
    held.length = 0;
    const client = createSdkClient(build());
    const first = new AbortController();
    const second = new AbortController();
    const cut = client.send(command(), { abortSignal: first.signal }).catch((e: unknown) => e);
    const kept = client.send(command(), { abortSignal: second.signal }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(held).toHaveLength(2));
    first.abort(new Error('attempt timeout'));
    expect(await cut).toBeInstanceOf(Error);
    // The request is cut on the wire, not only forgotten; the other call still waits for its answer.
    await Promise.any(held);
    const state = await Promise.race([kept.then(() => 'settled'), new Promise((resolve) => setTimeout(() => resolve('pending'), 100))]);
    expect(state).toBe('pending');
    second.abort(new Error('attempt timeout'));
    expect(await kept).toBeInstanceOf(Error);
    await Promise.all(held);
  });

  it('an already aborted signal sends nothing', async () => {
    held.length = 0;
    const client = createSdkClient(new ConnectClient(connection()));
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    await expect(client.send(clients[0][2](), { abortSignal: controller.signal })).rejects.toBeInstanceOf(Error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(held).toHaveLength(0);
  });
});

describe('createSdkClient: the SDK middlewares the sender does without', () => {
  it.each(clients)('%s: no SDK retry headers on the wire; the user agent and the signature as before', async (_name, build, command) => {
    reply = { status: 200, body: '{}' };
    recorded.length = 0;
    const client = createSdkClient(build(connection(answeringEndpoint)));
    await client.send(command(), { abortSignal: new AbortController().signal });
    await client.send(command());
    expect(recorded).toHaveLength(2);
    for (const headers of recorded) {
      // What the SDK's retry middleware writes on every call, even with maxAttempts: 1.
      expect(headers['amz-sdk-invocation-id']).toBeUndefined();
      expect(headers['amz-sdk-request']).toBeUndefined();
      expect(headers['user-agent']).toMatch(/^aws-sdk-js\/\S+ ua\/2\.1 os\/\S+ lang\/js md\/nodejs#\S+ api\/[a-z0-9-]+#\S+ m\/\S+/);
      expect(headers['x-amz-user-agent']).toMatch(/^aws-sdk-js\/\S+$/);
      expect(headers['host']).toBe(new URL(answeringEndpoint).host);
      const signed = /^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/us-east-1\/[a-z-]+\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$/.exec(
        String(headers['authorization']),
      );
      expect(signed?.[1]?.split(';')).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'x-amz-user-agent', 'content-type']));
    }
  });

  it.each(clients)('%s: the user agent is the SDK client’s own on every call, and follows the source of the keys', async (_name, build, command) => {
    reply = { status: 200, body: '{}' };
    // Keys that expire at once are fetched again on every call: the third call's come from elsewhere.
    let source: Record<string, string> = { CREDENTIALS_CODE: 'e' };
    const credentials = async () => ({ accessKeyId: 'k', secretAccessKey: 's', expiration: new Date(Date.now() + 1_000), $source: source });
    const config = { ...connection(answeringEndpoint), credentials };
    const userAgents = async (send: (call: number) => Promise<unknown>) => {
      source = { CREDENTIALS_CODE: 'e' };
      recorded.length = 0;
      for (let call = 1; call <= 3; call++) {
        if (call === 3) source = { CREDENTIALS_PROFILE: 'n' };
        await send(call);
      }
      return recorded.map((headers) => [headers['user-agent'], headers['x-amz-user-agent']]);
    };
    const sdk = build(config) as unknown as { send(command: unknown): Promise<unknown> };
    const expected = await userAgents(() => sdk.send(command()));
    const client = createSdkClient(build(config));
    const sent = await userAgents((call) => client.send(command(), call === 2 ? { abortSignal: new AbortController().signal } : undefined));
    expect(sent).toEqual(expected);
    expect(sent[2]?.[0]).not.toEqual(sent[0]?.[0]);
  });

  it.each(clients)('%s: inside AWS Lambda, the X-Ray trace id still travels with the call', async (_name, build, command) => {
    reply = { status: 200, body: '{}' };
    recorded.length = 0;
    const traceId = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'bridge');
    vi.stubEnv('_X_AMZN_TRACE_ID', traceId);
    try {
      const client = createSdkClient(build(connection(answeringEndpoint)));
      await client.send(command(), { abortSignal: new AbortController().signal });
    } finally {
      vi.unstubAllEnvs();
    }
    expect(recorded[0]?.['x-amzn-trace-id']).toBe(traceId);
  });

  it.each(clients)('%s: outside Lambda, a trace id in the environment is not sent, as the SDK does not send it', async (_name, build, command) => {
    reply = { status: 200, body: '{}' };
    recorded.length = 0;
    vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1');
    try {
      await (build(connection(answeringEndpoint)) as unknown as { send(command: unknown): Promise<unknown> }).send(command());
      await createSdkClient(build(connection(answeringEndpoint))).send(command(), { abortSignal: new AbortController().signal });
    } finally {
      vi.unstubAllEnvs();
    }
    expect(recorded).toHaveLength(2);
    expect(recorded.map((headers) => headers['x-amzn-trace-id'])).toEqual([undefined, undefined]);
  });

  it.each(clients)('%s: keys from a credentials function sign the call', async (_name, build, command) => {
    reply = { status: 200, body: '{}' };
    recorded.length = 0;
    const config = { ...connection(answeringEndpoint), credentials: async () => ({ accessKeyId: 'from-function', secretAccessKey: 's' }) };
    const client = createSdkClient(build(config));
    await client.send(command(), { abortSignal: new AbortController().signal });
    expect(recorded[0]?.['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=from-function\//);
  });

  const refusals = [
    [
      'throttled',
      { status: 429, headers: { 'x-amzn-errortype': 'ThrottlingException' }, body: '{"__type":"ThrottlingException","message":"slow down"}' },
      'CONNECT_THROTTLED',
      true,
    ],
    [
      'failing',
      { status: 500, headers: { 'x-amzn-errortype': 'InternalServiceException' }, body: '{"__type":"InternalServiceException","message":"oops"}' },
      'CONNECT_UNAVAILABLE',
      true,
    ],
    [
      'invalid',
      { status: 400, headers: { 'x-amzn-errortype': 'ValidationException' }, body: '{"__type":"ValidationException","message":"no"}' },
      'CONNECT_INVALID_REQUEST',
      false,
    ],
    ['a proxy page', { status: 502, headers: { 'content-type': 'text/html' }, body: '<html>bad gateway</html>' }, 'CONNECT_UNAVAILABLE', true],
    ['the connection dropped', 'drop', 'NETWORK_ERROR', true],
  ] as const;
  const kinds = clients.flatMap(([name, build, command]) => refusals.map(([answer, ...rest]) => [name, answer, build, command, ...rest] as const));

  it.each(kinds)('%s, %s: classified as before, one request, no retry', async (_name, _answer, build, command, answer, code, retryable) => {
    reply = answer;
    recorded.length = 0;
    const signal = new AbortController().signal;
    const error = await createSdkClient(build(connection(answeringEndpoint)))
      .send(command(), { abortSignal: signal })
      .then(
        () => undefined,
        (e: unknown) => toSendError(e, { operation: 'Call', hints: { accessDenied: 'a', notFound: 'n' }, signal }),
      );
    expect(error).toMatchObject({ code, retryable });
    expect(recorded).toHaveLength(1);
  });

  it.each(clients)('%s: a clock that is off is still corrected from the answer (by the signer, not the retry middleware)', async (_name, build, command) => {
    const serverTime = new Date(Date.now() + 3_600_000);
    reply = {
      status: 403,
      headers: { 'x-amzn-errortype': 'InvalidSignatureException', date: serverTime.toUTCString() },
      body: '{"__type":"InvalidSignatureException","message":"Signature expired"}',
    };
    recorded.length = 0;
    const client = createSdkClient(build(connection(answeringEndpoint)));
    await expect(client.send(command(), { abortSignal: new AbortController().signal })).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    reply = { status: 200, body: '{}' };
    await client.send(command(), { abortSignal: new AbortController().signal });
    const signedAt = (header: unknown) => Date.parse(String(header).replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
    expect(Math.abs(signedAt(recorded[0]?.['x-amz-date']) - Date.now())).toBeLessThan(60_000);
    expect(Math.abs(signedAt(recorded[1]?.['x-amz-date']) - serverTime.getTime())).toBeLessThan(60_000);
  });
});

type Data = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Data) =>
  typeof data === 'string' ? data : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);

/** SHA-256 and HMAC-SHA-256 on node:crypto, as `SignatureV4` takes them. */
class NodeSha256 {
  readonly #hash;
  constructor(secret?: Data) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: Data): void {
    this.#hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
}

/** The `Authorization` the SDK's own SigV4 signer gives the request the server read, at the date it was signed. */
async function sdkAuthorization(
  request: (typeof requests)[number],
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  service: string,
) {
  const url = new URL(request.url, answeringEndpoint);
  // The body's hash is left out so that the SDK's signer computes it from the body the server read.
  const unsigned = ['authorization', 'connection', 'x-amz-content-sha256'];
  const headers = Object.fromEntries(
    Object.entries(request.headers)
      .filter(([name]) => !unsigned.includes(name))
      .map(([name, value]) => [name, String(value)]),
  );
  const signingDate = new Date(String(headers['x-amz-date']).replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service, sha256: NodeSha256, uriEscapePath: true });
  const query = Object.fromEntries(url.searchParams);
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query,
      headers,
      ...(request.body ? { body: request.body } : {}),
    },
    { signingDate },
  );
  return signed.headers['authorization'];
}

describe('createSdkClient: the signature', () => {
  // Each service's signing name, as the SDK's own signer takes it.
  const services = ['connect', 'connect', 'execute-api', 'sms-voice'];
  it.each(clients.map((client, i) => [...client, services[i] ?? ''] as const))(
    "%s: signed as the SDK's own SigV4 signer signs the request the server read",
    async (_name, build, command, service) => {
      reply = { status: 200, body: '{}' };
      requests.length = 0;
      await createSdkClient(build(connection(answeringEndpoint))).send(command(), { abortSignal: new AbortController().signal });
      const [request] = requests;
      expect(request?.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=test\//);
      expect(request?.headers['authorization']).toBe(await sdkAuthorization(request!, keys, service));
    },
  );

  it.each(clients)('%s: X-Amz-Date is the signing time to the second, in the basic format', async (_name, build, command) => {
    reply = { status: 200, body: '{}' };
    requests.length = 0;
    vi.useFakeTimers({ now: new Date('2027-03-09T17:04:58.987Z'), toFake: ['Date'] });
    try {
      await createSdkClient(build(connection(answeringEndpoint))).send(command(), { abortSignal: new AbortController().signal });
    } finally {
      vi.useRealTimers();
    }
    expect(requests[0]?.headers['x-amz-date']).toBe('20270309T170458Z');
  });

  it('temporary credentials from a function: the session token is sent and signed', async () => {
    reply = { status: 200, body: '{}' };
    requests.length = 0;
    let calls = 0;
    const temporary = { accessKeyId: 'ASIATEMP', secretAccessKey: 'temp-secret', sessionToken: 'session-token' };
    const credentials = async () => {
      calls += 1;
      return { ...temporary, expiration: new Date(Date.now() + 3_600_000) };
    };
    const client = createSdkClient(new ConnectClient({ ...connection(answeringEndpoint), credentials }));
    await client.send(clients[0][2]());
    await client.send(clients[0][2]());
    expect(calls).toBe(1); // memoized by the SDK until they expire
    for (const request of requests) {
      expect(request.headers['x-amz-security-token']).toBe('session-token');
      expect(String(request.headers['authorization'])).toMatch(/SignedHeaders=[a-z0-9;-]*x-amz-security-token/);
      expect(request.headers['authorization']).toBe(await sdkAuthorization(request, temporary, 'connect'));
    }
  });

  it.each([
    ['a query string and no body', () => new ListInstancesCommand({ MaxResults: 5 }), /^\/instance\?maxResults=5$/],
    ['a path with escaped characters', () => new DescribeContactCommand({ InstanceId: 'an instance', ContactId: 'c:1' }), /^\/contacts\/an%20instance\/c%3A1$/],
  ])("%s: signed by the SDK's signer, as before", async (_name, command, path) => {
    reply = { status: 200, body: '{}' };
    requests.length = 0;
    await createSdkClient(new ConnectClient(connection(answeringEndpoint))).send(command());
    const [request] = requests;
    expect(request?.url).toMatch(path);
    expect(request?.headers['authorization']).toBe(await sdkAuthorization(request!, keys, 'connect'));
  });
});
