import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '@connect-chat/emulator';
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

/** An environment where the AWS SDK's default chain finds nothing: no variables, files, SSO or instance role. */
function noCredentials(home: string): Record<string, string> {
  return {
    HOME: home,
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'missing-credentials'),
    AWS_CONFIG_FILE: join(home, 'missing-config'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

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
      expect(Object.keys(listening?.['routes'] as object)).toEqual(['sns', 'twilio', 'whatsapp', 'generic', 'connect']);
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

    it.each(providers)("an agent's reply reaches the $provider customer's phone through the bridge", async ({ provider }) => {
      const from = `+1206555${String(3000 + providers.findIndex((p) => p.provider === provider))}`;
      const simulated = await fetch(`${bridge.emulatorUrl}/_emulator/simulate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ provider, from, to: '+12065550100', text: `a question via ${provider}`, bridgeUrl: bridge.bridgeUrl }),
      });
      expect(simulated.status).toBe(200);
      const chats = (await (await fetch(`${bridge.emulatorUrl}/_emulator/chats`)).json()) as Array<RecordedChat & { contactId: string }>;
      const contactId = chats.find((c) => c.key.SourceId === from)!.contactId;
      const text = `the answer for ${provider} via ${name}`;
      const replied = await fetch(`${bridge.emulatorUrl}/_emulator/chats/${contactId}/reply`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
      });
      const { deliveries } = (await replied.json()) as { deliveries: Array<{ status: number }> };
      expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
      const phone = (await (await fetch(`${bridge.emulatorUrl}/_emulator/phone`)).json()) as Array<{ to: string; text: string }>;
      expect(phone.filter((message) => message.text === text)).toHaveLength(1);
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

  describe(`${name} sample bridge on the participant transport`, () => {
    const flow = 'arn:aws:connect:us-east-1:111122223333:instance/demo-instance/contact-flow/demo-flow';

    it('starts a chat with the contact flow on the embedded emulator and keeps the conversation in it', async () => {
      const bridge = await startBridge(command, { ...smokeEnv, CONNECT_TRANSPORT: 'participant', CONNECT_DESTINATION_ID: flow });
      try {
        const emulatorLine = bridge.lines.find((line) => line.msg.includes('embedded Connect emulator'));
        expect(emulatorLine?.['transport']).toBe('participant');
        const from = '+12065552000';
        for (const text of ['first, through the participant service', 'second, same chat']) {
          const simulated = await fetch(`${bridge.emulatorUrl}/_emulator/simulate`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ provider: 'twilio', from, to: '+12065550100', text, bridgeUrl: bridge.bridgeUrl }),
          });
          const outcome = (await simulated.json()) as { status: number; body: string };
          expect(outcome.status, outcome.body).toBe(200);
        }
        const chats = (await (await fetch(`${bridge.emulatorUrl}/_emulator/chats`)).json()) as Array<RecordedChat & { transport?: string }>;
        expect(chats).toHaveLength(1);
        expect(chats[0]).toMatchObject({ transport: 'participant', key: { SourceId: from, DestinationId: flow, Subtype: 'connect:sms' } });
        expect(chats[0]?.transcript.map((item) => item.content)).toEqual(['first, through the participant service', 'second, same chat']);
      } finally {
        expect(await bridge.stop()).toBe(0);
      }
    }, 60_000);
  });

  describe(`${name} sample bridge with CONNECT_CLIENT=fetch`, () => {
    it('sends SendChatIntegrationEvent through fetch, signed so the embedded emulator accepts it, and says so', async () => {
      const bridge = await startBridge(command, { ...smokeEnv, CONNECT_CLIENT: 'fetch' });
      try {
        expect(bridge.lines.find((line) => line.msg.includes('embedded Connect emulator'))).toMatchObject({ transport: 'integration-event', client: 'fetch' });
        const from = '+12065552100';
        const simulated = await fetch(`${bridge.emulatorUrl}/_emulator/simulate`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ provider: 'twilio', from, to: '+12065550100', text: 'through fetch', bridgeUrl: bridge.bridgeUrl }),
        });
        const outcome = (await simulated.json()) as { status: number; body: string };
        expect(outcome.status, outcome.body).toBe(200);
        const chats = (await (await fetch(`${bridge.emulatorUrl}/_emulator/chats`)).json()) as RecordedChat[];
        expect(chats.find((c) => c.key.SourceId === from)?.transcript.map((item) => item.content)).toEqual(['through fetch']);
      } finally {
        expect(await bridge.stop()).toBe(0);
      }
    }, 60_000);
  });

  describe(`${name} sample bridge shutdown`, () => {
    it('lets a webhook in flight on SIGTERM finish and be answered, logs it, then exits 0', async () => {
      const bridge = await startBridge(command, { ...smokeEnv, LOG_LEVEL: 'debug' });
      try {
        // Connect (the embedded emulator) answers slowly, so the webhook is still in flight when SIGTERM arrives.
        await fetch(`${bridge.emulatorUrl}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"latencyMs":1000}' });
        const params = twilioMessageParams({ from: '+12065559876', to: '+12065550100', body: 'sent while stopping' });
        const signed = await createTwilioRequest({ url: `${bridge.bridgeUrl}/webhooks/twilio`, authToken: smokeEnv.TWILIO_AUTH_TOKEN, params });
        const answered = fetch(signed).then(async (response) => ({ status: response.status, body: await response.text() }));
        await bridge.waitForLine((line) => line.msg === 'emulator: delaying request');
        const exited = bridge.stop();

        const answer = await answered;
        expect(answer.status, answer.body).toBe(200);
        expect(await exited).toBe(0);
        // Logged just before the exit: stdout is written asynchronously, and the exit waits for it.
        expect(bridge.lines.filter((line) => line.msg === 'inbound message' && line['messageId'] === params['MessageSid'])).toMatchObject([{ status: 200 }]);
      } finally {
        await bridge.stop();
      }
    }, 60_000);
  });

  describe(`${name} sample bridge configuration`, () => {
    /** Exits 1 with exactly one line on stderr, which contains `expected`. */
    const expectOneLineRefusal = async (env: Record<string, string>, expected: string | RegExp) => {
      const result = await runToExit(command, env);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr.endsWith('\n') && result.stderr.split('\n').length === 2, result.stderr).toBe(true);
      expect(result.stderr).toMatch(/^connect-chat bridge: refusing to start: /);
      expect(result.stderr).toMatch(expected);
      // Whatever was logged before the refusal is out, in whole lines.
      expect(result.stdout === '' || result.stdout.endsWith('\n'), result.stdout).toBe(true);
      for (const line of result.stdout.split('\n').filter(Boolean)) expect(() => JSON.parse(line), line).not.toThrow();
      return result.stderr;
    };

    it('refuses to start when REDIS_URL cannot be reached, naming it and never its password', async () => {
      const line = await expectOneLineRefusal(
        { ...smokeEnv, REDIS_URL: 'redis://bridge:s3cret-pass@127.0.0.1:1' },
        /REDIS_URL: cannot reach Redis at redis:\/\/127\.0\.0\.1:1/,
      );
      expect(line).not.toContain('s3cret-pass');
    });

    it('refuses to start with CONNECT_CLIENT on the participant transport, naming the variable', async () => {
      await expectOneLineRefusal(
        {
          ...smokeEnv,
          CONNECT_TRANSPORT: 'participant',
          CONNECT_DESTINATION_ID: 'arn:aws:connect:us-east-1:111122223333:instance/demo-instance/contact-flow/demo-flow',
          CONNECT_CLIENT: 'fetch',
        },
        /CONNECT_CLIENT: applies only to CONNECT_TRANSPORT=integration-event/,
      );
    });

    it('refuses to start with a malformed secret, naming the variable and not the value', async () => {
      const line = await expectOneLineRefusal({ ...smokeEnv, STANDARD_WEBHOOK_SECRET: 'whsec_not-base64!' }, 'STANDARD_WEBHOOK_SECRET');
      expect(line).not.toContain('not-base64!');
    });

    // One process start per test: a start takes 3–6 s on a busy 2-core machine, within each test's budget.
    it.each([
      [
        'no provider secret at all',
        { TWILIO_AUTH_TOKEN: '', WHATSAPP_APP_SECRET: '', WHATSAPP_VERIFY_TOKEN: '', SNS_TOPIC_ARNS: '', STANDARD_WEBHOOK_SECRET: '' },
        /no provider is enabled: set at least one of TWILIO_AUTH_TOKEN/,
      ],
      ['a boolean that is not one', { LOG_MESSAGE_BODIES: 'yes' }, /LOG_MESSAGE_BODIES: expected true or false, got "yes"/],
      ['an EMULATOR_PORT that is no port', { EMULATOR_PORT: '99999' }, /EMULATOR_PORT: expected a port number/],
      ['an unknown CONNECT_EMULATOR', { CONNECT_EMULATOR: 'yes' }, /CONNECT_EMULATOR: expected "embedded"/],
      ['an unknown LOG_LEVEL', { LOG_LEVEL: 'verbose' }, /LOG_LEVEL: expected one of debug, info, warn, error/],
      ['an ACCEPT_MODE it does not know', { ACCEPT_MODE: 'durabel' }, /ACCEPT_MODE: expected "connect" .* or "durable"/],
      ['durable acceptance without REDIS_URL', { ACCEPT_MODE: 'durable' }, /ACCEPT_MODE: "durable" keeps accepted messages on Redis; set REDIS_URL too/],
      ['an unknown CONNECT_TRANSPORT', { CONNECT_TRANSPORT: 'particpant' }, /CONNECT_TRANSPORT: expected "integration-event"/],
      [
        'a DestinationId that does not fit CONNECT_TRANSPORT',
        { CONNECT_TRANSPORT: 'participant' },
        /CONNECT_DESTINATION_ID: with CONNECT_TRANSPORT=participant expected a contact flow ARN/,
      ],
    ])('refuses %s in one line naming the variable', async (_label, change, expected) => {
      await expectOneLineRefusal({ ...smokeEnv, ...change }, expected);
    });

    it.each(['PORT', 'EMULATOR_PORT'] as const)('says in one line, naming %s, and exits 1, when its port is taken', async (variable) => {
      const squatter = createServer().listen(0, '127.0.0.1');
      await once(squatter, 'listening');
      const { port } = squatter.address() as { port: number };
      try {
        await expectOneLineRefusal({ ...smokeEnv, [variable]: String(port) }, `${variable}: 127.0.0.1:${port} is already in use`);
      } finally {
        squatter.close();
      }
    });

    it('without CONNECT_EMULATOR and with no AWS credentials anywhere, stops before listening with one line', async () => {
      const home = await mkdtemp(join(tmpdir(), 'bridge-home-'));
      const { CONNECT_EMULATOR: _demoOnly, ...env } = smokeEnv;
      const line = await expectOneLineRefusal({ ...env, ...noCredentials(home) }, 'credentials');
      expect(line.length).toBeLessThanOrEqual(400);
      expect(line).toContain('CONNECT_EMULATOR=embedded');
    });

    it('without CONNECT_EMULATOR, takes credentials from a profile file and calls the configured endpoint, not an emulator', async () => {
      const home = await mkdtemp(join(tmpdir(), 'bridge-home-'));
      const credentials = { accessKeyId: 'AKIDPROFILEFILE', secretAccessKey: 'profile-file-secret' };
      const credentialsFile = join(home, 'credentials');
      await writeFile(credentialsFile, `[default]\naws_access_key_id = ${credentials.accessKeyId}\naws_secret_access_key = ${credentials.secretAccessKey}\n`);
      const connect = await startEmulator({ port: 0, credentials: [credentials] });
      const { CONNECT_EMULATOR: _demoOnly, ...env } = smokeEnv;
      const bridge = await startBridge(command, {
        ...env,
        ...noCredentials(home),
        AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
        AWS_ENDPOINT_URL_CONNECT: connect.url,
      });
      try {
        expect(bridge.lines.some((line) => line.msg.includes('emulator'))).toBe(false);
        expect(bridge.lines.find((line) => line.msg === 'sending to Amazon Connect')).toMatchObject({ endpoint: connect.url });
        const signed = await createTwilioRequest({
          url: `${bridge.bridgeUrl}/webhooks/twilio`,
          authToken: smokeEnv.TWILIO_AUTH_TOKEN,
          params: twilioMessageParams({ from: '+12065550177', to: '+12065550100', body: 'through the profile file' }),
        });
        const response = await fetch(signed);
        expect(response.status, await response.text()).toBe(200);
        expect(connect.chats().flatMap((chat) => chat.transcript.map((item) => item.content))).toEqual(['through the profile file']);
      } finally {
        expect(await bridge.stop()).toBe(0);
        await connect.close();
      }
    }, 60_000);

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
