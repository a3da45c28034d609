// The cost of core's webhook path per message, each group against a baseline measured in the same
// run: figures on a shared machine are noisy, ratios within one run are not.
import {
  type ChatIntegrationEvent,
  type ChatTransport,
  createMemoryIdempotencyStore,
  createSender,
  createStandardWebhooksProvider,
  createTwilioProvider,
  createWebhookHandler,
  createWhatsAppProvider,
  type InboundRequest,
  type Provider,
  textMessage,
  validateChatIntegrationEvent,
  type WebhookHandler,
} from '@connect-chat/core';
import {
  createStandardWebhookRequest,
  createTwilioRequest,
  createWhatsAppRequest,
  generateStandardWebhookSecret,
  twilioMessageParams,
  whatsAppTextPayload,
} from '@connect-chat/core/testing';
import { bench, describe } from 'vitest';

// Fixed iteration counts rather than a time budget: every handler iteration consumes one request
// with a fresh message id, signed beforehand, so the pool must be sized exactly.
const ITERATIONS = 5_000;
const WARMUP = 500;
const byCount = { time: 0, iterations: ITERATIONS, warmupTime: 0, warmupIterations: WARMUP } as const;
const byTime = { time: 500, warmupTime: 100 } as const;

const destination = 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0';
const customer = '+14155550100';
const business = '+14155550199';
const text = 'Hi, I need help with my order #1234';
const encoder = new TextEncoder();

/**
 * A handler as production wires it (real provider, real sender, in-memory idempotency store),
 * with Connect's side of the network answering at once. Each request must reach Connect exactly
 * once: a duplicate, a refusal or a failure aborts the benchmark instead of timing a short cut.
 */
function bridge(provider: Provider) {
  let accepted = 0;
  const transport: ChatTransport = {
    async send() {
      accepted += 1;
      return { InitialContactId: 'c0ffee00-0000-4000-8000-000000000001', NewChatCreated: accepted === 1 };
    },
  };
  const handler: WebhookHandler = createWebhookHandler({
    provider,
    sender: createSender({ transport, rateLimit: false }),
    route: { destination },
    idempotency: createMemoryIdempotencyStore(),
  });
  return {
    async deliver(request: InboundRequest): Promise<void> {
      const before = accepted;
      const response = await handler.handle(request);
      if (response.status !== 200 || accepted !== before + 1) {
        throw new Error(`${provider.name}: expected 200 and one send, got ${response.status} and ${accepted - before}: ${response.body}`);
      }
    },
  };
}

/** Signed requests, one per iteration, built in the untimed setup of each phase. */
function requestPool(sign: () => Promise<Request>) {
  let pool: InboundRequest[] = [];
  let next = 0;
  return {
    async setup(_task: unknown, mode?: 'run' | 'warmup') {
      const size = mode === 'warmup' ? WARMUP : ITERATIONS;
      pool = await Promise.all(
        Array.from({ length: size }, async () => {
          const request = await sign();
          return { method: request.method, url: request.url, headers: request.headers, body: await request.text() };
        }),
      );
      next = 0;
    },
    take(): InboundRequest {
      const request = pool[next++];
      if (request === undefined) throw new Error(`request pool of ${pool.length} exhausted`);
      return request;
    },
  };
}

async function hmacKey(hash: 'SHA-1' | 'SHA-256', secret: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash }, false, ['sign']);
}

describe('Twilio SMS webhook, per message', async () => {
  const authToken = '7d4f2e6a1b3c5d7e9f0a2b4c6d8e0f1a';
  const url = 'https://bridge.example.com/webhooks/twilio';
  const twilio = bridge(createTwilioProvider({ authToken }));
  const requests = requestPool(() => createTwilioRequest({ url, authToken, params: twilioMessageParams({ from: customer, to: business, body: text }) }));
  // What Twilio signs: the URL followed by the sorted form fields.
  const params = twilioMessageParams({ from: customer, to: business, body: text });
  const signed = encoder.encode(
    url +
      Object.keys(params)
        .sort()
        .map((name) => name + params[name])
        .join(''),
  );
  const key = await hmacKey('SHA-1', encoder.encode(authToken));

  bench(
    'baseline: crypto.subtle HMAC-SHA1 of the signed form',
    async () => {
      await crypto.subtle.sign('HMAC', key, signed);
    },
    byCount,
  );

  bench(
    'createWebhookHandler + createTwilioProvider + createSender',
    async () => {
      await twilio.deliver(requests.take());
    },
    { ...byCount, setup: requests.setup },
  );
});

describe('WhatsApp Cloud API webhook, per message', async () => {
  const appSecret = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
  const whatsapp = bridge(createWhatsAppProvider({ appSecret, verifyToken: 'bench-verify-token' }));
  const requests = requestPool(() =>
    createWhatsAppRequest({ appSecret, payload: whatsAppTextPayload({ from: customer, to: business, text, profileName: 'Ana' }) }),
  );
  const body = encoder.encode(JSON.stringify(whatsAppTextPayload({ from: customer, to: business, text, profileName: 'Ana' })));
  const key = await hmacKey('SHA-256', encoder.encode(appSecret));

  bench(
    'baseline: crypto.subtle HMAC-SHA256 of the body',
    async () => {
      await crypto.subtle.sign('HMAC', key, body);
    },
    byCount,
  );

  bench(
    'createWebhookHandler + createWhatsAppProvider + createSender',
    async () => {
      await whatsapp.deliver(requests.take());
    },
    { ...byCount, setup: requests.setup },
  );
});

describe('Standard Webhooks (generic) webhook, per message', async () => {
  const secret = generateStandardWebhookSecret();
  const url = 'https://bridge.example.com/webhooks/generic';
  const payload = { version: 1, type: 'message', from: customer, to: business, text, displayName: 'Dana Scully' };
  const generic = bridge(createStandardWebhooksProvider({ secret }));
  const requests = requestPool(() => createStandardWebhookRequest({ url, secret, payload }));
  // What the specification signs: `${id}.${timestamp}.${body}` under the base64 part of the secret.
  const signed = encoder.encode(`msg_${crypto.randomUUID()}.${Math.floor(Date.now() / 1000)}.${JSON.stringify(payload)}`);
  const key = await hmacKey(
    'SHA-256',
    Uint8Array.from(atob(secret.slice('whsec_'.length)), (char) => char.charCodeAt(0)),
  );

  bench(
    'baseline: crypto.subtle HMAC-SHA256 of id.timestamp.body',
    async () => {
      await crypto.subtle.sign('HMAC', key, signed);
    },
    byCount,
  );

  bench(
    'createWebhookHandler + createStandardWebhooksProvider + createSender',
    async () => {
      await generic.deliver(requests.take());
    },
    { ...byCount, setup: requests.setup },
  );
});

describe('ChatIntegrationEvent validation', () => {
  // The event a routed SMS becomes when it opens a chat, as the handler sends it.
  const event: ChatIntegrationEvent = textMessage({ SourceId: customer, DestinationId: destination, Subtype: 'connect:sms' }, text, {
    newSession: { ParticipantDetails: { DisplayName: 'Dana Scully' }, Attributes: { channel: 'sms', provider: 'twilio' } },
  });
  if (validateChatIntegrationEvent(event).length !== 0) throw new Error('the benchmark event must be valid');

  bench(
    'baseline: JSON.stringify of the event',
    () => {
      JSON.stringify(event);
    },
    byTime,
  );

  bench(
    'validateChatIntegrationEvent',
    () => {
      if (validateChatIntegrationEvent(event).length !== 0) throw new Error('expected no issues');
    },
    byTime,
  );
});
