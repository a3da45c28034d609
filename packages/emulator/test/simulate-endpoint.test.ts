import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.ts';
import { bridgeSecrets, closeServer, listen, startBridge, type TestBridge } from './bridge.ts';
import { credentials } from './helpers.ts';

let emulator: RunningEmulator;
let bridge: TestBridge;

beforeAll(async () => {
  // Whatsapp's secret is left out on purpose: the emulator must say it cannot simulate it.
  const { whatsappAppSecret: _left, ...secrets } = bridgeSecrets;
  emulator = await startEmulator({ port: 0, credentials: [credentials], simulator: { secrets } });
  // The app-with-embedded-emulator setup: the bridge trusts the emulator's SNS certificate.
  bridge = await startBridge({ emulatorUrl: emulator.url, resolveCertificate: emulator.snsCertificateResolver });
});

afterAll(async () => {
  await bridge?.close();
  await emulator?.close();
});

function simulate(body: unknown, contentType = 'application/json'): Promise<Response> {
  return fetch(`${emulator.url}/_emulator/simulate`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('POST /_emulator/simulate', () => {
  it('delivers a signed Twilio message to the bridge and answers what the bridge answered', async () => {
    const response = await simulate({ provider: 'twilio', from: '+14155550111', to: '+15550100', text: 'Order 42?', bridgeUrl: bridge.url });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { status: number; body: string; url: string };
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<Response></Response>');
    expect(answer.url).toBe(`${bridge.url}/webhooks/twilio`);
    const chat = emulator.chats().find((candidate) => candidate.key.SourceId === '+14155550111');
    expect(chat?.transcript.map((item) => item.content)).toEqual(['Order 42?']);
  });

  it('signs SNS with the certificate snsCertificateResolver hands to an embedded bridge', async () => {
    const response = await simulate({ provider: 'sns', from: '+14155550112', text: 'via SNS', bridgeUrl: bridge.url });
    const answer = (await response.json()) as { status: number; body: string };
    expect(answer.status).toBe(200);
    expect(emulator.chats().find((chat) => chat.key.SourceId === '+14155550112')?.transcript[0]?.content).toBe('via SNS');
  });

  it('describes the panel defaults without revealing any secret', async () => {
    const response = await fetch(`${emulator.url}/_emulator/simulator`);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ bridgeUrl: null, defaultNumber: '+15550100', providers: { twilio: true, whatsapp: false, sns: true, generic: true } });
    expect(text).not.toContain(bridgeSecrets.twilioAuthToken);
    expect(text).not.toContain(bridgeSecrets.standardWebhookSecret);
  });

  it.each([
    [
      { provider: 'whatsapp', from: '+14155550100', text: 'x' },
      400,
      'secrets.whatsappAppSecret: simulating whatsapp needs it (CLI: --app-secret or the WHATSAPP_APP_SECRET environment variable)',
    ],
    [
      { provider: 'twilio', from: '+14155550100', text: 'x', bridgeUrl: 'http://192.168.1.10:3000' },
      400,
      'bridgeUrl: expected an http(s) base URL of a bridge on this machine',
    ],
    [{ provider: 'twilio', from: 'me', text: 'x' }, 400, 'from: expected an E.164 number'],
    [{ provider: 'twilio', from: '+14155550100', text: 'x', extra: 1 }, 400, '"extra": unknown field'],
    [[1, 2], 400, 'body: expected an object'],
    ['{', 400, 'The body is not valid JSON.'],
  ])('answers 400 with a clear error for %j', async (body, status, message) => {
    const before = emulator.chats().length;
    const response = await simulate(typeof body === 'string' || Array.isArray(body) ? body : { bridgeUrl: bridge.url, ...body });
    expect(response.status).toBe(status);
    const answer = (await response.json()) as { error: { code: string; message: string } };
    expect(answer.error.message).toContain(message);
    expect(JSON.stringify(answer)).not.toContain(bridgeSecrets.twilioAuthToken);
    expect(emulator.chats()).toHaveLength(before);
  });

  it('answers 400 when neither the request nor the emulator names a bridge', async () => {
    const response = await simulate({ provider: 'twilio', from: '+14155550100', text: 'x' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('start it with --bridge');
  });

  it('refuses anything but JSON, so other web sites cannot post forms to it', async () => {
    const response = await simulate(JSON.stringify({ provider: 'twilio', from: '+14155550100', text: 'x', bridgeUrl: bridge.url }), 'text/plain');
    expect(response.status).toBe(415);
    expect(bridge.hits.filter((path) => path === '/webhooks/twilio')).toHaveLength(1);
  });

  it('answers 502 when the bridge does not answer', async () => {
    const idle = createServer();
    const idleUrl = await listen(idle);
    await closeServer(idle);
    const response = await simulate({ provider: 'twilio', from: '+14155550100', text: 'x', bridgeUrl: idleUrl });
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: 'NETWORK_ERROR',
      message: `The bridge at ${idleUrl}/webhooks/twilio did not answer (ECONNREFUSED). Is it running?`,
    });
  });
});

describe('simulator options', () => {
  it('uses the configured bridge when the request names none', async () => {
    const configured = await startEmulator({
      port: 0,
      credentials: [credentials],
      simulator: { bridgeUrl: `${bridge.url}/`, secrets: { twilioAuthToken: bridgeSecrets.twilioAuthToken } },
    });
    try {
      expect(await (await fetch(`${configured.url}/_emulator/simulator`)).json()).toMatchObject({ bridgeUrl: bridge.url });
      const response = await fetch(`${configured.url}/_emulator/simulate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ provider: 'twilio', from: '+14155550113', text: 'default bridge' }),
      });
      expect(((await response.json()) as { status: number }).status).toBe(200);
      // The bridge sends to the first emulator; the point is the configured URL was used.
      expect(emulator.chats().some((chat) => chat.key.SourceId === '+14155550113')).toBe(true);
    } finally {
      await configured.close();
    }
  });

  it.each([
    [{ bridgeUrl: 'http://example.com:3000', secrets: {} }, 'simulator.bridgeUrl: expected an http(s) base URL of a bridge on this machine'],
    [{ secrets: 'x' }, 'simulator.secrets: expected an object'],
    [{ secrets: { twilioAuthToken: '' } }, 'simulator.secrets.twilioAuthToken: expected a non-empty string, got an empty string'],
    [{ secrets: { snsTopicArn: 'topic' } }, 'simulator.secrets.snsTopicArn: expected an SNS topic ARN'],
    [{ secrets: { twilioToken: 'x' } }, 'simulator.secrets.twilioToken: expected one of twilioAuthToken'],
    ['yes', 'simulator: expected an object'],
  ])('refuses %j at start', async (simulator, message) => {
    await expect(startEmulator({ port: 0, simulator: simulator as never })).rejects.toThrow(message);
  });
});
