// Signed provider requests → the real handler → the real sender → the emulator over HTTP.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createStandardWebhookRequest,
  createTwilioRequest,
  createWhatsAppChallengeRequest,
  createWhatsAppRequest,
  twilioMessageParams,
  whatsAppStatusPayload,
  whatsAppTextPayload,
} from '@connect-chat/core/testing';
import { type Bridge, baseUrl, destinations, numbers, secrets, startBridge, topicArn } from './support/bridge.ts';

let env: Bridge;
beforeEach(async () => {
  env = await startBridge();
});
afterEach(async () => {
  await env.close();
});

const twilioUrl = `${baseUrl}/webhooks/twilio`;

function twilioSms(body: string, messageSid?: string) {
  return createTwilioRequest({
    url: twilioUrl,
    authToken: secrets.twilioAuthToken,
    params: twilioMessageParams({ from: numbers.customer, to: numbers.sms, body, ...(messageSid && { messageSid }) }),
  });
}

describe('each provider end to end', () => {
  it('Amazon SNS carrying an End User Messaging SMS', async () => {
    const sms = env.signer.endUserMessagingSms({ from: numbers.customer, to: numbers.sms, text: 'Where is my order?', id: 'inbound-1' });
    const envelope = await env.signer.notification({ topicArn, message: sms });
    const response = await env.bridge.handler('sns').fetch(env.signer.request(envelope, { url: `${baseUrl}/webhooks/sns` }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', sent: 1, duplicates: 0, ignored: 0 });
    const chat = env.chat(numbers.customer, destinations.sms, 'connect:sms');
    expect(chat.transcript.map((item) => [item.type, item.contentType, item.content])).toEqual([['MESSAGE', 'text/plain', 'Where is my order?']]);
    expect(chat.newSessionDetails).toEqual({
      SupportedMessagingContentTypes: ['text/plain'],
      ParticipantDetails: { DisplayName: numbers.customer },
      Attributes: { channel: 'sms', provider: 'sns', bridge: 'e2e' },
    });
  });

  it('Twilio SMS, answered with empty TwiML', async () => {
    const response = await env.bridge.handler('twilio').fetch(await twilioSms('Hello from Twilio'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/xml/);
    expect(await response.text()).toMatch(/<Response\s*(\/>|><\/Response>)\s*$/);
    const chat = env.chat(numbers.customer, destinations.sms, 'connect:sms');
    expect(chat.transcript.map((item) => item.content)).toEqual(['Hello from Twilio']);
    expect(chat.newSessionDetails?.Attributes).toEqual({ channel: 'sms', provider: 'twilio', bridge: 'e2e' });
  });

  it('Twilio WhatsApp, with the profile name as DisplayName', async () => {
    const request = await createTwilioRequest({
      url: twilioUrl,
      authToken: secrets.twilioAuthToken,
      params: twilioMessageParams({ from: numbers.whatsappCustomer, to: numbers.whatsapp, body: 'Olá', whatsapp: true, profileName: 'Ana' }),
    });
    expect((await env.bridge.handler('twilio').fetch(request)).status).toBe(200);
    const chat = env.chat(numbers.whatsappCustomer, destinations.whatsapp, 'connect:WhatsApp');
    expect(chat.transcript.map((item) => item.content)).toEqual(['Olá']);
    expect(chat.newSessionDetails?.ParticipantDetails).toEqual({ DisplayName: 'Ana' });
    expect(chat.newSessionDetails?.Attributes).toMatchObject({ channel: 'whatsapp', provider: 'twilio' });
  });

  it('Meta WhatsApp Cloud API, signed over escaped unicode, and its GET challenge', async () => {
    const payload = whatsAppTextPayload({ from: numbers.whatsappCustomer, to: numbers.whatsapp, text: 'Hallo äöå 👋', profileName: 'Sheena Nelson' });
    const request = await createWhatsAppRequest({ url: `${baseUrl}/webhooks/whatsapp`, appSecret: secrets.whatsappAppSecret, payload, escapeUnicode: true });
    expect((await env.bridge.handler('whatsapp').fetch(request)).status).toBe(200);
    const chat = env.chat(numbers.whatsappCustomer, destinations.whatsapp, 'connect:WhatsApp');
    expect(chat.transcript.map((item) => item.content)).toEqual(['Hallo äöå 👋']);
    expect(chat.newSessionDetails?.ParticipantDetails).toEqual({ DisplayName: 'Sheena Nelson' });
    expect(chat.newSessionDetails?.Attributes).toEqual({ channel: 'whatsapp', provider: 'whatsapp', bridge: 'e2e' });

    const challenge = createWhatsAppChallengeRequest({
      url: `${baseUrl}/webhooks/whatsapp`,
      verifyToken: secrets.whatsappVerifyToken,
      challenge: '1158201444',
    });
    const answer = await env.bridge.handler('whatsapp').fetch(challenge);
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('1158201444');
    const wrongToken = createWhatsAppChallengeRequest({ url: `${baseUrl}/webhooks/whatsapp`, verifyToken: 'guess', challenge: '1' });
    expect((await env.bridge.handler('whatsapp').fetch(wrongToken)).status).toBe(403);
  });

  it('Standard Webhooks (generic) with routing hints from a verified sender', async () => {
    const request = await createStandardWebhookRequest({
      url: `${baseUrl}/webhooks/generic`,
      secret: secrets.standardWebhooks,
      id: 'msg_e2e_1',
      payload: {
        version: 1,
        type: 'message',
        from: numbers.customer,
        to: numbers.sms,
        text: 'From my own app',
        displayName: 'Web user',
        attributes: { plan: 'pro' },
      },
    });
    expect((await env.bridge.handler('generic').fetch(request)).status).toBe(200);
    const chat = env.chat(numbers.customer, destinations.sms, 'connect:sms');
    expect(chat.transcript.map((item) => item.content)).toEqual(['From my own app']);
    expect(chat.newSessionDetails?.ParticipantDetails).toEqual({ DisplayName: 'Web user' });
    expect(chat.newSessionDetails?.Attributes).toEqual({ channel: 'custom', provider: 'generic', bridge: 'e2e', plan: 'pro' });
  });
});

describe('delivery semantics end to end', () => {
  it('sends a duplicate delivery once', async () => {
    const first = await env.bridge.handler('twilio').fetch(await twilioSms('only once', 'SM00000000000000000000000000000001'));
    const again = await env.bridge.handler('twilio').fetch(await twilioSms('only once', 'SM00000000000000000000000000000001'));
    expect([first.status, again.status]).toEqual([200, 200]);
    const sms = env.signer.endUserMessagingSms({ from: numbers.customer, to: numbers.sms, text: 'sns once', id: 'inbound-dup' });
    const envelope = await env.signer.notification({ topicArn, message: sms });
    for (let i = 0; i < 3; i++) {
      expect((await env.bridge.handler('sns').fetch(env.signer.request(envelope, { url: `${baseUrl}/webhooks/sns` }))).status).toBe(200);
    }
    expect(env.messages()).toEqual(['only once', 'sns once']);
  });

  it('sends several WhatsApp messages of one POST in order', async () => {
    const texts = ['first', 'second', 'third', 'fourth'];
    const payloads = texts.map((text) => whatsAppTextPayload({ from: numbers.whatsappCustomer, to: numbers.whatsapp, text }));
    const combined = payloads[0]!;
    const value = combined.entry[0]!.changes[0]!.value as { messages: unknown[] };
    value.messages = payloads.flatMap((p) => (p.entry[0]!.changes[0]!.value as { messages: unknown[] }).messages);
    const request = await createWhatsAppRequest({ url: `${baseUrl}/webhooks/whatsapp`, appSecret: secrets.whatsappAppSecret, payload: combined });
    const response = await env.bridge.handler('whatsapp').fetch(request);
    expect(await response.json()).toEqual({ status: 'ok', sent: 4, duplicates: 0, ignored: 0 });
    expect(env.chat(numbers.whatsappCustomer, destinations.whatsapp, 'connect:WhatsApp').transcript.map((item) => item.content)).toEqual(texts);
  });

  it('answers a WhatsApp status callback 200 without sending, and reports it', async () => {
    const payload = whatsAppStatusPayload({ to: numbers.whatsapp, recipient: numbers.whatsappCustomer, status: 'delivered' });
    const response = await env.bridge.handler('whatsapp').fetch(await createWhatsAppRequest({ appSecret: secrets.whatsappAppSecret, payload }));
    expect(await response.json()).toMatchObject({ sent: 0, ignored: 1 });
    expect(env.emulator.chats()).toEqual([]);
    expect(env.ignored).toHaveLength(1);
  });

  it('splits long text into ordered parts of at most 1,024 characters', async () => {
    const words = Array.from({ length: 700 }, (_, i) => `word${i}`);
    const text = words.join(' ');
    expect(text.length).toBeGreaterThan(3 * 1024);
    expect((await env.bridge.handler('twilio').fetch(await twilioSms(text))).status).toBe(200);
    const parts = env.chat(numbers.customer, destinations.sms, 'connect:sms').transcript.map((item) => item.content ?? '');
    expect(parts.length).toBeGreaterThanOrEqual(4);
    for (const part of parts) expect(Array.from(part).length).toBeLessThanOrEqual(1024);
    expect(parts.join(' ')).toBe(text);
  });

  it('confirms an SNS subscription for an allowed topic, sending nothing to Connect', async () => {
    const envelope = await env.signer.subscriptionConfirmation({ topicArn });
    const response = await env.bridge.handler('sns').fetch(env.signer.request(envelope, { url: `${baseUrl}/webhooks/sns` }));
    expect(response.status).toBe(200);
    expect(env.signer.confirmedSubscriptions).toEqual([envelope.SubscribeURL]);
    expect(env.emulator.chats()).toEqual([]);

    const foreign = await env.signer.subscriptionConfirmation({ topicArn: 'arn:aws:sns:us-east-1:111122223333:someone-else' });
    const refused = await env.bridge.handler('sns').fetch(env.signer.request(foreign, { url: `${baseUrl}/webhooks/sns` }));
    expect(refused.status).toBe(403);
    expect(env.signer.confirmedSubscriptions).toHaveLength(1);
  });
});

describe('behind a real Node HTTP server', () => {
  it('reads the raw request stream, answers over the wire, and refuses an oversized body with 413', async () => {
    // The smallest adapter there is: the public URL the provider signed, header lookup, the request stream.
    const server = createServer((req, res) => {
      const handler = env.bridge.match(new URL(req.url ?? '/', baseUrl).pathname);
      if (!handler) return void res.writeHead(404).end();
      const headers = {
        get: (name: string) =>
          [req.headers[name.toLowerCase()]]
            .flat()
            .filter((v) => v !== undefined)
            .join(', ') || null,
      };
      void handler.handle({ method: req.method ?? 'GET', url: `${baseUrl}${req.url}`, headers, body: req }).then((response) => {
        res.writeHead(response.status, response.headers).end(response.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const signed = await twilioSms('over the wire');
      const response = await fetch(`${origin}/webhooks/twilio`, { method: 'POST', headers: signed.headers, body: await signed.text() });
      expect(response.status).toBe(200);
      expect(env.messages()).toEqual(['over the wire']);

      const huge = await fetch(`${origin}/webhooks/twilio`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `Body=${'x'.repeat(2 * 1024 * 1024)}`,
      });
      expect(huge.status).toBe(413);
      expect((await huge.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(env.messages()).toEqual(['over the wire']);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
