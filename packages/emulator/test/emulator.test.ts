import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AccessDeniedException,
  ConnectClient,
  InternalServiceException,
  InvalidRequestException,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-connect';
import { ConnectChatError } from '@connect-chat/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulatorHandler, type RunningEmulator, startEmulator } from '../src/index.ts';
import { connectClient, credentials, disconnect, message, recordingLogger, rejection, send } from './helpers.ts';

let emulator: RunningEmulator;
let client: ConnectClient;

beforeEach(async () => {
  emulator = await startEmulator({ port: 0, credentials: [credentials] });
  client = connectClient(emulator.url);
});

afterEach(async () => {
  client.destroy();
  await emulator.close();
});

const json = { 'content-type': 'application/json' };

describe('chat state', () => {
  it('creates a chat, lands later events on it, ends it on DISCONNECT and starts a new one after', async () => {
    const first = await send(client, message('hello'));
    expect(first.NewChatCreated).toBe(true);
    expect(first.InitialContactId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.$metadata.httpStatusCode).toBe(200);
    expect(first.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const second = await send(client, message('are you there?'));
    expect(second).toMatchObject({ NewChatCreated: false, InitialContactId: first.InitialContactId });

    const ended = await send(client, disconnect());
    expect(ended).toMatchObject({ NewChatCreated: false, InitialContactId: first.InitialContactId });

    const third = await send(client, message('back again'));
    expect(third.NewChatCreated).toBe(true);
    expect(third.InitialContactId).not.toBe(first.InitialContactId);

    const [newest, oldest] = emulator.chats();
    expect(newest).toMatchObject({ contactId: third.InitialContactId, active: true });
    expect(oldest).toMatchObject({ contactId: first.InitialContactId, active: false, key: { SourceId: '+14155550100', Subtype: 'connect:sms' } });
    expect(oldest?.endedAt).toBeDefined();
    expect(oldest?.transcript.map((item) => [item.type, item.content])).toEqual([
      ['MESSAGE', 'hello'],
      ['MESSAGE', 'are you there?'],
      ['DISCONNECT', undefined],
    ]);
  });

  it('answers a DISCONNECT with no active chat with NewChatCreated false and no contact id', async () => {
    const output = await send(client, disconnect());
    expect(output.NewChatCreated).toBe(false);
    expect(output.InitialContactId).toBeUndefined();
    expect(emulator.chats()).toEqual([]);
  });

  it('keys chats by SourceId, DestinationId and Subtype', async () => {
    const sms = await send(client, message('one'));
    const whatsapp = await send(client, message('two', { Subtype: 'connect:WhatsApp' }));
    const otherCustomer = await send(client, message('three', { SourceId: '+14155550199' }));
    expect([sms.NewChatCreated, whatsapp.NewChatCreated, otherCustomer.NewChatCreated]).toEqual([true, true, true]);
    expect(new Set([sms.InitialContactId, whatsapp.InitialContactId, otherCustomer.InitialContactId]).size).toBe(3);
  });

  it('keeps the NewSessionDetails of the creating event and ignores later ones', async () => {
    await send(client, message('hi', { NewSessionDetails: { ParticipantDetails: { DisplayName: 'Ana' }, Attributes: { tier: 'gold' } } }));
    await send(client, message('again', { NewSessionDetails: { ParticipantDetails: { DisplayName: 'Bob' } } }));
    expect(emulator.chats()[0]?.newSessionDetails).toEqual({ ParticipantDetails: { DisplayName: 'Ana' }, Attributes: { tier: 'gold' } });
  });

  it('evicts the oldest chats and transcript items past its bounds', async () => {
    const bounded = await startEmulator({ port: 0, maxChats: 2, maxTranscriptItems: 2 });
    const boundedClient = connectClient(bounded.url);
    try {
      const first = await send(boundedClient, message('a', { SourceId: '+14155550101' }));
      await send(boundedClient, message('b', { SourceId: '+14155550102' }));
      await send(boundedClient, message('c1', { SourceId: '+14155550103' }));
      await send(boundedClient, message('c2', { SourceId: '+14155550103' }));
      await send(boundedClient, message('c3', { SourceId: '+14155550103' }));
      const chats = bounded.chats();
      expect(chats.map((chat) => chat.key.SourceId)).toEqual(['+14155550103', '+14155550102']);
      expect(chats[0]?.transcript.map((item) => item.content)).toEqual(['c2', 'c3']);
      // The evicted chat is gone for good: its key starts a new chat.
      const again = await send(boundedClient, message('a again', { SourceId: '+14155550101' }));
      expect(again.NewChatCreated).toBe(true);
      expect(again.InitialContactId).not.toBe(first.InitialContactId);
    } finally {
      boundedClient.destroy();
      await bounded.close();
    }
  });
});

describe('errors as the real SDK reads them', () => {
  const cases = [
    ['ThrottlingException', ThrottlingException, 429],
    ['InternalServiceException', InternalServiceException, 500],
    ['InvalidRequestException', InvalidRequestException, 400],
    ['AccessDeniedException', AccessDeniedException, 403],
    ['ResourceNotFoundException', ResourceNotFoundException, 404],
  ] as const;

  it.each(cases)('%s from failNext', async (name, errorClass, status) => {
    emulator.setFaults({ failNext: [{ error: name }] });
    const error = await rejection(send(client, message('hi')));
    expect(error).toBeInstanceOf(errorClass);
    expect(error.name).toBe(name);
    expect(error.$metadata.httpStatusCode).toBe(status);
    expect(error.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).toContain('injected by the emulator');
    // Connect did not accept it, so there is nothing in the transcript.
    expect(emulator.chats()).toEqual([]);
  });

  it('consumes failNext in order, count requests per entry, then accepts again', async () => {
    emulator.setFaults({ failNext: [{ error: 'ThrottlingException', count: 2 }, { error: 'AccessDeniedException' }] });
    const names: string[] = [];
    for (let i = 0; i < 3; i++) names.push((await rejection(send(client, message(`try ${i}`)))).name);
    expect(names).toEqual(['ThrottlingException', 'ThrottlingException', 'AccessDeniedException']);
    const output = await send(client, message('finally'));
    expect(output.NewChatCreated).toBe(true);
    expect(emulator.chats()[0]?.transcript.map((item) => item.content)).toEqual(['finally']);
  });

  it('answers an error at the configured rate per status', async () => {
    emulator.setFaults({ errorRates: { 404: 1 } });
    const error = await rejection(send(client, message('hi')));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.$metadata.httpStatusCode).toBe(404);
    emulator.setFaults({ errorRates: { 404: 0, 500: 0 } });
    await expect(send(client, message('hi'))).resolves.toMatchObject({ NewChatCreated: true });
  });

  it('throttles past the burst of the quota with ThrottlingException', async () => {
    emulator.setFaults({ quota: { requestsPerSecond: 0.001, burst: 2 } });
    await send(client, message('one'));
    await send(client, message('two'));
    const error = await rejection(send(client, message('three')));
    expect(error).toBeInstanceOf(ThrottlingException);
    expect(error.$metadata.httpStatusCode).toBe(429);
    expect(emulator.chats()[0]?.transcript.map((item) => item.content)).toEqual(['one', 'two']);
  });

  it('rejects an event that breaks the API constraints with InvalidRequestException listing the issues', async () => {
    const error = await rejection(send(client, { ...message('x'), Event: { Type: 'MESSAGE', ContentType: 'text/plain' } }));
    expect(error).toBeInstanceOf(InvalidRequestException);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain('Event.Content');
    const notPhone = await rejection(send(client, message('x', { SourceId: 'not-a-number' })));
    expect(notPhone.name).toBe('InvalidRequestException');
    expect(notPhone.message).toContain('SourceId');
    expect(emulator.chats()).toEqual([]);
  });

  it('accepts undocumented subtypes only when allowed', async () => {
    const custom = message('hi', { SourceId: 'user-42', Subtype: 'connect:Custom' });
    expect((await rejection(send(client, custom))).message).toContain('Subtype');
    const lenient = await startEmulator({ port: 0, allowUnknownSubtype: true });
    const lenientClient = connectClient(lenient.url);
    try {
      await expect(send(lenientClient, custom)).resolves.toMatchObject({ NewChatCreated: true });
    } finally {
      lenientClient.destroy();
      await lenient.close();
    }
  });
});

describe('authentication', () => {
  it('answers a request without Authorization with 403 MissingAuthenticationTokenException', async () => {
    const response = await fetch(`${emulator.url}/chat-integration-event`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message('hi')),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token', Message: 'Missing Authentication Token' });
    expect(emulator.chats()).toEqual([]);
  });

  it('answers a wrong secret with InvalidSignatureException', async () => {
    const wrong = connectClient(emulator.url, { secretAccessKey: 'not-the-secret' });
    const error = await rejection(send(wrong, message('hi')));
    wrong.destroy();
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).not.toContain(credentials.secretAccessKey);
    expect(emulator.chats()).toEqual([]);
  });

  it('answers an unknown access key with UnrecognizedClientException', async () => {
    const stranger = connectClient(emulator.url, { accessKeyId: 'AKIDSTRANGER' });
    const error = await rejection(send(stranger, message('hi')));
    stranger.destroy();
    expect(error.name).toBe('UnrecognizedClientException');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it('checks only the form of the signature when it knows no credentials, and says so', async () => {
    const logger = recordingLogger();
    const open = await startEmulator({ port: 0, logger });
    const anyKey = connectClient(open.url, { accessKeyId: 'AKIDANY', secretAccessKey: 'anything' });
    try {
      await expect(send(anyKey, message('hi'))).resolves.toMatchObject({ NewChatCreated: true });
      expect(logger.lines.some((line) => line.level === 'warn' && line.message.includes('not checked'))).toBe(true);
      const unsigned = await fetch(`${open.url}/chat-integration-event`, { method: 'POST', body: '{}' });
      expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    } finally {
      anyKey.destroy();
      await open.close();
    }
  });
});

describe('latency', () => {
  it('holds each request for latencyMs before handling it', async () => {
    const logger = recordingLogger();
    const slow = await startEmulator({ port: 0, logger, faults: { latencyMs: 300 } });
    const slowClient = connectClient(slow.url);
    try {
      const delayed = new Promise<void>((resolve) => {
        logger.debug = (msg) => {
          if (msg === 'emulator: delaying request') resolve();
        };
      });
      let settled = false;
      const startedAt = performance.now();
      const pending = send(slowClient, message('slow')).finally(() => {
        settled = true;
      });
      await delayed;
      // The request arrived and is being held: not answered and not recorded yet.
      expect(settled).toBe(false);
      expect(slow.chats()).toEqual([]);
      await expect(pending).resolves.toMatchObject({ NewChatCreated: true });
      expect(performance.now() - startedAt).toBeGreaterThanOrEqual(299);
      expect(slow.chats()).toHaveLength(1);
    } finally {
      slowClient.destroy();
      await slow.close();
    }
  });
});

describe('control endpoints', () => {
  it('reports health', async () => {
    const response = await fetch(`${emulator.url}/_emulator/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('x-amzn-requestid')).toBeTruthy();
  });

  it('lists chats newest first and serves one chat by contact id', async () => {
    const first = await send(client, message('one', { SourceId: '+14155550111' }));
    const second = await send(client, message('two', { SourceId: '+14155550122' }));
    const list = (await (await fetch(`${emulator.url}/_emulator/chats`)).json()) as Array<{ contactId: string }>;
    expect(list.map((chat) => chat.contactId)).toEqual([second.InitialContactId, first.InitialContactId]);
    const one = await fetch(`${emulator.url}/_emulator/chats/${first.InitialContactId}`);
    expect(await one.json()).toMatchObject({ contactId: first.InitialContactId, transcript: [{ type: 'MESSAGE', contentType: 'text/plain', content: 'one' }] });
    const missing = await fetch(`${emulator.url}/_emulator/chats/no-such-contact`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('answers a contact id with a broken percent-escape with 404, not 500', async () => {
    const malformed = await fetch(`${emulator.url}/_emulator/chats/%E0%A4%A`);
    expect(malformed.status).toBe(404);
    expect(await malformed.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('on loopback, refuses requests addressed to another name (DNS rebinding), before doing anything', async () => {
    const statusFor = (host: string, method = 'GET', path = '/_emulator/chats') =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${emulator.url}${path}`, { method, headers: { host, 'content-type': 'application/json' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(method === 'POST' ? JSON.stringify({ provider: 'twilio', from: '+14155550100', to: '+15550100', text: 'x' }) : undefined);
      });
    const port = new URL(emulator.url).port;
    expect(await statusFor(`rebound.example:${port}`)).toBe(403);
    expect(await statusFor('127.0.0.1.nip.io')).toBe(403);
    expect(await statusFor(`evil.example:${port}`, 'POST', '/_emulator/simulate')).toBe(403);
    expect(await statusFor(`localhost:${port}`)).toBe(200);
    expect(await statusFor(`127.0.0.1:${port}`)).toBe(200);
    expect(await statusFor(`[::1]:${port}`)).toBe(200);
  });

  it('sets faults over HTTP, reports what is left, and refuses malformed faults', async () => {
    const set = await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ failNext: [{ error: 'InternalServiceException', count: 2 }] }),
    });
    expect(set.status).toBe(200);
    await rejection(send(client, message('hi')));
    const left = await (await fetch(`${emulator.url}/_emulator/faults`)).json();
    expect(left).toEqual({ failNext: [{ error: 'InternalServiceException', count: 1 }] });

    const bad = await fetch(`${emulator.url}/_emulator/faults`, { method: 'POST', headers: json, body: JSON.stringify({ failNext: [{ error: 'Boom' }] }) });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('INVALID_OPTIONS');
    expect(body.error.message).toContain('faults.failNext[0].error');
    const notJson = await fetch(`${emulator.url}/_emulator/faults`, { method: 'POST', headers: json, body: '{' });
    expect(notJson.status).toBe(400);
  });

  it.each([
    ['a no-cors text/plain POST', { 'content-type': 'text/plain' }, 415],
    ['a form POST from another site', { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, 415],
    ['a JSON POST from another site', { 'content-type': 'application/json', origin: 'https://evil.example' }, 403],
    ['a JSON POST from a sandboxed page', { 'content-type': 'application/json', origin: 'null' }, 403],
  ])('refuses %s to the control routes and changes nothing', async (_label, headers, status) => {
    await send(client, message('kept'));
    for (const [path, body] of [
      ['/_emulator/reset', '{}'],
      ['/_emulator/faults', '{"failNext":[{"error":"AccessDeniedException"}]}'],
    ] as const) {
      const response = await fetch(`${emulator.url}${path}`, { method: 'POST', headers, body });
      expect(response.status).toBe(status);
    }
    expect(emulator.chats()).toHaveLength(1);
    expect(await (await fetch(`${emulator.url}/_emulator/faults`)).json()).toEqual({});
  });

  it('resets chats and faults', async () => {
    const before = await send(client, message('hi'));
    emulator.setFaults({ failNext: [{ error: 'AccessDeniedException' }] });
    const reset = await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST', headers: { ...json, origin: `${emulator.url}` }, body: '{}' });
    expect(reset.status).toBe(200);
    expect(emulator.chats()).toEqual([]);
    const after = await send(client, message('hi'));
    expect(after.NewChatCreated).toBe(true);
    expect(after.InitialContactId).not.toBe(before.InitialContactId);
  });

  it('answers unknown operations like AWS and unknown emulator endpoints with 404', async () => {
    // Operations the emulator does not serve (GetTranscript, UpdateContactAttributes) and bound paths under another method.
    for (const [method, path] of [
      ['POST', '/participant/transcript'],
      ['POST', '/contact/attributes'],
      ['POST', '/contact/chat'],
      ['GET', '/participant/message'],
    ]) {
      const unknown = await fetch(`${emulator.url}${path}`, { method });
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    }
    const wrongMethod = await fetch(`${emulator.url}/chat-integration-event`);
    expect(wrongMethod.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    const control = await fetch(`${emulator.url}/_emulator/nothing`);
    expect(control.status).toBe(404);
    expect(await control.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('refuses a body over 1 MiB without buffering it', async () => {
    const response = await fetch(`${emulator.url}/chat-integration-event`, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidRequestException');
  });

  it('serves the page at /', async () => {
    const response = await fetch(`${emulator.url}/`);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('/_emulator/events');
  });
});

describe('events stream', () => {
  it('emits chat.created, chat.updated and chat.ended as Server-Sent Events', async () => {
    const abort = new AbortController();
    const response = await fetch(`${emulator.url}/_emulator/events`, { signal: abort.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    const nextEvent = async (): Promise<{ event: string; data: { type: string; chat?: { contactId: string }; item?: { content?: string } } }> => {
      for (;;) {
        const end = buffered.indexOf('\n\n');
        if (end >= 0) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          if (block.startsWith(':')) continue;
          const field = (name: string) =>
            block
              .split('\n')
              .find((line) => line.startsWith(`${name}: `))
              ?.slice(name.length + 2) ?? '';
          return { event: field('event'), data: JSON.parse(field('data')) };
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffered += value;
      }
    };
    try {
      const output = await send(client, message('streamed'));
      const created = await nextEvent();
      expect(created.event).toBe('chat.created');
      expect(created.data.chat?.contactId).toBe(output.InitialContactId);
      expect(created.data.item?.content).toBe('streamed');
      await send(client, message('more'));
      expect((await nextEvent()).event).toBe('chat.updated');
      await send(client, disconnect());
      expect((await nextEvent()).event).toBe('chat.ended');
    } finally {
      abort.abort();
    }
  });
});

describe('connections', () => {
  it('keeps an idle keep-alive connection for 65 s and says so, so a client pausing between calls never reuses a socket being closed', async () => {
    // With Node's default of 5 s, an SDK client without retries that paused ~5 s between two calls
    // (a test driving a browser) could send on a socket the emulator was closing: ECONNRESET.
    const response = await fetch(`${emulator.url}/_emulator/health`);
    await response.body?.cancel();
    expect(response.headers.get('connection')).toBe('keep-alive');
    expect(response.headers.get('keep-alive')).toBe('timeout=65');
  });
});

describe('AWS_ENDPOINT_URL_CONNECT', () => {
  it('points an SDK client configured without an endpoint at the emulator', async () => {
    const previous = process.env['AWS_ENDPOINT_URL_CONNECT'];
    process.env['AWS_ENDPOINT_URL_CONNECT'] = emulator.url;
    const fromEnvironment = new ConnectClient({ region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      const output = await send(fromEnvironment, message('via the environment'));
      expect(emulator.chats()[0]?.contactId).toBe(output.InitialContactId);
    } finally {
      fromEnvironment.destroy();
      if (previous === undefined) delete process.env['AWS_ENDPOINT_URL_CONNECT'];
      else process.env['AWS_ENDPOINT_URL_CONNECT'] = previous;
    }
  });
});

describe('the request handler mounted in-process', () => {
  it('serves the operation from a server of your own', async () => {
    const handler = createEmulatorHandler({ credentials: [credentials] });
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const own = connectClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      const output = await send(own, message('in-process'));
      expect(output.NewChatCreated).toBe(true);
      expect(handler.chats()[0]?.contactId).toBe(output.InitialContactId);
    } finally {
      own.destroy();
      handler.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('options', () => {
  it.each([
    [{ port: 70_000 }, 'port: expected an integer 0..65535, got 70000'],
    [{ host: '' }, 'host: expected a non-empty host name or IP address'],
    [{ credentials: [{ accessKeyId: 'AKID', secretAccessKey: '' }] }, 'credentials[0].secretAccessKey: expected a non-empty string, got an empty string'],
    [{ credentials: {} }, 'credentials: expected an array'],
    [{ faults: { quota: { requestsPerSecond: 0, burst: 5 } } }, 'faults.quota.requestsPerSecond: expected a number above 0, got 0'],
    [{ faults: { errorRates: { 500: 0.7, 429: 0.6 } } }, 'faults.errorRates: expected probabilities adding up to at most 1'],
    [{ faults: { latencyMs: -1 } }, 'faults.latencyMs: expected an integer'],
    [{ faults: { bogus: true } }, 'faults.bogus: expected one of quota, failNext, errorRates, latencyMs'],
    [{ logger: { info() {} } }, 'logger.debug: expected a function'],
    [{ maxChats: 0 }, 'maxChats: expected a positive integer, got 0'],
    [{ allowUnknownSubtype: 'yes' }, 'allowUnknownSubtype: expected a boolean'],
  ])('rejects %j with INVALID_OPTIONS', async (options, expected) => {
    const error = await rejection(startEmulator(options as never));
    expect(ConnectChatError.is(error) && error.code).toBe('INVALID_OPTIONS');
    expect(error.message).toContain(expected);
  });

  it('never echoes a secret in an options error', async () => {
    const error = await rejection(startEmulator({ credentials: [{ accessKeyId: 'bad key!', secretAccessKey: 'super-secret-value' }] }));
    expect(error.message).toContain('credentials[0].accessKeyId');
    expect(error.message).not.toContain('super-secret-value');
  });

  it('validates faults given at runtime', () => {
    expect(() => emulator.setFaults({ failNext: [{ error: 'ThrottlingException', count: 0 }] })).toThrow(
      'faults.failNext[0].count: expected a positive integer, got 0',
    );
  });

  it('reports a port in use as INVALID_OPTIONS', async () => {
    const port = Number(new URL(emulator.url).port);
    const error = await rejection(startEmulator({ port }));
    expect(ConnectChatError.is(error) && error.code).toBe('INVALID_OPTIONS');
    expect(error.message).toContain('EADDRINUSE');
  });
});
