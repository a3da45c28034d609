// What happens when Connect (the emulator) refuses: nothing is lost silently.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTwilioRequest, createWhatsAppRequest, twilioMessageParams, whatsAppTextPayload } from '@connect-chat/core/testing';
import { type Bridge, baseUrl, destinations, numbers, secrets, startBridge } from './support/bridge.ts';

let env: Bridge;
beforeEach(async () => {
  env = await startBridge({ maxAttempts: 2 });
});
afterEach(async () => {
  await env.close();
});

/** The same signed Twilio delivery every time it is called: what Twilio's retry looks like. */
async function twilioDelivery(body: string, messageSid: string) {
  const params = twilioMessageParams({ from: numbers.customer, to: numbers.sms, body, messageSid });
  return () => createTwilioRequest({ url: `${baseUrl}/webhooks/twilio`, authToken: secrets.twilioAuthToken, params });
}

describe('Connect failures end to end', () => {
  it('answers 503 + Retry-After when throttling outlasts the sender retries; the retry sends exactly once', async () => {
    env.emulator.setFaults({ failNext: [{ error: 'ThrottlingException', count: 2 }] });
    const delivery = await twilioDelivery('please hold', 'SM0000000000000000000000000000000a');
    const throttled = await env.bridge.handler('twilio').fetch(await delivery());
    expect(throttled.status).toBe(503);
    expect(throttled.headers.get('retry-after')).toBe('2');
    expect((await throttled.json()).error.code).toBe('CONNECT_THROTTLED');
    expect(env.emulator.chats()).toEqual([]);
    expect(env.errors.map((report) => report.error.code)).toEqual(['CONNECT_THROTTLED']);

    const retried = await env.bridge.handler('twilio').fetch(await delivery());
    expect(retried.status).toBe(200);
    const again = await env.bridge.handler('twilio').fetch(await delivery());
    expect(again.status).toBe(200);
    expect(env.chat(numbers.customer, destinations.sms, 'connect:sms').transcript.map((item) => item.content)).toEqual(['please hold']);
  });

  it('rides out throttling within the sender retry budget with a single 200', async () => {
    env.emulator.setFaults({ failNext: [{ error: 'ThrottlingException', count: 1 }] });
    const delivery = await twilioDelivery('second try works', 'SM0000000000000000000000000000000b');
    expect((await env.bridge.handler('twilio').fetch(await delivery())).status).toBe(200);
    expect(env.messages()).toEqual(['second try works']);
    expect(env.errors).toEqual([]);
  });

  it('answers 422 for InvalidRequestException and hands the event to onError', async () => {
    env.emulator.setFaults({ failNext: [{ error: 'InvalidRequestException' }] });
    const delivery = await twilioDelivery('refused by Connect', 'SM0000000000000000000000000000000c');
    const response = await env.bridge.handler('twilio').fetch(await delivery());
    expect(response.status).toBe(422);
    expect((await response.json()).error.code).toBe('CONNECT_INVALID_REQUEST');
    expect(env.emulator.chats()).toEqual([]);
    const [report] = env.errors;
    expect(report?.error.code).toBe('CONNECT_INVALID_REQUEST');
    expect(report?.message?.id).toBe('SM0000000000000000000000000000000c');
    expect(report?.event).toMatchObject({ SourceId: numbers.customer, DestinationId: destinations.sms, Event: { Content: 'refused by Connect' } });
  });

  it('answers 422 for AccessDeniedException, saying the API is restricted, and keeps the event', async () => {
    env.emulator.setFaults({ failNext: [{ error: 'AccessDeniedException' }] });
    const payload = whatsAppTextPayload({ from: numbers.whatsappCustomer, to: numbers.whatsapp, text: 'not allowed', id: 'wamid.denied' });
    const response = await env.bridge.handler('whatsapp').fetch(await createWhatsAppRequest({ appSecret: secrets.whatsappAppSecret, payload }));
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.error.code).toBe('CONNECT_ACCESS_DENIED');
    expect(body.error.message).toMatch(/End User Messaging/);
    expect(env.errors[0]?.event?.Event.Content).toBe('not allowed');
    expect(env.emulator.chats()).toEqual([]);
  });

  it('answers 422 for a number no route knows, before calling Connect', async () => {
    const params = twilioMessageParams({ from: numbers.customer, to: '+19995550100', body: 'wrong number' });
    const request = await createTwilioRequest({ url: `${baseUrl}/webhooks/twilio`, authToken: secrets.twilioAuthToken, params });
    const response = await env.bridge.handler('twilio').fetch(request);
    expect(response.status).toBe(422);
    // A fixed sentence: neither this number nor the configured ones reach the caller.
    expect(JSON.stringify(await response.json())).not.toMatch(/\+1\d{10}/);
    expect(env.errors[0]?.message?.to).toBe('+19995550100');
    expect(String((env.errors[0]?.error.cause as Error | undefined)?.message)).toContain('+19995550100');
    expect(env.emulator.chats()).toEqual([]);
  });
});
