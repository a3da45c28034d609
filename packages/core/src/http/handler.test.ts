import { describe, expect, it, vi } from 'vitest';
import { destinationArn, recordingHooks, recordingTransport, senderOver, testProvider, testRequest } from '../../test/support/fakes.ts';
import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { SendError } from '../errors/send-error.ts';
import { createMemoryIdempotencyStore } from '../idempotency/memory-store.ts';
import type { IdempotencyStore } from '../idempotency/types.ts';
import { splitText } from '../model/split-text.ts';
import type { Logger } from '../logger.ts';
import type { InboundMessage } from '../model/inbound-message.ts';
import type { Provider } from '../providers/types.ts';
import type { WebhookHandlerOptions } from './handler-types.ts';
import { createWebhookHandler } from './handler.ts';
import { createTwilioProvider } from '../providers/twilio/twilio-provider.ts';
import { createStandardWebhooksProvider } from '../providers/standard-webhooks/standard-webhooks-provider.ts';
import { createTwilioRequest, twilioMessageParams } from '../testing/twilio.ts';
import { createStandardWebhookRequest, generateStandardWebhookSecret } from '../testing/standard-webhooks.ts';

function setup(overrides: Partial<WebhookHandlerOptions> = {}, providerOverrides: Partial<Provider> = {}) {
  const { provider, contexts } = testProvider(providerOverrides);
  const connect = recordingTransport();
  const hooks = recordingHooks();
  const logged: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const logger: Logger = {
    debug: (message, fields) => logged.push({ level: 'debug', message, fields }),
    info: (message, fields) => logged.push({ level: 'info', message, fields }),
    warn: (message, fields) => logged.push({ level: 'warn', message, fields }),
    error: (message, fields) => logged.push({ level: 'error', message, fields }),
  };
  const handler = createWebhookHandler({
    provider,
    sender: senderOver(connect.transport),
    route: { destination: { '+12125550101': destinationArn } },
    hooks: hooks.hooks,
    logger,
    ...overrides,
  });
  return { handler, connect, hooks, contexts, logged };
}

async function answer(response: Response) {
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json, code: (json?.['error'] as { code?: string } | undefined)?.code };
}

const throttled = () => new SendError('CONNECT_THROTTLED', 'Rate exceeded', { awsErrorName: 'ThrottlingException', attempts: 3 });
const denied = () => new SendError('CONNECT_ACCESS_DENIED', 'This account may not call SendChatIntegrationEvent', { awsErrorName: 'AccessDeniedException' });

describe('createWebhookHandler: refusals before any message', () => {
  it('answers 405 with Allow for other methods, HEAD and OPTIONS included, and reports it', async () => {
    const { handler, hooks, connect } = setup();
    for (const method of ['GET', 'PUT', 'HEAD', 'OPTIONS']) {
      const response = await handler.handle({ method, url: 'https://bridge.example/webhooks/test', headers: new Headers(), body: null });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('POST');
    }
    expect(hooks.of('onRejected')).toHaveLength(4);
    expect(hooks.of('onRejected')[0]).toMatchObject({ provider: 'test', status: 405, code: 'METHOD_NOT_ALLOWED' });
    expect(connect.attempts).toEqual([]);
  });

  it('accepts HEAD when the provider lists it', async () => {
    const { handler } = setup({}, { methods: ['POST', 'HEAD'] });
    const response = await handler.handle({
      method: 'HEAD',
      url: 'https://bridge.example/x',
      headers: new Headers({ 'x-test-signature': 'valid' }),
      body: '{}',
    });
    expect(response.status).toBe(200);
  });

  it('answers 415 for a content type the provider does not send, and accepts parameters', async () => {
    const { handler, connect } = setup();
    const form = await answer(await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }, { headers: { 'content-type': 'text/plain' } })));
    expect(form.status).toBe(415);
    expect(form.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const missing = await handler.handle({
      method: 'POST',
      url: 'https://bridge.example/x',
      headers: new Headers({ 'x-test-signature': 'valid' }),
      body: '{}',
    });
    expect(missing.status).toBe(415);
    const withCharset = await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }, { headers: { 'content-type': 'Application/JSON; charset=utf-8' } }));
    expect(withCharset.status).toBe(200);
    expect(connect.accepted).toHaveLength(1);
  });

  it('answers 413 past maxBodyBytes, from Content-Length or while reading a stream', async () => {
    const { handler, hooks } = setup({ maxBodyBytes: 100 });
    const declared = await handler.handle({
      method: 'POST',
      url: 'https://bridge.example/x',
      headers: new Headers({ 'content-type': 'application/json', 'content-length': '5000' }),
      body: '{}',
    });
    expect(declared.status).toBe(413);
    let pulls = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(new Uint8Array(64));
      },
    });
    const streamed = await handler.handle({
      method: 'POST',
      url: 'https://bridge.example/x',
      headers: new Headers({ 'content-type': 'application/json' }),
      body: endless,
    });
    expect(streamed.status).toBe(413);
    expect(pulls).toBeLessThan(5);
    expect(hooks.of('onRejected').map((r) => r['status'])).toEqual([413, 413]);
  });

  it('answers 401 for a bad signature, 403 for verified-but-forbidden, 400 for a malformed body', async () => {
    const { handler, hooks, connect } = setup();
    const unsigned = await answer(await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }, { headers: { 'x-test-signature': 'forged' } })));
    expect(unsigned).toMatchObject({ status: 401, code: 'SIGNATURE_INVALID' });
    const forbidden = await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }, { headers: { 'x-test-topic': 'forbidden' } }));
    expect(forbidden.status).toBe(403);
    const malformed = await handler.handle({
      method: 'POST',
      url: 'https://bridge.example/x',
      headers: new Headers({ 'content-type': 'application/json', 'x-test-signature': 'valid' }),
      body: '{not json',
    });
    expect(malformed.status).toBe(400);
    expect(hooks.of('onRejected')).toEqual([
      { provider: 'test', status: 401, code: 'SIGNATURE_INVALID', reason: 'x-test-signature is missing or wrong' },
      { provider: 'test', status: 403, code: 'FORBIDDEN', reason: 'topic not allowed' },
      { provider: 'test', status: 400, code: 'MALFORMED_PAYLOAD', reason: 'body is not JSON' },
    ]);
    expect(connect.attempts).toEqual([]);
  });

  it('answers 400 for a URL that cannot be parsed and for a body stream that breaks', async () => {
    const { handler } = setup();
    const badUrl = await handler.handle({ method: 'POST', url: '/relative', headers: new Headers({ 'content-type': 'application/json' }), body: '{}' });
    expect(badUrl.status).toBe(400);
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error('socket hang up'));
      },
    });
    const aborted = await handler.handle({
      method: 'POST',
      url: 'https://bridge.example/x',
      headers: new Headers({ 'content-type': 'application/json' }),
      body: broken,
    });
    expect(aborted.status).toBe(400);
  });

  it('explains a body a parser already consumed', async () => {
    const { handler } = setup();
    const response = await handler.handle({
      method: 'POST',
      url: 'https://b.example/x',
      headers: new Headers({ 'content-type': 'application/json' }),
      body: {} as never,
    });
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body).error.code).toBe('BODY_ALREADY_PARSED');
    expect(JSON.parse(response.body).error.message).toMatch(/before body parsers/);
  });

  it('answers 500 INTERNAL without the message when a provider throws a plain error', async () => {
    const { handler, logged } = setup(
      {},
      {
        async parse() {
          throw new TypeError('secret-token-123 exploded');
        },
      },
    );
    const response = await answer(await handler.fetch(testRequest({})));
    expect(response.status).toBe(500);
    expect(response.code).toBe('INTERNAL');
    expect(response.text).not.toContain('secret-token-123');
    expect(response.text).not.toContain('TypeError');
    expect(logged.some((entry) => entry.level === 'error')).toBe(true);
  });
});

describe('createWebhookHandler: replies and ignored deliveries', () => {
  it('returns a provider reply as it is and reports what it ignored', async () => {
    const { handler, hooks, connect } = setup();
    const response = await handler.fetch(testRequest({ reply: 'challenge-42', ignored: ['unsubscribe confirmation'] }));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('challenge-42');
    expect(hooks.of('onIgnored')).toEqual([{ provider: 'test', reason: 'unsubscribe confirmation', raw: 'unsubscribe confirmation' }]);
    expect(connect.attempts).toEqual([]);
  });

  it('answers 200 for status callbacks without sending, and counts them', async () => {
    const { handler, hooks, connect } = setup();
    const response = await answer(await handler.fetch(testRequest({ ignored: ['delivered', 'read'] })));
    expect(response.json).toEqual({ status: 'ok', sent: 0, duplicates: 0, ignored: 2 });
    expect(hooks.of('onIgnored')).toHaveLength(2);
    expect(connect.attempts).toEqual([]);
  });

  it('uses the provider acknowledgement once everything is handled', async () => {
    const { handler } = setup({}, { acknowledge: () => ({ status: 200, headers: { 'content-type': 'text/xml' }, body: '<Response/>' }) });
    const response = await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }));
    expect(response.headers.get('content-type')).toBe('text/xml');
    expect(await response.text()).toBe('<Response/>');
  });
});

describe('createWebhookHandler: sending', () => {
  it('sends each message in order and answers 200 only after Connect accepted them', async () => {
    const { handler, connect, hooks } = setup();
    const response = await answer(
      await handler.fetch(
        testRequest({
          messages: [
            { id: 'm1', text: 'first' },
            { id: 'm2', text: 'second' },
          ],
        }),
      ),
    );
    expect(response.json).toEqual({ status: 'ok', sent: 2, duplicates: 0, ignored: 0 });
    expect(connect.contents()).toEqual(['first', 'second']);
    expect(connect.accepted[0]).toMatchObject({ SourceId: '+14255550182', DestinationId: destinationArn, Subtype: 'connect:sms' });
    const sent = hooks.of<{ message: InboundMessage; results: unknown[] }>('onSent');
    expect(sent.map((info) => info.message.id)).toEqual(['m1', 'm2']);
    expect(sent[0]!.results).toEqual([{ initialContactId: 'contact-1', newChatCreated: true, requestId: 'request-1', attempts: 1 }]);
  });

  it('sends a duplicate delivery once and answers 2xx for the copy', async () => {
    const { handler, connect } = setup();
    const first = await answer(await handler.fetch(testRequest({ messages: [{ id: 'm1' }] })));
    const second = await answer(await handler.fetch(testRequest({ messages: [{ id: 'm1' }] })));
    expect(first.json).toMatchObject({ sent: 1, duplicates: 0 });
    expect(second.json).toMatchObject({ sent: 0, duplicates: 1 });
    expect(connect.attempts).toHaveLength(1);
  });

  it('resends duplicates when idempotency is off', async () => {
    const { handler, connect } = setup({ idempotency: false });
    await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }));
    await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }));
    expect(connect.accepted).toHaveLength(2);
  });

  it('holds a copy that arrives while the first is being sent, and answers it 2xx as a duplicate once the first is sent', async () => {
    const store = createMemoryIdempotencyStore();
    let claims = 0;
    const counting: IdempotencyStore = {
      ...store,
      claim(key, owner) {
        claims++;
        return store.claim(key, owner);
      },
    };
    const { handler, connect } = setup({ idempotency: counting });
    const held = connect.hold();
    const firstCopy = handler.fetch(testRequest({ messages: [{ id: 'm1' }] }));
    await held.started;
    const secondCopy = handler.fetch(testRequest({ messages: [{ id: 'm1' }] }));
    // The copy found the message in flight and keeps asking, instead of answering 503 at once.
    await vi.waitFor(() => expect(claims).toBeGreaterThanOrEqual(3), { timeout: 5_000 });
    held.release();
    expect((await firstCopy).status).toBe(200);
    expect(await answer(await secondCopy)).toMatchObject({ status: 200, json: { sent: 0, duplicates: 1 } });
    expect(connect.attempts).toHaveLength(1);
  });

  it('answers 503 + Retry-After to a copy when its deadline leaves no time to wait for the first, then 2xx', async () => {
    const { handler, connect } = setup({ retryAfterSeconds: 3, deadlineMs: 1_000 });
    const held = connect.hold();
    const firstCopy = handler.fetch(testRequest({ messages: [{ id: 'm1' }] }));
    await held.started;
    const secondCopy = await answer(await handler.fetch(testRequest({ messages: [{ id: 'm1' }] })));
    expect(secondCopy.status).toBe(503);
    expect(secondCopy.code).toBe('DUPLICATE_IN_FLIGHT');
    expect(secondCopy.headers.get('retry-after')).toBe('3');
    held.release();
    expect((await firstCopy).status).toBe(200);
    const retry = await answer(await handler.fetch(testRequest({ messages: [{ id: 'm1' }] })));
    expect(retry.json).toMatchObject({ sent: 0, duplicates: 1 });
    expect(connect.attempts).toHaveLength(1);
  });

  it('answers 503 + Retry-After on a transient failure, reports it, and sends on the retry', async () => {
    const { handler, connect, hooks } = setup();
    connect.failNext(throttled());
    const failed = await answer(await handler.fetch(testRequest({ messages: [{ id: 'm1' }] })));
    expect(failed.status).toBe(503);
    expect(failed.code).toBe('CONNECT_THROTTLED');
    expect(failed.headers.get('retry-after')).toBe('5');
    expect(hooks.of('onError')).toHaveLength(1);
    expect(hooks.of<{ error: ConnectChatError }>('onError')[0]!.error.code).toBe('CONNECT_THROTTLED');
    const retried = await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }));
    expect(retried.status).toBe(200);
    expect(connect.accepted).toHaveLength(1);
  });

  it('answers 422 on a permanent failure and hands the event to onError', async () => {
    const { handler, connect, hooks } = setup();
    connect.failNext(denied());
    const failed = await answer(await handler.fetch(testRequest({ messages: [{ id: 'm1', text: 'keep me' }] })));
    expect(failed).toMatchObject({ status: 422, code: 'CONNECT_ACCESS_DENIED' });
    const [report] = hooks.of<{ error: ConnectChatError; message: InboundMessage; event: { Event: { Content: string } } }>('onError');
    expect(report!.error.code).toBe('CONNECT_ACCESS_DENIED');
    expect(report!.message.id).toBe('m1');
    expect(report!.event.Event.Content).toBe('keep me');
    expect(connect.accepted).toEqual([]);
  });

  it('keeps the messages before a failure sent, so the retry sends only the rest', async () => {
    const { handler, connect } = setup();
    connect.failContent('two', throttled());
    const delivery = {
      messages: [
        { id: 'm1', text: 'one' },
        { id: 'm2', text: 'two' },
        { id: 'm3', text: 'three' },
      ],
    };
    const failed = await handler.fetch(testRequest(delivery));
    expect(failed.status).toBe(503);
    expect(connect.contents()).toEqual(['one']);
    const retried = await answer(await handler.fetch(testRequest(delivery)));
    expect(retried.json).toEqual({ status: 'ok', sent: 2, duplicates: 1, ignored: 0 });
    expect(connect.contents()).toEqual(['one', 'two', 'three']);
  });

  it('does not let a permanently refused message block the valid ones after it in the same delivery', async () => {
    const { handler, connect, hooks } = setup();
    // One WhatsApp POST can carry several messages; m2 can never be sent (no route for its number).
    const delivery = {
      messages: [
        { id: 'm1', text: 'one' },
        { id: 'm2', text: 'two', to: '+19995550100' },
        { id: 'm3', text: 'three' },
      ],
    };
    const first = await answer(await handler.fetch(testRequest(delivery)));
    expect(first).toMatchObject({ status: 422, code: 'INVALID_EVENT' });
    expect(connect.contents()).toEqual(['one', 'three']);
    // The provider's retries change nothing: m1 and m3 are duplicates, m2 is refused again.
    const retried = await answer(await handler.fetch(testRequest(delivery)));
    expect(retried).toMatchObject({ status: 422, code: 'INVALID_EVENT' });
    expect(connect.contents()).toEqual(['one', 'three']);
    expect(hooks.of<{ message: InboundMessage }>('onError').map((report) => report.message.id)).toEqual(['m2', 'm2']);
  });

  it('still stops at a transient failure after a permanent one, so the retry keeps the order', async () => {
    const { handler, connect } = setup();
    connect.failContent('three', throttled());
    const delivery = {
      messages: [
        { id: 'm1', text: 'one', to: '+19995550100' },
        { id: 'm2', text: 'three' },
        { id: 'm3', text: 'four' },
      ],
    };
    expect((await answer(await handler.fetch(testRequest(delivery)))).status).toBe(503);
    expect(connect.contents()).toEqual([]);
    expect((await answer(await handler.fetch(testRequest(delivery)))).status).toBe(422);
    expect(connect.contents()).toEqual(['three', 'four']);
  });

  it('never resends parts of a split message that Connect already accepted', async () => {
    const { handler, connect } = setup();
    const words = Array.from({ length: 500 }, (_, i) => `w${i}`).join(' ');
    const parts = splitText(words, 1024);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    const delivery = { messages: [{ id: 'long', text: words }] };
    connect.failContent(parts[1]!, throttled());
    expect((await handler.fetch(testRequest(delivery))).status).toBe(503);
    expect(connect.contents()).toEqual([parts[0]]);
    expect((await handler.fetch(testRequest(delivery))).status).toBe(200);
    expect(connect.contents()).toEqual(parts);
    expect(connect.attempts.map((event) => event.Event.Content)).toEqual([parts[0], parts[1], ...parts.slice(1)]);
    // A third delivery finds every part sent.
    expect((await answer(await handler.fetch(testRequest(delivery)))).json).toMatchObject({ sent: 0, duplicates: 1 });
    expect(connect.attempts).toHaveLength(parts.length + 1);
  });

  it('answers 422 for a number no route knows, reporting the message', async () => {
    const { handler, hooks, connect } = setup();
    const response = await answer(await handler.fetch(testRequest({ messages: [{ id: 'm1', to: '+19995550100' }] })));
    expect(response).toMatchObject({ status: 422, code: 'INVALID_EVENT' });
    // The answer names no number: neither the one written to nor the configured ones.
    expect(response.text).not.toMatch(/\+1\d{10}/);
    const report = hooks.of<{ message: InboundMessage; error: ConnectChatError }>('onError')[0]!;
    expect(report.message.id).toBe('m1');
    expect(String((report.error.cause as Error).message)).toContain('+19995550100');
    expect(String((report.error.cause as Error).message)).toContain('+12125550101');
    expect(connect.attempts).toEqual([]);
  });

  it('answers 422 for an event that fails validation, before any call', async () => {
    const { handler, hooks, connect } = setup();
    // SMS needs an E.164 SourceId.
    const response = await answer(await handler.fetch(testRequest({ messages: [{ id: 'm1', from: 'not-a-number' }] })));
    expect(response).toMatchObject({ status: 422, code: 'INVALID_EVENT' });
    // Reported with the event that broke the constraint, as the status-code invariant says.
    expect(hooks.of<{ event?: { SourceId: string } }>('onError').map((report) => report.event?.SourceId)).toEqual(['not-a-number']);
    expect(connect.attempts).toEqual([]);
  });

  it('answers 500 without details when the sender throws a plain error, and releases the claim', async () => {
    const { handler, connect } = setup();
    connect.failNext(new RangeError('socket 10.0.0.7 password=hunter2'));
    const response = await answer(await handler.fetch(testRequest({ messages: [{ id: 'm1' }] })));
    expect(response).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect(response.text).not.toContain('hunter2');
    expect((await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }))).status).toBe(200);
    expect(connect.accepted).toHaveLength(1);
  });

  it('answers 500 for a provider message without an id instead of deduplicating on nothing', async () => {
    const { handler, connect } = setup();
    expect((await handler.fetch(testRequest({ messages: [{ id: '' }] }))).status).toBe(500);
    expect(connect.attempts).toEqual([]);
  });

  it('answers 503 + Retry-After (the provider retries) and sends nothing when the idempotency store fails to claim', async () => {
    const store = createMemoryIdempotencyStore();
    const { handler, connect } = setup({
      idempotency: {
        claim: async () => {
          throw new Error('redis down');
        },
        complete: store.complete,
        release: store.release,
      },
    });
    const response = await answer(await handler.fetch(testRequest({ messages: [{ id: 'm1' }] })));
    expect(response).toMatchObject({ status: 503, code: 'IDEMPOTENCY_UNAVAILABLE' });
    expect(response.headers.get('retry-after')).toBe('5');
    expect(connect.attempts).toEqual([]);
  });
});

describe('createWebhookHandler: misbehaving stores, senders and runtimes', () => {
  it('answers 503 and sends nothing when a store answers claim() with something that is not a claim result', async () => {
    const store = createMemoryIdempotencyStore();
    const { handler, connect } = setup({ idempotency: { ...store, claim: async () => undefined as never } });
    expect(await answer(await handler.fetch(testRequest({ messages: [{ id: 'm1' }] })))).toMatchObject({ status: 503, code: 'IDEMPOTENCY_UNAVAILABLE' });
    expect(connect.attempts).toEqual([]);
  });

  it('releases the claim of a Sender whose send throws instead of rejecting, so the retry can send', async () => {
    const connect = recordingTransport();
    const good = senderOver(connect.transport);
    let fail = true;
    const sender = {
      send: (event: Parameters<typeof good.send>[0]) => {
        if (fail) throw new SendError('CONNECT_THROTTLED', 'thrown, not rejected');
        return good.send(event);
      },
    };
    const { handler } = setup({ sender });
    expect((await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }))).status).toBe(503);
    fail = false;
    expect((await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }))).status).toBe(200);
    expect(connect.contents()).toEqual(['text of m1']);
  });

  it('still answers 503 at the deadline when waitUntil throws', async () => {
    const { handler, connect } = setup({ deadlineMs: 50 });
    const held = connect.hold();
    const waitUntil = () => {
      throw new Error('not in a request context');
    };
    const response = await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }), { waitUntil });
    expect(response.status).toBe(503);
    held.release();
  });
});

describe('createWebhookHandler: idempotency keys', () => {
  it('keeps an id containing "#<n>" apart from part <n> of a split message', async () => {
    const { handler, connect } = setup();
    const words = Array.from({ length: 300 }, (_, i) => `w${i}`).join(' ');
    const parts = splitText(words, 1024);
    expect((await handler.fetch(testRequest({ messages: [{ id: 'order-7', text: words }] }))).status).toBe(200);
    const response = await answer(await handler.fetch(testRequest({ messages: [{ id: 'order-7#2', text: 'a different message' }] })));
    expect(response.json).toMatchObject({ sent: 1, duplicates: 0 });
    expect(connect.contents()).toEqual([...parts, 'a different message']);
  });

  it('refuses a message id over 255 characters with 400, before any claim or send', async () => {
    const claims: string[] = [];
    const store = createMemoryIdempotencyStore();
    const claim = (key: string, owner: string) => {
      claims.push(key);
      return store.claim(key, owner);
    };
    const { handler, connect } = setup({ idempotency: { ...store, claim } });
    expect((await handler.fetch(testRequest({ messages: [{ id: 'x'.repeat(255) }] }))).status).toBe(200);
    const response = await answer(await handler.fetch(testRequest({ messages: [{ id: 'fine' }, { id: 'y'.repeat(256) }] })));
    expect(response).toMatchObject({ status: 400, code: 'MALFORMED_PAYLOAD' });
    // Refused as a whole: not even the valid message before it was claimed or sent.
    expect(claims).toHaveLength(1);
    expect(connect.attempts).toHaveLength(1);
  });
});

describe('createWebhookHandler: one deadline per webhook', () => {
  it('answers 503 at the deadline, lets the send in flight finish, and the retry sends only what is missing', async () => {
    const { handler, connect } = setup({ deadlineMs: 200 });
    const words = Array.from({ length: 300 }, (_, i) => `w${i}`).join(' ');
    const parts = splitText(words, 1024);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    const delivery = { messages: [{ id: 'slow', text: words }] };
    const held = connect.hold();
    const started = performance.now();
    const first = await answer(await handler.fetch(testRequest(delivery)));
    expect(first).toMatchObject({ status: 503, code: 'DEADLINE_EXCEEDED' });
    expect(first.headers.get('retry-after')).toBe('5');
    expect(performance.now() - started).toBeLessThan(2_000);
    await held.started;
    // Still in flight: a retry must neither send it again nor skip it.
    expect(await answer(await handler.fetch(testRequest(delivery)))).toMatchObject({ status: 503, code: 'DUPLICATE_IN_FLIGHT' });
    held.release();
    await vi.waitFor(() => expect(connect.contents()).toEqual([parts[0]]));
    expect((await handler.fetch(testRequest(delivery))).status).toBe(200);
    expect(connect.contents()).toEqual(parts);
    expect(connect.attempts).toHaveLength(parts.length);
  });

  it('settled() waits for a send that outlived its webhook, and for its claim to be completed', async () => {
    const { handler, connect } = setup({ deadlineMs: 100 });
    const held = connect.hold();
    const delivery = { messages: [{ id: 'late', text: 'still going' }] };
    expect((await handler.fetch(testRequest(delivery))).status).toBe(503);
    await held.started;
    let settled = false;
    const settling = handler.settled!().then(() => {
      settled = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    held.release();
    await settling;
    expect(connect.contents()).toEqual(['still going']);
    // Settled means claimed and completed: the provider's retry is a duplicate at once.
    expect(await answer(await handler.fetch(testRequest(delivery)))).toMatchObject({ status: 200, json: { duplicates: 1 } });
  });

  it('settled() also waits for a request still being handled (its client may be gone)', async () => {
    const { handler, connect } = setup({ deadlineMs: 5_000 });
    const held = connect.hold();
    const answering = handler.fetch(testRequest({ messages: [{ id: 'cut', text: 'mid-send' }] }));
    await held.started;
    let settled = false;
    const settling = handler.settled!().then(() => {
      settled = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    held.release();
    await settling;
    expect((await answering).status).toBe(200);
    expect(connect.contents()).toEqual(['mid-send']);
  });

  it('shares the deadline across the messages of one delivery', async () => {
    const { handler, connect } = setup({ deadlineMs: 200 });
    const held = connect.hold();
    const delivery = {
      messages: [
        { id: 'a', text: 'one' },
        { id: 'b', text: 'two' },
      ],
    };
    expect((await handler.fetch(testRequest(delivery))).status).toBe(503);
    held.release();
    await vi.waitFor(() => expect(connect.contents()).toEqual(['one']));
    expect(connect.attempts).toHaveLength(1);
    expect(await answer(await handler.fetch(testRequest(delivery)))).toMatchObject({ status: 200, json: { sent: 1, duplicates: 1 } });
    expect(connect.contents()).toEqual(['one', 'two']);
  });

  it('refuses a deadline that is not a positive integer', () => {
    expect(() => setup({ deadlineMs: 0 })).toThrow('options.deadlineMs');
  });
});

describe('createWebhookHandler: hooks', () => {
  it('lets onMessage enrich a message or veto it', async () => {
    const { handler, connect } = setup({
      hooks: {
        onMessage: (message) => (message.text === 'STOP' ? false : { ...message, text: `[vip] ${message.text}` }),
      },
    });
    const response = await answer(
      await handler.fetch(
        testRequest({
          messages: [
            { id: 'm1', text: 'STOP' },
            { id: 'm2', text: 'hi' },
          ],
        }),
      ),
    );
    expect(response.json).toEqual({ status: 'ok', sent: 1, duplicates: 0, ignored: 1 });
    expect(connect.contents()).toEqual(['[vip] hi']);
  });

  it('reports a vetoed message to onIgnored', async () => {
    const recorded = recordingHooks();
    const { handler } = setup({ hooks: { ...recorded.hooks, onMessage: () => false } });
    await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }));
    expect(recorded.of('onIgnored')).toEqual([{ provider: 'test', reason: 'message m1 vetoed by the onMessage hook', raw: { id: 'm1' } }]);
  });

  it('answers 500 and sends nothing when onMessage throws; the retry is sent once the hook works', async () => {
    let broken = true;
    const errors: Array<{ error: ConnectChatError }> = [];
    const { handler, connect, logged } = setup({
      hooks: {
        onMessage: () => {
          if (broken) throw new Error('db unavailable');
          return undefined;
        },
        onError: (info) => void errors.push(info),
      },
    });
    const failed = await answer(await handler.fetch(testRequest({ messages: [{ id: 'm1' }] })));
    expect(failed).toMatchObject({ status: 500, code: 'INTERNAL' });
    // Like every other failure of a message, it reaches onError (with the hook's error as the cause).
    expect(errors.map(({ error }) => [error.code, (error.cause as Error).message])).toEqual([['INTERNAL', 'db unavailable']]);
    expect(failed.text).not.toContain('db unavailable');
    expect(connect.attempts).toEqual([]);
    expect(logged.some((entry) => entry.level === 'error' && entry.message.includes('onMessage'))).toBe(true);
    broken = false;
    expect((await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }))).status).toBe(200);
    expect(connect.accepted).toHaveLength(1);
  });

  it('keeps the outcome when an observer hook throws', async () => {
    const { handler, connect, logged } = setup({
      hooks: {
        onSent() {
          throw new Error('metrics down');
        },
      },
    });
    expect((await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }))).status).toBe(200);
    expect(connect.accepted).toHaveLength(1);
    expect(logged.some((entry) => entry.message.includes('onSent hook threw'))).toBe(true);
  });

  it('keeps the outcome when an async observer hook rejects, and logs it once it does', async () => {
    const { handler, connect, logged } = setup({
      hooks: {
        async onSent() {
          await Promise.resolve();
          throw new Error('metrics down');
        },
      },
    });
    expect((await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }))).status).toBe(200);
    expect(connect.accepted).toHaveLength(1);
    expect(logged.filter((entry) => entry.level === 'error' && entry.message.includes('onSent hook threw'))).toHaveLength(1);
  });

  it('hands waitUntil only hooks still at work when they return: a hook that returned nothing leaves nothing to wait for', async () => {
    const handed: Promise<unknown>[] = [];
    const seen: string[] = [];
    const { handler } = setup({
      hooks: {
        onSent: (info) => {
          seen.push(`sent ${info.message.id}`);
        },
        onOutcome: async (info) => {
          seen.push(`outcome ${info.outcome}`);
        },
      },
    });
    const response = await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }), { waitUntil: (promise) => handed.push(promise) });
    expect(response.status).toBe(200);
    expect(seen).toEqual(['sent m1', 'outcome sent']);
    expect(handed).toHaveLength(1);
  });

  it('calls hooks as methods of the hooks object', async () => {
    class Hooks {
      readonly seen: string[] = [];
      onSent(info: { message: InboundMessage }) {
        this.seen.push(info.message.id);
      }
    }
    const hooks = new Hooks();
    const { handler } = setup({ hooks });
    await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }));
    expect(hooks.seen).toEqual(['m1']);
  });

  it('hands observer hooks to waitUntil instead of holding the response', async () => {
    const handed: Promise<unknown>[] = [];
    let finishHook!: () => void;
    const hookDone = new Promise<void>((resolve) => {
      finishHook = resolve;
    });
    let hookFinished = false;
    const { handler } = setup({
      hooks: {
        async onSent() {
          await hookDone;
          hookFinished = true;
        },
      },
    });
    const response = await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }), { waitUntil: (promise) => handed.push(promise) });
    expect(response.status).toBe(200);
    expect(handed).toHaveLength(1);
    expect(hookFinished).toBe(false);
    finishHook();
    await handed[0];
    expect(hookFinished).toBe(true);
  });

  it('passes env from the adapter to the provider', async () => {
    const { handler, contexts } = setup();
    await handler.fetch(testRequest({ messages: [] }), { env: { TWILIO_AUTH_TOKEN: 'x' } });
    expect(contexts[0]!.env).toEqual({ TWILIO_AUTH_TOKEN: 'x' });
    expect(typeof contexts[0]!.fetch).toBe('function');
  });

  it("hands the request's signal to the provider, so outbound calls stop when the client goes away", async () => {
    const { handler, contexts } = setup();
    const client = new AbortController();
    const request = testRequest({ messages: [] });
    await handler.fetch(new Request(request, { signal: client.signal }));
    expect(contexts[0]!.signal?.aborted).toBe(false);
    client.abort();
    expect(contexts[0]!.signal?.aborted).toBe(true);
  });

  it("reads the request's signal only when the provider asks for it (a server may build it on first read)", async () => {
    const reads = { signal: 0 };
    const request = testRequest({ messages: [] });
    const inbound = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: await request.text(),
      get signal() {
        reads.signal++;
        return request.signal;
      },
    };
    const quiet = setup();
    expect((await quiet.handler.handle(inbound)).status).toBe(200);
    expect(reads.signal).toBe(0);
    const seen: Array<boolean | undefined> = [];
    const asking = setup({}, { verify: async (_request, context) => void seen.push(context.signal?.aborted) });
    expect((await asking.handler.handle(inbound)).status).toBe(200);
    expect({ reads: reads.signal, seen }).toEqual({ reads: 1, seen: [false] });
  });
});

describe('createWebhookHandler: onOutcome', () => {
  it('reports one outcome per message, with chat key and status, and one per refused request', async () => {
    const { handler, connect, hooks } = setup();
    connect.failContent('two', denied());
    await handler.fetch(testRequest({ messages: [{ id: 'm1', text: 'one' }] }));
    await handler.fetch(testRequest({ messages: [{ id: 'm1', text: 'one' }] }));
    await handler.fetch(testRequest({ messages: [{ id: 'm2', text: 'two' }] }));
    await handler.handle({ method: 'PUT', url: 'https://bridge.example/webhooks/test', headers: new Headers(), body: null });
    const outcomes = hooks.of<{ messageId?: string; outcome: string; status: number; code?: string; chatKey?: string; durationMs: number }>('onOutcome');
    expect(outcomes.map(({ messageId, outcome, status, code }) => ({ messageId, outcome, status, code }))).toEqual([
      { messageId: 'm1', outcome: 'sent', status: 200, code: undefined },
      { messageId: 'm1', outcome: 'duplicate', status: 200, code: undefined },
      { messageId: 'm2', outcome: 'failed', status: 422, code: 'CONNECT_ACCESS_DENIED' },
      { messageId: undefined, outcome: 'rejected', status: 405, code: 'METHOD_NOT_ALLOWED' },
    ]);
    expect(outcomes[0]!.chatKey).toBe(JSON.stringify(['+14255550182', destinationArn, 'connect:sms']));
    expect(outcomes.every((outcome) => outcome.durationMs >= 0)).toBe(true);
  });
});

describe('createWebhookHandler: options', () => {
  const { provider } = testProvider();
  const sender = senderOver(recordingTransport().transport);
  const base = { provider, sender, route: { destination: destinationArn } };
  const problem = (options: unknown) => {
    try {
      createWebhookHandler(options as WebhookHandlerOptions);
    } catch (error) {
      return ConnectChatError.is(error) && error.code === 'INVALID_OPTIONS' ? error.message : `unexpected ${String(error)}`;
    }
    return 'valid';
  };

  it('names the option that cannot work', () => {
    expect(problem(base)).toBe('valid');
    expect(problem(undefined)).toMatch(/^options: expected an object/);
    expect(problem({ ...base, provider: undefined })).toMatch(/^options\.provider: expected a Provider/);
    expect(problem({ ...base, provider: { ...provider, name: 'Bad Name' } })).toMatch(/^options\.provider\.name/);
    expect(problem({ ...base, provider: { ...provider, methods: [] } })).toMatch(/^options\.provider\.methods/);
    expect(problem({ ...base, provider: { ...provider, verify: undefined } })).toMatch(/^options\.provider\.verify: expected a function/);
    expect(problem({ ...base, sender: {} })).toMatch(/^options\.sender: expected a Sender/);
    expect(problem({ ...base, route: { destination: 42 } })).toMatch(/^options\.route\.destination/);
    expect(problem({ ...base, maxBodyBytes: 0 })).toMatch(/^options\.maxBodyBytes: expected a positive integer, got 0$/);
    expect(problem({ ...base, retryAfterSeconds: -1 })).toMatch(/^options\.retryAfterSeconds/);
    expect(problem({ ...base, idempotency: true })).toMatch(/^options\.idempotency/);
    expect(problem({ ...base, hooks: { onSent: 'yes' } })).toMatch(/^options\.hooks\.onSent: expected a function/);
    expect(problem({ ...base, logger: console.log })).toMatch(/^options\.logger/);
    expect(problem({ ...base, maxBodySize: 5 })).toMatch(/^options\.maxBodySize: unknown option/);
  });

  it('warns about a hook name that will never be called', () => {
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, warn: (message) => warnings.push(message), error() {} };
    createWebhookHandler({ ...base, logger, hooks: { onMesage: () => undefined } as never });
    expect(warnings.join()).toContain('options.hooks.onMesage');
  });
});

describe('createWebhookHandler: a secret function that fails', () => {
  const vaultDown = async (): Promise<string> => {
    throw new Error('vault unreachable');
  };

  it.each([
    [
      'twilio',
      () => createTwilioProvider({ authToken: vaultDown }),
      () =>
        createTwilioRequest({
          url: 'https://bridge.example/webhooks/twilio',
          authToken: 'token',
          params: twilioMessageParams({ from: '+14255550182', to: '+12125550101', body: 'hi' }),
        }),
    ],
    [
      'generic',
      () => createStandardWebhooksProvider({ secret: vaultDown }),
      () =>
        createStandardWebhookRequest({
          url: 'https://bridge.example/webhooks/generic',
          secret: generateStandardWebhookSecret(),
          payload: { type: 'message', from: '+14255550182', to: '+12125550101', text: 'hi' },
        }),
    ],
  ])('%s: answers 503 + Retry-After (VERIFICATION_UNAVAILABLE), never 500, and sends nothing', async (_name, provider, request) => {
    const connect = recordingTransport();
    const handler = createWebhookHandler({ provider: provider(), sender: senderOver(connect.transport), route: { destination: destinationArn } });
    const response = await answer(await handler.fetch(await request()));
    expect(response).toMatchObject({ status: 503, code: 'VERIFICATION_UNAVAILABLE' });
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.text).not.toContain('vault');
    expect(connect.attempts).toEqual([]);
  });
});

describe('createWebhookHandler: reserved contact attributes', () => {
  it('keeps channel and provider from the channel itself, whatever a signed generic body or the route says', async () => {
    const connect = recordingTransport();
    const secret = generateStandardWebhookSecret();
    const handler = createWebhookHandler({
      provider: createStandardWebhooksProvider({ secret }),
      sender: senderOver(connect.transport),
      route: { destination: destinationArn, session: { attributes: { provider: 'route-says', region: 'emea' } } },
    });
    const payload = {
      version: 1,
      type: 'message',
      from: '+14255550182',
      to: '+12125550101',
      text: 'hi',
      attributes: { channel: 'voice', provider: 'spoofed', tier: 'gold' },
    };
    const request = await createStandardWebhookRequest({ url: 'https://bridge.example/webhooks/generic', secret, payload });
    expect((await handler.fetch(request)).status).toBe(200);
    expect(connect.accepted[0]?.NewSessionDetails?.Attributes).toEqual({ channel: 'custom', provider: 'generic', region: 'emea', tier: 'gold' });
  });
});
