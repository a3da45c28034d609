import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SignatureError } from '../../errors/signature-error.ts';
import { silentLogger } from '../../logger.ts';
import { createStandardWebhookRequest, generateStandardWebhookSecret, signStandardWebhook } from '../../testing/standard-webhooks.ts';
import type { InboundMessage } from '../../model/inbound-message.ts';
import type { ProviderContext } from '../types.ts';
import { createStandardWebhooksProvider } from './standard-webhooks-provider.ts';
import { received, rejection } from '../../../test/support/provider-requests.ts';

const context: ProviderContext = { logger: silentLogger, fetch };
const URL_ = 'https://bridge.example.com/webhooks/generic';
// The Standard Webhooks specification's published test vector.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const SECRET = generateStandardWebhookSecret();
const provider = createStandardWebhooksProvider({ secret: SECRET });

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
}

async function parsed(payload: unknown, options: { id?: string; timestamp?: number } = {}): Promise<InboundMessage> {
  const request = await received(await createStandardWebhookRequest({ url: URL_, secret: SECRET, payload, ...options }));
  await provider.verify(request, context);
  const result = await provider.parse(request, context);
  if (result.kind !== 'messages') throw new Error('expected messages');
  expect(result.ignored).toEqual([]);
  expect(result.messages).toHaveLength(1);
  return result.messages[0]!;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createStandardWebhooksProvider: verify', () => {
  it('reproduces and accepts the specification’s test vector', async () => {
    expect(await signStandardWebhook({ secret: VECTOR.secret, id: VECTOR.id, timestamp: VECTOR.timestamp, body: VECTOR.body })).toBe(VECTOR.signature);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(VECTOR.timestamp * 1000 + 10_000);
    const request = new Request(URL_, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': VECTOR.id,
        'webhook-timestamp': String(VECTOR.timestamp),
        'webhook-signature': VECTOR.signature,
      },
      body: VECTOR.body,
    });
    const vectorProvider = createStandardWebhooksProvider({ secret: VECTOR.secret });
    await expect(vectorProvider.verify(await received(request), context)).resolves.toBeUndefined();
  });

  it('accepts a valid request and refuses a tampered body', async () => {
    const request = await createStandardWebhookRequest({ url: URL_, secret: SECRET, payload: fixture('message') });
    await expect(provider.verify(await received(request), context)).resolves.toBeUndefined();
    const tampered = new Request(request.clone(), { body: JSON.stringify({ ...fixture('message'), text: 'changed' }) });
    const error = await rejection(provider.verify(await received(tampered), context));
    expect(error).toBeInstanceOf(SignatureError);
    expect(error.message).toBe('webhook-signature does not match any configured secret');
  });

  it('accepts any signature and any secret during rotation, ignoring other versions', async () => {
    const oldSecret = generateStandardWebhookSecret();
    const newSecret = generateStandardWebhookSecret();
    const twoSignatures = await createStandardWebhookRequest({ url: URL_, secret: [generateStandardWebhookSecret(), oldSecret], payload: fixture('typing') });
    expect(twoSignatures.headers.get('webhook-signature')?.split(' ')).toHaveLength(2);
    const rotating = createStandardWebhooksProvider({ secret: [newSecret, oldSecret] });
    await expect(rotating.verify(await received(twoSignatures), context)).resolves.toBeUndefined();

    const signedWithNew = await createStandardWebhookRequest({ url: URL_, secret: newSecret, payload: fixture('typing') });
    const headers = new Headers(signedWithNew.headers);
    headers.set('webhook-signature', `v2,${'A'.repeat(44)} ${headers.get('webhook-signature')}`);
    await expect(rotating.verify({ ...(await received(signedWithNew)), headers }, context)).resolves.toBeUndefined();

    // Two webhook-signature headers merged by a proxy or by Node: "v1,<a>, v1,<b>".
    const merged = new Headers(signedWithNew.headers);
    merged.set('webhook-signature', `v1,${'A'.repeat(44)}, ${signedWithNew.headers.get('webhook-signature')}`);
    await expect(rotating.verify({ ...(await received(signedWithNew)), headers: merged }, context)).resolves.toBeUndefined();
    merged.set('webhook-signature', `${signedWithNew.headers.get('webhook-signature')}, v1,${'A'.repeat(44)}`);
    await expect(rotating.verify({ ...(await received(signedWithNew)), headers: merged }, context)).resolves.toBeUndefined();

    const fromEnv = createStandardWebhooksProvider({ secret: ({ env }) => String(env?.SECRET) });
    await expect(fromEnv.verify(await received(signedWithNew), { ...context, env: { SECRET: newSecret } })).resolves.toBeUndefined();
    expect((await rejection(fromEnv.verify(await received(signedWithNew), { ...context, env: { SECRET: 'nope' } }))).code).toBe('INVALID_OPTIONS');
  });

  it('refuses timestamps outside the tolerance, past or future', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_750_000_000_000);
    const now = 1_750_000_000;
    for (const [timestamp, words] of [
      [now - 400, 'webhook-timestamp is 400 s in the past, outside the 300 s tolerance'],
      [now + 400, 'webhook-timestamp is 400 s in the future, outside the 300 s tolerance'],
    ] as const) {
      const request = await createStandardWebhookRequest({ url: URL_, secret: SECRET, payload: fixture('typing'), timestamp });
      const error = await rejection(provider.verify(await received(request), context));
      expect(error).toBeInstanceOf(SignatureError);
      expect(error.message).toBe(words);
    }
    const lenient = createStandardWebhooksProvider({ secret: SECRET, toleranceSeconds: 600 });
    const within = await createStandardWebhookRequest({ url: URL_, secret: SECRET, payload: fixture('typing'), timestamp: now - 400 });
    await expect(lenient.verify(await received(within), context)).resolves.toBeUndefined();
    const edge = await createStandardWebhookRequest({ url: URL_, secret: SECRET, payload: fixture('typing'), timestamp: now + 300 });
    await expect(provider.verify(await received(edge), context)).resolves.toBeUndefined();
  });

  it('refuses missing headers and signatures without a v1 entry', async () => {
    const request = await received(await createStandardWebhookRequest({ url: URL_, secret: SECRET, payload: fixture('typing') }));
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const headers = new Headers(request.headers as Headers);
      headers.delete(name);
      const error = await rejection(provider.verify({ ...request, headers }, context));
      expect([error.code, error.message]).toEqual(['SIGNATURE_INVALID', `missing ${name} header`]);
    }
    const headers = new Headers(request.headers as Headers);
    headers.set('webhook-signature', 'v1a,abc v2,def');
    expect((await rejection(provider.verify({ ...request, headers }, context))).message).toBe('webhook-signature has no v1 signature');
    headers.set('webhook-timestamp', 'yesterday');
    expect((await rejection(provider.verify({ ...request, headers }, context))).message).toBe('webhook-timestamp is not a unix time in seconds');
  });

  it('property: a flipped byte in the body, id or signature never verifies', async () => {
    const request = await received(await createStandardWebhookRequest({ url: URL_, secret: SECRET, payload: fixture('message') }));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('body', 'webhook-id', 'webhook-signature'),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (target, position, mask) => {
          if (target === 'body') {
            const body = request.body.slice();
            body[position % body.length]! ^= mask;
            await expect(provider.verify({ ...request, body, text: new TextDecoder().decode(body) }, context)).rejects.toThrow(SignatureError);
            return;
          }
          const value = request.headers.get(target)!;
          const index = position % value.length;
          const headers = new Headers(request.headers as Headers);
          try {
            headers.set(target, value.slice(0, index) + String.fromCharCode(value.charCodeAt(index) ^ mask) + value.slice(index + 1));
          } catch {
            return; // not a legal header value: it cannot arrive
          }
          await expect(provider.verify({ ...request, headers }, context)).rejects.toThrow(SignatureError);
        },
      ),
    );
  });
});

describe('createStandardWebhooksProvider: parse (schema version 1)', () => {
  it('reads a message with media, hints and the webhook-id as id', async () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const message = await parsed(fixture('message'), { id: 'msg_2x1', timestamp });
    expect(message).toEqual({
      provider: 'generic',
      id: 'msg_2x1',
      channel: 'sms',
      kind: 'message',
      from: '+14155550100',
      to: '+14155550199',
      text: 'Hello from our app',
      media: [{ url: 'https://files.example.com/receipts/4711.pdf', contentType: 'application/pdf', caption: 'receipt' }],
      profileName: 'Dana Scully',
      timestamp: new Date(timestamp * 1000).toISOString(),
      hints: { destinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0', attributes: { customerTier: 'gold' } },
      raw: fixture('message'),
    });
  });

  it('defaults the channel to custom and carries a subtype hint', async () => {
    const message = await parsed(fixture('custom-channel'));
    expect(message).toMatchObject({ channel: 'custom', from: 'user-8812', to: 'support-portal', hints: { subtype: 'connect:Guide' } });
  });

  it.each([
    ['typing', undefined],
    ['delivered', '3f1c9b0e-27d4-4c39-9f5b-4a7e0c1d2b3a'],
    ['read', '3f1c9b0e-27d4-4c39-9f5b-4a7e0c1d2b3a'],
    ['disconnect', undefined],
  ] as const)('reads type %s', async (type, receiptFor) => {
    const message = await parsed(fixture(type));
    expect(message.kind).toBe(type);
    expect(message.receiptFor).toBe(receiptFor);
    expect(message.text).toBeUndefined();
    expect(message.media).toEqual([]);
  });

  it.each([
    [{ type: 'message', from: 'a', to: 'b', text: 'x' }, 'version: missing; supported versions: 1'],
    [{ version: 2, type: 'message', from: 'a', to: 'b', text: 'x' }, 'version: unsupported version 2; supported versions: 1'],
    [{ version: '1', type: 'message', from: 'a', to: 'b', text: 'x' }, 'version: unsupported version "1"; supported versions: 1'],
    [[], 'body: expected a JSON object, got an array'],
    [{ version: 1, type: 'sms', from: 'a', to: 'b' }, 'type: expected one of "message", "typing", "delivered", "read", "disconnect", got "sms"'],
    [{ version: 1, type: 'message', to: 'b', text: 'x' }, 'from: required'],
    [{ version: 1, type: 'message', from: '', to: 'b', text: 'x' }, 'from: expected a non-empty string, got an empty string'],
    [{ version: 1, type: 'message', from: 'a', to: 'b' }, 'text: a message needs text, media or both'],
    [{ version: 1, type: 'typing', from: 'a', to: 'b', text: 'x' }, 'text: only allowed when type is "message", not "typing"'],
    [{ version: 1, type: 'read', from: 'a', to: 'b' }, 'receiptFor: required when type is "read": the id of the message the receipt is about'],
    [
      { version: 1, type: 'message', from: 'a', to: 'b', text: 'x', receiptFor: 'm' },
      'receiptFor: only allowed when type is "delivered" or "read", not "message"',
    ],
    [{ version: 1, type: 'message', from: 'a', to: 'b', media: [] }, 'text: a message needs text, media or both'],
    [{ version: 1, type: 'message', from: 'a', to: 'b', media: [{ url: 'ftp://x/y' }] }, 'media[0].url: expected an absolute http(s) URL'],
    [
      { version: 1, type: 'message', from: 'a', to: 'b', media: [{ href: 'https://x/y' }] },
      'media[0]["href"]: unknown field; media fields are url, contentType, caption; media[0].url: required',
    ],
    [{ version: 1, type: 'message', from: 'a', to: 'b', text: 'x', channel: 'email' }, 'channel: expected one of "sms", "whatsapp", "custom", got "email"'],
    [{ version: 1, type: 'message', from: 'a', to: 'b', text: 'x', attributes: { tier: 1 } }, 'attributes.tier: expected a string, got number'],
    [
      { version: 1, type: 'message', from: 'a', to: 'b', text: 'x', attributes: { 'a b': 'c' } },
      'attributes["a b"]: keys may hold only letters, digits, "_" and "-"',
    ],
    [
      { version: 1, type: 'message', from: 'a', to: 'b', Text: 'x' },
      expect.stringMatching(/^"Text": unknown field; version 1 fields are version, type, from, to, text, .*; text: a message needs text, media or both$/),
    ],
  ])('refuses %j with the field path', async (payload, message) => {
    const request = await received(await createStandardWebhookRequest({ url: URL_, secret: SECRET, payload }));
    await provider.verify(request, context);
    const error = await rejection(provider.parse(request, context));
    expect(error.code).toBe('MALFORMED_PAYLOAD');
    expect(error.status).toBe(400);
    expect(error.message).toEqual(message);
  });
});

describe('createStandardWebhooksProvider: options', () => {
  it('refuses secrets that are not whsec_<base64> of at least 24 bytes, without echoing them', () => {
    expect(() => createStandardWebhooksProvider({ secret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })).toThrow(
      'secret: expected "whsec_" followed by standard base64, got a string that is not',
    );
    expect(() => createStandardWebhooksProvider({ secret: [SECRET, 'whsec_c2hvcnQ='] })).toThrow(
      'secret[1]: expected a key of at least 24 bytes after "whsec_", got 5',
    );
    expect(() => createStandardWebhooksProvider({ secret: SECRET, toleranceSeconds: 0 })).toThrow(
      'toleranceSeconds: expected a positive number of seconds, got 0',
    );
    expect(createStandardWebhooksProvider({ secret: SECRET })).toMatchObject({
      name: 'generic',
      methods: ['POST'],
      contentTypes: { POST: ['application/json'] },
    });
  });
});
