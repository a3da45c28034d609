// Whatever arrives, a webhook that was not verified never answers 2xx, never 5xx, never rejects,
// and never sends. Runs the four real providers against the real sender and the emulator.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeaderLookup, InboundRequest, OutboundResponse } from '@connect-chat/core';
import { createStandardWebhookRequest, createTwilioRequest, createWhatsAppRequest, twilioMessageParams, whatsAppTextPayload } from '@connect-chat/core/testing';
import { type Bridge, baseUrl, numbers, secrets, startBridge, topicArn } from './support/bridge.ts';

let env: Bridge;
let sent = 0;
const valid: Record<string, { body: Uint8Array; headers: Record<string, string>; url: string }> = {};

beforeAll(async () => {
  env = await startBridge({
    hooks: {
      onSent: () => {
        sent++;
      },
    },
  });
  // One genuine signed delivery per provider: the source of truncated bodies and replayed signatures.
  const sms = env.signer.endUserMessagingSms({ from: numbers.customer, to: numbers.sms, text: 'genuine' });
  const requests: Record<string, Request> = {
    sns: env.signer.request(await env.signer.notification({ topicArn, message: sms }), { url: `${baseUrl}/webhooks/sns` }),
    twilio: await createTwilioRequest({
      url: `${baseUrl}/webhooks/twilio`,
      authToken: secrets.twilioAuthToken,
      params: twilioMessageParams({ from: numbers.customer, to: numbers.sms, body: 'genuine' }),
    }),
    whatsapp: await createWhatsAppRequest({
      url: `${baseUrl}/webhooks/whatsapp`,
      appSecret: secrets.whatsappAppSecret,
      payload: whatsAppTextPayload({ from: numbers.whatsappCustomer, to: numbers.whatsapp, text: 'genuine' }),
    }),
    generic: await createStandardWebhookRequest({
      url: `${baseUrl}/webhooks/generic`,
      secret: secrets.standardWebhooks,
      payload: { version: 1, type: 'message', from: numbers.customer, to: numbers.sms, text: 'genuine' },
    }),
  };
  for (const [name, request] of Object.entries(requests)) {
    valid[name] = { body: new Uint8Array(await request.arrayBuffer()), headers: Object.fromEntries(request.headers), url: request.url };
  }
});

afterAll(async () => {
  await env.close();
});

/** Headers as an adapter may hand them over: any names, any values (not only what `Headers` allows). */
function headerLookup(headers: Record<string, string>): HeaderLookup {
  const map = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { get: (name) => map.get(name.toLowerCase()) ?? null };
}

const signatureHeaderNames = [
  'content-type',
  'x-twilio-signature',
  'x-hub-signature-256',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'x-amz-sns-message-type',
  'x-amz-sns-topic-arn',
  'x-amz-sns-rawdelivery',
  'content-length',
];

const headerValue = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constantFrom(
    'application/json',
    'application/x-www-form-urlencoded',
    'text/plain; charset=UTF-8',
    'Notification',
    'SubscriptionConfirmation',
    'true',
    '0',
    '-1',
    '99999999999',
    String(Math.floor(Date.now() / 1000)),
    'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
    topicArn,
  ),
  fc.uint8Array({ minLength: 20, maxLength: 32 }).map((bytes) => `sha256=${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => `v1,${btoa(String.fromCharCode(...bytes))}`),
  fc.uint8Array({ minLength: 20, maxLength: 20 }).map((bytes) => btoa(String.fromCharCode(...bytes))),
);

const randomHeaders = fc.dictionary(fc.constantFrom(...signatureHeaderNames), headerValue, { maxKeys: signatureHeaderNames.length });

const method = fc.oneof(
  { weight: 6, arbitrary: fc.constant('POST') },
  { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'HEAD', 'OPTIONS', 'DELETE', 'post', '') },
);

const query = fc.oneof(
  fc.constant(''),
  fc
    .dictionary(
      fc.constantFrom('hub.mode', 'hub.verify_token', 'hub.challenge', 'bodySHA256', 'foo'),
      fc.oneof(fc.string({ maxLength: 20 }), fc.constant('subscribe')),
    )
    .map((params) => `?${new URLSearchParams(params)}`),
);

const randomBody = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }),
  fc.json({ maxDepth: 3 }).map((json) => new TextEncoder().encode(json)),
  fc.string({ maxLength: 512, unit: 'grapheme' }).map((text) => new TextEncoder().encode(text)),
  fc
    .constantFrom(
      '{}',
      '[]',
      'null',
      '{"Type":"Notification"}',
      'Body=hi&From=%2B1&To=%2B1&MessageSid=SM1',
      '{"object":"whatsapp_business_account","entry":[]}',
    )
    .map((text) => new TextEncoder().encode(text)),
);

const providers = ['sns', 'twilio', 'whatsapp', 'generic'] as const;

async function expectRefusedWithoutSending(request: InboundRequest, provider: string): Promise<OutboundResponse> {
  const response = await env.bridge.handler(provider).handle(request);
  if (response.status < 400 || response.status >= 500) {
    throw new Error(`${provider} answered ${response.status} ${response.body} to ${request.method} ${request.url}`);
  }
  expect(() => JSON.parse(response.body)).not.toThrow();
  return response;
}

describe.each(providers)('%s provider under hostile input', (provider) => {
  const runs = { numRuns: 150 };

  it('refuses arbitrary bytes with random headers, methods and queries with a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(method, query, randomHeaders, randomBody, async (verb, search, headers, body) => {
        await expectRefusedWithoutSending({ method: verb, url: `${baseUrl}/webhooks/${provider}${search}`, headers: headerLookup(headers), body }, provider);
      }),
      runs,
    );
  });

  it('refuses a genuine delivery cut short, with its genuine headers', async () => {
    const genuine = valid[provider]!;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: genuine.body.byteLength - 1 }), async (length) => {
        await expectRefusedWithoutSending(
          { method: 'POST', url: genuine.url, headers: headerLookup(genuine.headers), body: genuine.body.slice(0, length) },
          provider,
        );
      }),
      runs,
    );
  });
});

// SNS signs inside the body and its headers carry nothing verified: a genuine SNS body is a
// genuine delivery whatever the headers say. The other three sign in a header.
describe.each(['twilio', 'whatsapp', 'generic'] as const)('%s provider with its signature header damaged', (provider) => {
  it('refuses a genuine body under random headers, or with another provider signature replayed', async () => {
    const genuine = valid[provider]!;
    const replayed = fc.constantFrom(...providers.filter((p) => p !== provider)).map((other) => valid[other]!.headers);
    await fc.assert(
      fc.asyncProperty(fc.oneof(randomHeaders, replayed), async (headers) => {
        await expectRefusedWithoutSending({ method: 'POST', url: genuine.url, headers: headerLookup(headers), body: genuine.body }, provider);
      }),
      { numRuns: 150 },
    );
  });
});

describe('after every hostile request', () => {
  it('nothing was sent: no onSent, and the emulator recorded no chat', () => {
    expect(sent).toBe(0);
    expect(env.emulator.chats()).toEqual([]);
  });
});

describe('the genuine deliveries themselves', () => {
  it('are accepted, so the refusals above are about the damage', async () => {
    for (const provider of providers) {
      const genuine = valid[provider]!;
      const response = await env.bridge
        .handler(provider)
        .handle({ method: 'POST', url: genuine.url, headers: headerLookup(genuine.headers), body: genuine.body });
      expect(response.status, provider).toBe(200);
    }
    expect(sent).toBe(4);
  });
});
