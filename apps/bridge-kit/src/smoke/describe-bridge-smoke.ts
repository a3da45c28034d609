import { once } from 'node:events';
import { createServer } from 'node:net';
import { createTwilioRequest, twilioMessageParams } from '@connect-chat/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BridgeCommand, type RunningBridge, runToExit, smokeEnv, startBridge } from './bridge-process.ts';

interface RecordedChat {
  key: { SourceId: string; DestinationId: string; Subtype?: string };
  transcript: Array<{ type: string; content?: string }>;
  newSessionDetails?: { Attributes?: Record<string, string> };
}

const providers = [
  { provider: 'twilio', subtype: 'connect:sms' },
  { provider: 'whatsapp', subtype: 'connect:WhatsApp' },
  { provider: 'sns', subtype: 'connect:sms' },
  { provider: 'generic', subtype: 'connect:sms' },
] as const;

/**
 * The black-box suite every sample bridge passes: start it as a user would, on the embedded
 * emulator, send one signed message per provider through the emulator's simulator, and check
 * what the emulator recorded and what the bridge logged.
 */
export function describeBridgeSmoke(name: string, command: BridgeCommand): void {
  describe(`${name} sample bridge`, () => {
    let bridge: RunningBridge;

    beforeAll(async () => {
      bridge = await startBridge(command);
    }, 60_000);
    afterAll(async () => {
      expect(await bridge?.stop()).toBe(0);
    });

    it('says in its first lines that it runs on the embedded emulator, with every URL', () => {
      const first = bridge.lines.slice(0, 8);
      const emulatorLine = first.find((line) => line.msg.includes('embedded Connect emulator'));
      expect(emulatorLine?.['emulatorPage']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?bridge=/);
      const listening = first.find((line) => line.msg === 'bridge listening');
      expect(Object.keys(listening?.['routes'] as object)).toEqual(['sns', 'twilio', 'whatsapp', 'generic']);
      expect(JSON.stringify(bridge.lines)).not.toContain(smokeEnv.TWILIO_AUTH_TOKEN);
    });

    it('answers /healthz', async () => {
      const response = await fetch(`${bridge.bridgeUrl}/healthz`);
      expect(response.status).toBe(200);
    });

    it.each(providers)('delivers a signed $provider message into a chat on the emulator', async ({ provider, subtype }) => {
      const from = `+1206555${String(1000 + providers.findIndex((p) => p.provider === provider))}`;
      const text = `hello from ${provider} via ${name}`;
      const simulated = await fetch(`${bridge.emulatorUrl}/_emulator/simulate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ provider, from, to: '+12065550100', text, bridgeUrl: bridge.bridgeUrl }),
      });
      const outcome = (await simulated.json()) as { status: number; body: string };
      expect(outcome.status, outcome.body).toBeGreaterThanOrEqual(200);
      expect(outcome.status, outcome.body).toBeLessThan(300);

      const chats = (await (await fetch(`${bridge.emulatorUrl}/_emulator/chats`)).json()) as RecordedChat[];
      const chat = chats.find((c) => c.key.SourceId === from);
      expect(chat?.key).toEqual({ SourceId: from, DestinationId: smokeEnv.CONNECT_DESTINATION_ID, Subtype: subtype });
      expect(chat?.transcript.map((item) => item.content)).toEqual([text]);

      const logged = await bridge.waitForLine((line) => line.msg === 'inbound message' && line['provider'] === provider);
      expect(logged).toMatchObject({ outcome: 'sent', status: expect.any(Number) });
      expect(typeof logged['messageId']).toBe('string');
      expect(typeof logged['latencyMs']).toBe('number');
      expect(JSON.stringify(logged)).not.toContain(text);
    });

    it('answers the WhatsApp subscription check and refuses an unsigned webhook', async () => {
      const challenge = await fetch(
        `${bridge.bridgeUrl}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${smokeEnv.WHATSAPP_VERIFY_TOKEN}&hub.challenge=8472`,
      );
      expect(await challenge.text()).toBe('8472');
      const unsigned = await fetch(`${bridge.bridgeUrl}/webhooks/twilio`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'MessageSid=SM1&From=%2B12065550111&To=%2B12065550100&Body=hi',
      });
      expect(unsigned.status).toBe(401);
    });
  });

  describe(`${name} sample bridge shutdown`, () => {
    it('lets a webhook in flight on SIGTERM finish and be answered, then exits 0', async () => {
      const bridge = await startBridge(command, { ...smokeEnv, LOG_LEVEL: 'debug' });
      try {
        // Connect (the embedded emulator) answers slowly, so the webhook is still in flight when SIGTERM arrives.
        await fetch(`${bridge.emulatorUrl}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"latencyMs":1000}' });
        const signed = await createTwilioRequest({
          url: `${bridge.bridgeUrl}/webhooks/twilio`,
          authToken: smokeEnv.TWILIO_AUTH_TOKEN,
          params: twilioMessageParams({ from: '+12065559876', to: '+12065550100', body: 'sent while stopping' }),
        });
        const answered = fetch(signed).then(async (response) => ({ status: response.status, body: await response.text() }));
        await bridge.waitForLine((line) => line.msg === 'emulator: delaying request');
        const exited = bridge.stop();

        const answer = await answered;
        expect(answer.status, answer.body).toBe(200);
        expect(await exited).toBe(0);
      } finally {
        await bridge.stop();
      }
    }, 60_000);
  });

  describe(`${name} sample bridge configuration`, () => {
    it('refuses to start with a malformed secret, naming the variable and not the value', async () => {
      const result = await runToExit(command, { ...smokeEnv, STANDARD_WEBHOOK_SECRET: 'whsec_not-base64!' });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('STANDARD_WEBHOOK_SECRET');
      expect(result.stderr).not.toContain('not-base64!');
    });

    it('says in one line, and exits 1, when its port is taken', async () => {
      const squatter = createServer().listen(0, '127.0.0.1');
      await once(squatter, 'listening');
      const { port } = squatter.address() as { port: number };
      try {
        const result = await runToExit(command, { ...smokeEnv, PORT: String(port) });
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(`connect-chat bridge: cannot listen on 127.0.0.1:${port}: EADDRINUSE`);
      } finally {
        squatter.close();
      }
    });

    it('disables a provider whose secret is unset and says so', async () => {
      const { TWILIO_AUTH_TOKEN: _unset, ...env } = smokeEnv;
      const bridge = await startBridge(command, env);
      try {
        expect(bridge.lines.some((line) => line.level === 'warn' && line.msg.startsWith('twilio route disabled'))).toBe(true);
        const response = await fetch(`${bridge.bridgeUrl}/webhooks/twilio`, { method: 'POST', body: 'x' });
        expect(response.status).toBe(404);
      } finally {
        expect(await bridge.stop()).toBe(0);
      }
    }, 60_000);
  });
}
