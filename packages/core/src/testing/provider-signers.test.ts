import { createStandardWebhooksProvider, createTwilioProvider, createWhatsAppProvider, silentLogger } from '@connect-chat/core';
import {
  createStandardWebhookRequest,
  createTwilioRequest,
  createWhatsAppChallengeRequest,
  createWhatsAppRequest,
  generateStandardWebhookSecret,
  twilioMessageParams,
  whatsAppTextPayload,
} from '@connect-chat/core/testing';
import { describe, expect, it } from 'vitest';
import { received } from '../../test/support/provider-requests.ts';

const context = { logger: silentLogger, fetch };

describe('test signers, through the published entry points', () => {
  it('createTwilioRequest posts realistic form fields that the Twilio provider accepts', async () => {
    const params = twilioMessageParams({ from: '+14155550100', to: '+14155550199', body: 'Hi there', whatsapp: true, profileName: 'Ana' });
    expect(params).toMatchObject({ From: 'whatsapp:+14155550100', To: 'whatsapp:+14155550199', SmsStatus: 'received', WaId: '14155550100' });
    expect(params.MessageSid).toMatch(/^SM[0-9a-f]{32}$/);
    const request = await createTwilioRequest({ url: 'https://bridge.example.com/webhooks/twilio', authToken: 'tok', params });
    expect(request.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    const req = await received(request);
    const provider = createTwilioProvider({ authToken: 'tok' });
    await provider.verify(req, context);
    expect(await provider.parse(req, context)).toMatchObject({ kind: 'messages', messages: [{ id: params.MessageSid, text: 'Hi there', profileName: 'Ana' }] });
  });

  it('createTwilioRequest refuses both params and json', async () => {
    await expect(createTwilioRequest({ url: 'https://x.test/', authToken: 't', params: {}, json: {} })).rejects.toThrow(
      'params, json: expected one of them, got both',
    );
  });

  it('createWhatsAppRequest signs the raw bytes, or Meta’s escaped form on request', async () => {
    const payload = whatsAppTextPayload({ from: '+16505551234', to: '+15550783881', text: 'Olá 👋', id: 'wamid.X', profileName: 'Zoë' });
    expect(payload.entry[0]?.changes[0]?.value).toMatchObject({
      metadata: { display_phone_number: '15550783881' },
      contacts: [{ wa_id: '16505551234', profile: { name: 'Zoë' } }],
      messages: [{ from: '16505551234', id: 'wamid.X', type: 'text', text: { body: 'Olá 👋' } }],
    });
    const raw = await createWhatsAppRequest({ appSecret: 's', payload });
    const escaped = await createWhatsAppRequest({ appSecret: 's', payload, escapeUnicode: true });
    expect(await raw.clone().text()).toBe(await escaped.clone().text());
    expect(raw.headers.get('x-hub-signature-256')).not.toBe(escaped.headers.get('x-hub-signature-256'));
    const provider = createWhatsAppProvider({ appSecret: 's', verifyToken: 'v' });
    for (const request of [raw, escaped]) await expect(provider.verify(await received(request), context)).resolves.toBeUndefined();

    const challenge = createWhatsAppChallengeRequest({ url: 'http://localhost/webhooks/whatsapp', verifyToken: 'v', challenge: '99' });
    expect(new URL(challenge.url).searchParams.get('hub.mode')).toBe('subscribe');
    const req = await received(challenge);
    await provider.verify(req, context);
    expect(await provider.parse(req, context)).toMatchObject({ kind: 'reply', response: { status: 200, body: '99' } });
  });

  it('createStandardWebhookRequest sends the three headers and one signature per secret', async () => {
    const secrets = [generateStandardWebhookSecret(), generateStandardWebhookSecret()];
    expect(secrets[0]).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const payload = { version: 1, type: 'message', from: '+14155550100', to: '+14155550199', text: 'Hi' };
    const request = await createStandardWebhookRequest({ url: 'http://localhost/webhooks/generic', secret: secrets, payload, id: 'msg_1' });
    expect(request.headers.get('webhook-id')).toBe('msg_1');
    expect(request.headers.get('webhook-signature')).toMatch(/^v1,\S+ v1,\S+$/);
    const provider = createStandardWebhooksProvider({ secret: secrets[1]! });
    const req = await received(request);
    await provider.verify(req, context);
    expect(await provider.parse(req, context)).toMatchObject({ kind: 'messages', messages: [{ id: 'msg_1', text: 'Hi', channel: 'custom' }] });
    await expect(createStandardWebhookRequest({ url: 'http://x.test/', secret: 'plain', payload })).rejects.toThrow(/^secret: expected "whsec_"/);
  });
});
