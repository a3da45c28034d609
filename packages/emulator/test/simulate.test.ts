import { createServer } from 'node:http';
import { createSnsSigner, type SnsSigner } from '@connect-chat/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, type SimulatedProvider, simulateInbound, startEmulator } from '../src/index.ts';
import { bridgeSecrets, closeServer, destinationId, listen, startBridge, type TestBridge } from './bridge.ts';
import { credentials } from './helpers.ts';

let emulator: RunningEmulator;
let bridge: TestBridge;
let sns: SnsSigner;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, credentials: [credentials] });
  sns = await createSnsSigner();
  bridge = await startBridge({ emulatorUrl: emulator.url, resolveCertificate: sns.resolveCertificate });
});

afterAll(async () => {
  await bridge?.close();
  await emulator?.close();
});

function textsFrom(source: string): string[] {
  return emulator
    .chats()
    .filter((chat) => chat.key.SourceId === source)
    .flatMap((chat) => chat.transcript.map((item) => item.content ?? ''));
}

const subtypes: Record<SimulatedProvider, string> = { twilio: 'connect:sms', whatsapp: 'connect:WhatsApp', sns: 'connect:sms', generic: 'connect:sms' };

describe('simulateInbound', () => {
  it.each(['twilio', 'whatsapp', 'sns', 'generic'] as const)('signs a %s webhook the real bridge accepts and Connect records', async (provider) => {
    const from = `+1415555${String(['twilio', 'whatsapp', 'sns', 'generic'].indexOf(provider)).padStart(4, '0')}`;
    const text = `Hello via ${provider}: ünïcödé 👋`;
    const delivery = await simulateInbound({ provider, bridgeUrl: bridge.url, from, to: '+15550100', text, secrets: bridgeSecrets, snsSigner: sns });

    expect(delivery.url).toBe(`${bridge.url}/webhooks/${provider}`);
    expect(delivery.status).toBe(200);
    expect(textsFrom(from)).toEqual([text]);
    const chat = emulator.chats().find((candidate) => candidate.key.SourceId === from);
    expect(chat?.key).toEqual({ SourceId: from, DestinationId: destinationId, Subtype: subtypes[provider] });
  });

  it('answers what the bridge answered when the secret is wrong, and nothing reaches Connect', async () => {
    const before = emulator.chats().length;
    const delivery = await simulateInbound({
      provider: 'twilio',
      bridgeUrl: bridge.url,
      from: '+14155559999',
      to: '+15550100',
      text: 'forged',
      secrets: { twilioAuthToken: 'not-the-bridge-token' },
    });
    expect(delivery.status).toBe(401);
    expect(JSON.parse(delivery.body)).toMatchObject({ error: { code: 'SIGNATURE_INVALID' } });
    expect(emulator.chats()).toHaveLength(before);
  });

  it('keeps a path prefix of the bridge URL', async () => {
    const recorded: string[] = [];
    const fetchSpy: typeof fetch = async (input) => {
      recorded.push(input instanceof Request ? input.url : String(input));
      return new Response('ok');
    };
    const delivery = await simulateInbound({
      provider: 'generic',
      bridgeUrl: 'http://localhost:3000/api/',
      from: '+14155550100',
      to: '+15550100',
      text: 'hi',
      secrets: bridgeSecrets,
      fetch: fetchSpy,
    });
    expect(delivery).toEqual({ status: 200, body: 'ok', url: 'http://localhost:3000/api/webhooks/generic' });
    expect(recorded).toEqual(['http://localhost:3000/api/webhooks/generic']);
  });

  it.each([
    ['http://example.com', 'got the host example.com'],
    ['http://10.0.0.1:3000', 'got the host 10.0.0.1'],
    ['http://169.254.169.254/latest', 'got the host 169.254.169.254'],
    ['http://[::ffff:127.0.0.1]:3000', 'got the host [::ffff:7f00:1]'],
    ['http://127.0.0.1.nip.io:3000', 'got the host 127.0.0.1.nip.io'],
    ['http://localhost.example.com', 'got the host localhost.example.com'],
    ['ftp://127.0.0.1/', 'got the scheme ftp:'],
    ['http://user:pass@127.0.0.1:3000', 'got a URL with credentials'],
    ['127.0.0.1:3000', 'got "127.0.0.1:3000" (no http:// in front)'],
    ['localhost:3000', 'got "localhost:3000" (no http:// in front)'],
    ['http://', 'got "http://"'],
  ])('refuses %s without sending anything', async (bridgeUrl, reason) => {
    let calls = 0;
    const fetchSpy: typeof fetch = async () => {
      calls += 1;
      return new Response('should not be called');
    };
    const attempt = simulateInbound({
      provider: 'twilio',
      bridgeUrl,
      from: '+14155550100',
      to: '+15550100',
      text: 'hi',
      secrets: bridgeSecrets,
      fetch: fetchSpy,
    });
    await expect(attempt).rejects.toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining(reason) });
    await expect(attempt).rejects.toThrow(/^bridgeUrl: expected an http\(s\) base URL of a bridge on this machine/);
    expect(calls).toBe(0);
  });

  it.each([['http://127.0.0.1:1'], ['http://127.42.0.1:1'], ['http://localhost:1'], ['http://[::1]:1'], ['https://127.0.0.1:1'], ['http://2130706433:1']])(
    'accepts the loopback URL %s',
    async (bridgeUrl) => {
      let calls = 0;
      const fetchSpy: typeof fetch = async () => {
        calls += 1;
        return new Response(null, { status: 204 });
      };
      const delivery = await simulateInbound({
        provider: 'twilio',
        bridgeUrl,
        from: '+14155550100',
        to: '+15550100',
        text: 'hi',
        secrets: bridgeSecrets,
        fetch: fetchSpy,
      });
      expect(delivery.status).toBe(204);
      expect(calls).toBe(1);
    },
  );

  it.each([
    ['twilio', 'secrets.twilioAuthToken', '--auth-token', 'TWILIO_AUTH_TOKEN'],
    ['whatsapp', 'secrets.whatsappAppSecret', '--app-secret', 'WHATSAPP_APP_SECRET'],
    ['sns', 'secrets.snsTopicArn', '--topic-arn', 'SNS_TOPIC_ARNS'],
    ['generic', 'secrets.standardWebhookSecret', '--secret', 'STANDARD_WEBHOOK_SECRET'],
  ] as const)('names where the %s secret comes from when it is missing', async (provider, path, flag, variable) => {
    let calls = 0;
    const fetchSpy: typeof fetch = async () => {
      calls += 1;
      return new Response('');
    };
    const attempt = simulateInbound({ provider, bridgeUrl: bridge.url, from: '+14155550100', to: '+15550100', text: 'hi', secrets: {}, fetch: fetchSpy });
    await expect(attempt).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    const { message } = (await attempt.catch((error: unknown) => error)) as Error;
    expect(message.startsWith(`${path}:`)).toBe(true);
    expect(message).toContain(flag);
    expect(message).toContain(variable);
    expect(calls).toBe(0);
  });

  it.each([
    [{ from: '4155550100' }, 'from: expected an E.164 number such as +14155550100, got "4155550100"'],
    [{ to: 'me' }, 'to: expected an E.164 number'],
    [{ text: '   ' }, 'text: expected a non-blank string'],
    [{ provider: 'telegram' }, 'provider: expected one of twilio, whatsapp, sns, generic, got "telegram"'],
    [{ secrets: { snsTopicArn: 'inbound-sms' }, provider: 'sns' }, 'secrets.snsTopicArn: expected an SNS topic ARN'],
  ])('refuses bad input %j with a clear error', async (override, message) => {
    const options = { provider: 'twilio', bridgeUrl: bridge.url, from: '+14155550100', to: '+15550100', text: 'hi', secrets: bridgeSecrets, ...override };
    await expect(simulateInbound(options as Parameters<typeof simulateInbound>[0])).rejects.toThrow(message);
  });

  it('reports a redirect instead of following it off to another host', async () => {
    const target = createServer((_req, res) => res.end('followed'));
    let targetHits = 0;
    target.on('request', () => {
      targetHits += 1;
    });
    const targetUrl = await listen(target);
    const redirecting = createServer((_req, res) => res.writeHead(307, { location: `${targetUrl}/elsewhere` }).end());
    const redirectingUrl = await listen(redirecting);
    try {
      const delivery = await simulateInbound({
        provider: 'twilio',
        bridgeUrl: redirectingUrl,
        from: '+14155550100',
        to: '+15550100',
        text: 'hi',
        secrets: bridgeSecrets,
      });
      expect(delivery.status).toBe(307);
      expect(targetHits).toBe(0);
    } finally {
      await closeServer(redirecting);
      await closeServer(target);
    }
  });

  it('says so when no bridge answers', async () => {
    const idle = createServer();
    const idleUrl = await listen(idle);
    await closeServer(idle);
    const attempt = simulateInbound({ provider: 'twilio', bridgeUrl: idleUrl, from: '+14155550100', to: '+15550100', text: 'hi', secrets: bridgeSecrets });
    await expect(attempt).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
      message: expect.stringContaining(`The bridge at ${idleUrl}/webhooks/twilio did not answer (ECONNREFUSED)`),
    });
  });

  it('cuts an oversized answer at 64 KiB', async () => {
    const chatty = createServer((_req, res) => res.end('x'.repeat(200_000)));
    const chattyUrl = await listen(chatty);
    try {
      const delivery = await simulateInbound({
        provider: 'twilio',
        bridgeUrl: chattyUrl,
        from: '+14155550100',
        to: '+15550100',
        text: 'hi',
        secrets: bridgeSecrets,
      });
      expect(delivery.body.startsWith('x'.repeat(65_536))).toBe(true);
      expect(delivery.body).toMatch(/x… \(cut at 65536 bytes\)$/);
      expect(delivery.body.length).toBeLessThan(65_600);
    } finally {
      await closeServer(chatty);
    }
  });
});

describe('the simulator on a bridge mounted under other paths', () => {
  it("posts to the chat's own path for the provider when given one, else /webhooks/<provider>", async () => {
    const seen: string[] = [];
    const bridgeServer = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(200).end();
    });
    const bridgeUrl = await listen(bridgeServer);
    const secrets = { twilioAuthToken: bridgeSecrets.twilioAuthToken, standardWebhookSecret: bridgeSecrets.standardWebhookSecret };
    const mounted = await startEmulator({ port: 0, simulator: { bridgeUrl, secrets, paths: { generic: '/hooks/generic' } } });
    try {
      for (const provider of ['generic', 'twilio']) {
        const response = await fetch(`${mounted.url}/_emulator/simulate`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ provider, from: '+14155550177', text: 'hi' }),
        });
        expect(response.status).toBe(200);
      }
      expect(seen).toEqual(['POST /hooks/generic', 'POST /webhooks/twilio']);
      await expect(startEmulator({ port: 0, simulator: { secrets, paths: { generic: 'hooks?x=1' } } })).rejects.toThrow(/simulator\.paths\.generic/);
    } finally {
      await mounted.close();
      await closeServer(bridgeServer);
    }
  });
});
