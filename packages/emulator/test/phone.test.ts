import {
  ConflictException,
  InternalServerException,
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { createStandardWebhookRequest, generateStandardWebhookSecret } from '@connect-chat/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EmulatorEvent, type RunningEmulator, startEmulator } from '../src/index.ts';
import { credentials, rejection } from './helpers.ts';

const accountSid = `AC${'1'.repeat(32)}`;
const authToken = 'twilio-outbound-token';
const accessToken = 'EAAG-test-token';
const webhookSecret = generateStandardWebhookSecret();

let emulator: RunningEmulator;
let events: EmulatorEvent[];

beforeEach(async () => {
  emulator = await startEmulator({
    port: 0,
    credentials: [credentials],
    phone: { twilio: { accountSid, authToken }, whatsapp: { accessToken } },
    simulator: { secrets: { standardWebhookSecret: webhookSecret } },
  });
  events = [];
  emulator.subscribe((event: EmulatorEvent) => {
    if (event.type === 'phone.received') events.push(event);
  });
});

afterEach(async () => {
  await emulator.close();
});

function twilioSend(params: Record<string, string>, auth = `${accountSid}:${authToken}`, sid = accountSid) {
  return fetch(`${emulator.url}/2010-04-01/Accounts/${sid}/Messages.json`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(auth).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
}

function whatsAppSend(body: unknown, token = accessToken) {
  return fetch(`${emulator.url}/v21.0/106540352242922/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function waText(to: string, body: string) {
  return { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'text', text: { body } };
}

function smsClient(overrides: Partial<typeof credentials> = {}) {
  return new PinpointSMSVoiceV2Client({ region: 'us-east-1', endpoint: emulator.url, credentials: { ...credentials, ...overrides }, maxAttempts: 1 });
}

describe("Twilio's Messages API", () => {
  it('accepts a message with the account credentials, answers the Message resource and rings the phone', async () => {
    const response = await twilioSend({ To: 'whatsapp:+14155550100', From: 'whatsapp:+15550100', Body: 'Your order ships today.' });
    expect(response.status).toBe(201);
    const resource = (await response.json()) as Record<string, unknown>;
    expect(resource).toMatchObject({
      sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      account_sid: accountSid,
      to: 'whatsapp:+14155550100',
      from: 'whatsapp:+15550100',
      body: 'Your order ships today.',
      status: 'queued',
    });
    expect(emulator.phoneMessages()).toEqual([
      {
        id: resource['sid'],
        at: expect.any(String),
        channel: 'twilio',
        to: 'whatsapp:+14155550100',
        from: 'whatsapp:+15550100',
        text: 'Your order ships today.',
      },
    ]);
    expect(events.map((event) => event.phoneMessage)).toEqual(emulator.phoneMessages());
  });

  it('answers 401 code 20003 for wrong credentials, 400 code 21617 past 1,600 characters, and records neither', async () => {
    const wrong = await twilioSend({ To: '+14155550100', From: '+15550100', Body: 'x' }, `${accountSid}:wrong`);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
    const long = await twilioSend({ To: '+14155550100', From: '+15550100', Body: 'x'.repeat(1_601) });
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ code: 21617, status: 400 });
    expect((await twilioSend({ To: '+14155550100', From: '+15550100', Body: 'x'.repeat(1_600) })).status).toBe(201);
    expect(emulator.phoneMessages()).toHaveLength(1);
  });

  it('answers injected faults in Twilio errors and records nothing', async () => {
    emulator.setFaults({
      failNext: [
        { error: 'ChannelThrottled', operation: 'TwilioCreateMessage' },
        { error: 'ChannelUnavailable', operation: 'TwilioCreateMessage' },
        { error: 'RecipientOptedOut', operation: 'TwilioCreateMessage' },
        { error: 'WindowClosed', operation: 'TwilioCreateMessage' },
      ],
    });
    const answers: Array<[number, unknown]> = [];
    for (let i = 0; i < 4; i += 1) {
      const response = await twilioSend({ To: '+14155550100', From: '+15550100', Body: 'x' });
      answers.push([response.status, ((await response.json()) as { code: number }).code]);
    }
    expect(answers).toEqual([
      [429, 20429],
      [500, 20500],
      [400, 21610],
      [400, 63016],
    ]);
    expect(emulator.phoneMessages()).toEqual([]);
  });

  it('accepts any credentials when phone.twilio is not set', async () => {
    const open = await startEmulator({ port: 0 });
    try {
      const response = await fetch(`${open.url}/2010-04-01/Accounts/${accountSid}/Messages.json`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${accountSid}:anything`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ To: '+14155550100', From: '+15550100', Body: 'hi' }),
      });
      expect(response.status).toBe(201);
      expect(open.phoneMessages()).toHaveLength(1);
    } finally {
      await open.close();
    }
  });
});

describe('the WhatsApp Cloud API', () => {
  it('sends a text message with the access token and answers its wamid', async () => {
    const response = await whatsAppSend(waText('14155550100', 'Hello from the agent'));
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { messages: Array<{ id: string }> };
    expect(answer).toEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: '14155550100', wa_id: '14155550100' }],
      messages: [{ id: expect.stringMatching(/^wamid\.[A-Za-z0-9_-]+$/) }],
    });
    expect(emulator.phoneMessages()).toMatchObject([
      { id: answer.messages[0]?.id, channel: 'whatsapp', to: '14155550100', from: '106540352242922', text: 'Hello from the agent' },
    ]);
  });

  it('answers Graph errors: 401 code 190 for a wrong token, 400 code 100 past 4,096 characters, injected faults', async () => {
    const wrong = await whatsAppSend(waText('14155550100', 'x'), 'not-the-token');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: { message: expect.any(String), type: 'OAuthException', code: 190, fbtrace_id: expect.any(String) } });
    const long = await whatsAppSend(waText('14155550100', 'x'.repeat(4_097)));
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ error: { type: 'OAuthException', code: 100 } });
    emulator.setFaults({
      failNext: [
        { error: 'ChannelThrottled', operation: 'WhatsAppSendMessage' },
        { error: 'ChannelUnavailable', operation: 'WhatsAppSendMessage' },
        { error: 'RecipientOptedOut', operation: 'WhatsAppSendMessage' },
        { error: 'WindowClosed', operation: 'WhatsAppSendMessage' },
      ],
    });
    const answers: Array<[number, unknown]> = [];
    for (let i = 0; i < 4; i += 1) {
      const response = await whatsAppSend(waText('14155550100', 'x'));
      answers.push([response.status, ((await response.json()) as { error: { code: number } }).error.code]);
    }
    expect(answers).toEqual([
      [400, 130429],
      [500, 2],
      [400, 131026],
      [400, 131047],
    ]);
    expect(emulator.phoneMessages()).toEqual([]);
  });
});

describe('End User Messaging SendTextMessage, through the real SDK client', () => {
  it('sends with SigV4 scoped to sms-voice and answers a MessageId', async () => {
    const client = smsClient();
    const output = await client.send(
      new SendTextMessageCommand({
        DestinationPhoneNumber: '+14155550100',
        OriginationIdentity: '+15550100',
        MessageBody: 'Your code is 1234',
        MessageType: 'TRANSACTIONAL',
      }),
    );
    expect(output.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(emulator.phoneMessages()).toMatchObject([
      { id: output.MessageId, channel: 'sms', to: '+14155550100', from: '+15550100', text: 'Your code is 1234' },
    ]);
    client.destroy();
  });

  it('refuses a wrong secret and a body past 1,600 characters with the SDK error classes', async () => {
    const wrongSecret = smsClient({ secretAccessKey: 'wrong' });
    const refused = await rejection(wrongSecret.send(new SendTextMessageCommand({ DestinationPhoneNumber: '+14155550100', MessageBody: 'x' })));
    expect(refused.name).toBe('InvalidSignatureException');
    expect(refused.$metadata.httpStatusCode).toBe(403);
    wrongSecret.destroy();
    const client = smsClient();
    const long = await rejection(client.send(new SendTextMessageCommand({ DestinationPhoneNumber: '+14155550100', MessageBody: 'x'.repeat(1_601) })));
    expect(long).toBeInstanceOf(ValidationException);
    expect(long.message).toMatch(/MessageBody/);
    expect(emulator.phoneMessages()).toEqual([]);
    client.destroy();
  });

  it('answers injected faults as the service errors the SDK knows', async () => {
    emulator.setFaults({
      failNext: [
        { error: 'ChannelThrottled', operation: 'SendTextMessage' },
        { error: 'ChannelUnavailable', operation: 'SendTextMessage' },
        { error: 'RecipientOptedOut', operation: 'SendTextMessage' },
        { error: 'WindowClosed', operation: 'SendTextMessage' },
      ],
    });
    const client = smsClient();
    const send = () => rejection(client.send(new SendTextMessageCommand({ DestinationPhoneNumber: '+14155550100', MessageBody: 'x' })));
    const throttled = await send();
    expect(throttled).toBeInstanceOf(ThrottlingException);
    expect(throttled.$metadata.httpStatusCode).toBe(400);
    const unavailable = await send();
    expect(unavailable).toBeInstanceOf(InternalServerException);
    expect(unavailable.$metadata.httpStatusCode).toBe(500);
    const optedOut = await send();
    expect(optedOut).toBeInstanceOf(ConflictException);
    expect((optedOut as unknown as ConflictException).Reason).toBe('DESTINATION_PHONE_NUMBER_OPTED_OUT');
    expect(await send()).toBeInstanceOf(ValidationException);
    expect(emulator.phoneMessages()).toEqual([]);
    client.destroy();
  });
});

describe('the generic outbound webhook', () => {
  const url = () => `${emulator.url}/_emulator/generic/outbound`;
  const payload = { type: 'message', to: '+14155550100', from: '+15550100', text: 'Hi from the agent' };

  it('accepts a Standard Webhooks signature made with the secret, once per webhook-id', async () => {
    const request = await createStandardWebhookRequest({ url: url(), secret: webhookSecret, payload, id: 'msg_1' });
    expect((await fetch(request.clone())).status).toBe(204);
    expect((await fetch(request)).status).toBe(204);
    expect(emulator.phoneMessages()).toMatchObject([{ id: 'msg_1', channel: 'generic', to: '+14155550100', from: '+15550100', text: 'Hi from the agent' }]);
  });

  it('answers 401 for another secret and channel statuses for injected faults', async () => {
    const forged = await createStandardWebhookRequest({ url: url(), secret: generateStandardWebhookSecret(), payload });
    const refused = await fetch(forged);
    expect(refused.status).toBe(401);
    const unsigned = await fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    expect(unsigned.status).toBe(401);
    emulator.setFaults({
      failNext: ['ChannelThrottled', 'ChannelUnavailable', 'RecipientOptedOut', 'WindowClosed'].map((error) => ({
        error,
        operation: 'GenericOutbound',
      })) as never,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await fetch(await createStandardWebhookRequest({ url: url(), secret: webhookSecret, payload }))).status);
    expect(statuses).toEqual([429, 503, 410, 422]);
    expect(emulator.phoneMessages()).toEqual([]);
  });
});

describe("the customer's phone", () => {
  it('streams phone.received over SSE and forgets everything on reset', async () => {
    const controller = new AbortController();
    const stream = await fetch(`${emulator.url}/_emulator/events`, { signal: controller.signal });
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    await reader.read(); // ': connected'
    await twilioSend({ To: '+14155550100', From: '+15550100', Body: 'over SSE' });
    let text = '';
    while (!text.includes('\n\n')) text += decoder.decode((await reader.read()).value);
    expect(text).toMatch(/^id: \d+\nevent: phone\.received\ndata: /);
    const event = JSON.parse(text.split('data: ')[1]?.split('\n')[0] ?? '{}') as EmulatorEvent;
    expect(event.phoneMessage).toMatchObject({ channel: 'twilio', text: 'over SSE' });
    controller.abort();
    expect(await (await fetch(`${emulator.url}/_emulator/phone`)).json()).toEqual(emulator.phoneMessages());
    emulator.reset();
    expect(emulator.phoneMessages()).toEqual([]);
  });
});
