import { createTwilioProvider } from '@connect-chat/core';
import { createTwilioRequest, twilioMessageParams } from '@connect-chat/core/testing';
import { type RunningEmulator, startEmulator } from '@connect-chat/emulator';
import type { LoggerService } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { genericBridge, postGenericMessage } from './fixtures.ts';
import { type RunningNestApp, startNestApp } from './nest-app.ts';

let emulator: RunningEmulator;
let nest: RunningNestApp | undefined;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterEach(async () => {
  await nest?.close();
  nest = undefined;
});
afterAll(() => emulator?.close());

/** Keeps what Nest logs as errors, to read the message an operator would see. */
function errorLog(): LoggerService & { errors: string[] } {
  const errors: string[] = [];
  return { errors, log() {}, warn() {}, error: (message: unknown, ...rest: unknown[]) => void errors.push([message, ...rest].map(String).join(' ')) };
}

describe('without { rawBody: true }', () => {
  it('Express: fails the request with a message that says how to create the app', async () => {
    const bridge = genericBridge(emulator.url);
    const logger = errorLog();
    nest = await startNestApp({ factory: 'forRoot', platform: 'express', options: bridge.options, rawBody: false, logger });

    const response = await postGenericMessage(nest.baseUrl, bridge.secret, '+14155550131', 'Hi');

    // Core refuses it (so onRejected/onOutcome see it), saying how to create the app.
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('BODY_ALREADY_PARSED');
    expect(body.error.message).toContain('NestFactory.create(AppModule, { rawBody: true })');
    expect(logger.errors.join('\n')).toContain('connect-chat: webhook refused');
    expect(emulator.chats().filter((c) => c.key.SourceId === '+14155550131')).toEqual([]);
  });

  it('Fastify: middleware runs before body parsing, so the raw stream is read as is', async () => {
    const bridge = genericBridge(emulator.url);
    nest = await startNestApp({ factory: 'forRoot', platform: 'fastify', options: bridge.options, rawBody: false });

    const response = await postGenericMessage(nest.baseUrl, bridge.secret, '+14155550132', 'Hi');

    expect(response.status).toBe(200);
    expect(emulator.chats().filter((c) => c.key.SourceId === '+14155550132')).toHaveLength(1);
  });
});

describe("Express with Nest's body parsers and { rawBody: true }", () => {
  it('verifies JSON and form webhooks over the bytes the parsers kept', async () => {
    const bridge = genericBridge(emulator.url);
    const authToken = 'twilio-test-token';
    const options = { ...bridge.options, providers: [...bridge.options.providers, createTwilioProvider({ authToken })] };
    nest = await startNestApp({ factory: 'forRoot', platform: 'express', options });

    const generic = await postGenericMessage(nest.baseUrl, bridge.secret, '+14155550151', 'json');
    const params = twilioMessageParams({ from: '+14155550152', to: '+14155550199', body: 'form' });
    const twilio = await fetch(await createTwilioRequest({ url: `${nest.baseUrl}/webhooks/twilio`, authToken, params }));

    expect([generic.status, twilio.status]).toEqual([200, 200]);
    const sent = emulator.chats().filter((c) => ['+14155550151', '+14155550152'].includes(c.key.SourceId));
    expect(sent.map((c) => c.transcript[0]?.content).sort()).toEqual(['form', 'json']);
  });

  it("answers malformed JSON that Nest's parser refused with core's answer and hooks, nothing sent", async () => {
    const bridge = genericBridge(emulator.url);
    const rejected: Array<{ status: number; code: string }> = [];
    const options = { ...bridge.options, hooks: { onRejected: (info: { status: number; code: string }) => void rejected.push(info) } };
    nest = await startNestApp({ factory: 'forRoot', platform: 'express', options });
    const chatsBefore = emulator.chats().length;

    const response = await fetch(`${nest.baseUrl}/webhooks/generic`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"version":' });

    // Unsigned: core checks the signature over the bytes Nest kept, before it would parse them.
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'SIGNATURE_INVALID', message: expect.any(String) } });
    expect(rejected).toMatchObject([{ status: 401, code: 'SIGNATURE_INVALID' }]);
    expect(emulator.chats()).toHaveLength(chatsBefore);
  });

  it("answers a body over Nest's 100 kB parser limit with core's 413 body, nothing sent", async () => {
    const bridge = genericBridge(emulator.url);
    nest = await startNestApp({ factory: 'forRoot', platform: 'express', options: bridge.options });
    const chatsBefore = emulator.chats().length;

    const body = JSON.stringify({ version: 1, type: 'message', from: '+14155550161', to: '+14155550199', text: 'x'.repeat(200_000) });
    const response = await fetch(`${nest.baseUrl}/webhooks/generic`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) } });
    expect(emulator.chats()).toHaveLength(chatsBefore);
  });

  it("leaves parser errors on the app's own routes to Nest", async () => {
    const bridge = genericBridge(emulator.url);
    nest = await startNestApp({ factory: 'forRoot', platform: 'express', options: bridge.options });

    const response = await fetch(`${nest.baseUrl}/somewhere-else`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"version":' });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ statusCode: 400 });
  });
});
