import { ConnectChatError, createConnectChat, createStandardWebhooksProvider, createTwilioProvider, createWhatsAppProvider } from '@connect-chat/core';
import type { ConnectChat } from '@connect-chat/core';
import {
  createStandardWebhookRequest,
  createTwilioRequest,
  createWhatsAppChallengeRequest,
  createWhatsAppRequest,
  generateStandardWebhookSecret,
  twilioMessageParams,
  whatsAppTextPayload,
} from '@connect-chat/core/testing';
import { startEmulator } from '@connect-chat/emulator';
import type { RunningEmulator } from '@connect-chat/emulator';
import express5 from 'express';
import type { ErrorRequestHandler, Express } from 'express';
import express4 from 'express4';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { webhook, webhooks } from '../src/index.ts';
import { listen } from './listen.ts';

const secrets = { twilio: 'twilio-test-token', appSecret: 'meta-app-secret', verifyToken: 'meta-verify', generic: generateStandardWebhookSecret() };
const credentials = { accessKeyId: 'AKIAEXPRESSTEST', secretAccessKey: 'express-test-secret' };
const destination = 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-express';
const keepRawBody = (req: unknown, _res: unknown, buf: Buffer): void => {
  (req as { rawBody?: Buffer }).rawBody = buf;
};

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, credentials: [credentials] });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

function bridge(): ConnectChat {
  return createConnectChat({
    providers: [
      createTwilioProvider({ authToken: secrets.twilio }),
      createWhatsAppProvider({ appSecret: secrets.appSecret, verifyToken: secrets.verifyToken }),
      createStandardWebhooksProvider({ secret: secrets.generic }),
    ],
    route: { destination },
    sender: { endpoint: emulator.url, region: 'us-east-1', credentials, rateLimit: false, retry: { maxAttempts: 1 } },
  });
}

function sentTexts(): (string | undefined)[] {
  return emulator.chats().flatMap((chat) => chat.transcript.map((item) => item.content));
}

const twilioMessage = (url: string, text: string) =>
  createTwilioRequest({ url, authToken: secrets.twilio, params: twilioMessageParams({ from: '+14155550100', to: '+12125550101', body: text }) });
const genericMessage = (url: string, text: string) =>
  createStandardWebhookRequest({ url, secret: secrets.generic, payload: { version: 1, type: 'message', from: '+14155550103', to: '+12125550101', text } });
const whatsAppMessage = (url: string, text: string) =>
  createWhatsAppRequest({ url, appSecret: secrets.appSecret, payload: whatsAppTextPayload({ from: '+16505551234', to: '+12125550101', text }) });

// Sends a signed request to wherever it was signed for, or to `via` with its own URL in the Host header.
async function post(request: Request, via?: string): Promise<{ status: number; body: string; headers: Headers }> {
  const target = via ? `${via}${new URL(request.url).pathname}${new URL(request.url).search}` : request.url;
  const response = await fetch(target, {
    method: request.method,
    headers: request.headers,
    body: request.body === null ? undefined : await request.arrayBuffer(),
  });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

describe.each([
  ['express 5', express5],
  ['express 4', express4],
])('%s', (_name, express) => {
  let server: { baseUrl: string; close(): Promise<void> } | undefined;
  const start = async (configure: (app: Express) => void) => {
    const app = express();
    configure(app);
    server = await listen(app);
    return server.baseUrl;
  };
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers BODY_ALREADY_PARSED when express.json() consumed the body first, and sends nothing', async () => {
    const baseUrl = await start((app) => {
      app.use(express.json());
      app.use(webhooks(bridge()));
    });
    const reply = await post(await genericMessage(`${baseUrl}/webhooks/generic`, 'parsed too early'));
    expect(reply.status).toBe(500);
    expect(JSON.parse(reply.body).error).toMatchObject({
      code: 'BODY_ALREADY_PARSED',
      message: expect.stringMatching(/body parser.*Mount connect-chat before body parsers/s),
    });
    expect(sentTexts()).toEqual([]);
  });

  it('uses req.rawBody kept by the verify recipe of express.json() and express.urlencoded()', async () => {
    const baseUrl = await start((app) => {
      app.use(express.json({ verify: keepRawBody }));
      app.use(express.urlencoded({ extended: false, verify: keepRawBody }));
      app.use(webhooks(bridge()));
    });
    const replies = [
      await post(await genericMessage(`${baseUrl}/webhooks/generic`, 'kept json')),
      await post(await twilioMessage(`${baseUrl}/webhooks/twilio`, 'kept form')),
      await post(await whatsAppMessage(`${baseUrl}/webhooks/whatsapp`, 'kept äöå 👋')),
    ];
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200]);
    expect(sentTexts().sort()).toEqual(['kept form', 'kept json', 'kept äöå 👋']);
  });

  it('reads the Buffer express.raw() leaves in req.body', async () => {
    const baseUrl = await start((app) => {
      app.use(express.raw({ type: '*/*' }));
      app.use(webhooks(bridge()));
    });
    expect((await post(await genericMessage(`${baseUrl}/webhooks/generic`, 'raw buffer'))).status).toBe(200);
    expect(sentTexts()).toEqual(['raw buffer']);
  });

  it('passes other routes on untouched, their bodies unread', async () => {
    const baseUrl = await start((app) => {
      app.use(webhooks(bridge()));
      app.use(express.json());
      app.post('/api/echo', (req, res) => {
        res.json({ received: req.body });
      });
      app.get('/healthz', (_req, res) => {
        res.send('ok');
      });
    });
    const echo = await fetch(`${baseUrl}/api/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await echo.json()).toEqual({ received: { a: 1 } });
    expect(await (await fetch(`${baseUrl}/healthz`)).text()).toBe('ok');
    expect((await fetch(`${baseUrl}/webhooks/nope`, { method: 'POST' })).status).toBe(404);
  });

  it('serves one provider per route with webhook(), on any path', async () => {
    const chat = bridge();
    const baseUrl = await start((app) => {
      app.post('/hooks/sms', webhook(chat.handler('twilio')));
      app.all('/hooks/meta', webhook(chat.handler('whatsapp')));
    });
    expect((await post(await twilioMessage(`${baseUrl}/hooks/sms?account=a1`, 'per route'))).status).toBe(200);
    const challenge = await post(createWhatsAppChallengeRequest({ url: `${baseUrl}/hooks/meta`, verifyToken: secrets.verifyToken, challenge: '8141' }));
    expect(challenge).toMatchObject({ status: 200, body: '8141' });
    expect((await post(await whatsAppMessage(`${baseUrl}/hooks/meta`, 'meta per route'))).status).toBe(200);
    expect(sentTexts().sort()).toEqual(['meta per route', 'per route']);
  });

  it('answers its paths relative to a mount prefix, signing over the full URL', async () => {
    const baseUrl = await start((app) => {
      app.use('/bridge', webhooks(bridge()));
    });
    expect((await post(await twilioMessage(`${baseUrl}/bridge/webhooks/twilio`, 'under a prefix'))).status).toBe(200);
    expect(sentTexts()).toEqual(['under a prefix']);
  });

  it('rebuilds the public URL from X-Forwarded-* only when trust proxy is set', async () => {
    const signedForPublicUrl = () => twilioMessage('https://bridge.example.com/webhooks/twilio', 'behind a proxy');
    const forwarded = (request: Request) => {
      request.headers.set('x-forwarded-proto', 'https');
      request.headers.set('x-forwarded-host', 'bridge.example.com');
      return request;
    };
    const untrusting = await start((app) => app.use(webhooks(bridge())));
    expect((await post(forwarded(await signedForPublicUrl()), untrusting)).status).toBe(401);
    await server?.close();

    const trusting = await start((app) => {
      app.set('trust proxy', 'loopback');
      app.use(webhooks(bridge()));
    });
    expect((await post(forwarded(await signedForPublicUrl()), trusting)).status).toBe(200);
    expect(sentTexts()).toEqual(['behind a proxy']);
  });

  it('hands errors thrown while converting to Express error handling', async () => {
    const failing = { ...bridge().handler('generic'), handle: () => Promise.reject(new Error('adapter bug')) };
    const baseUrl = await start((app) => {
      app.post('/webhooks/generic', webhook(failing));
      app.use(((error, _req, res, _next) => {
        res.status(599).send((error as Error).message);
      }) satisfies ErrorRequestHandler);
    });
    expect(await post(await genericMessage(`${baseUrl}/webhooks/generic`, 'x'))).toMatchObject({ status: 599, body: 'adapter bug' });
  });
});

describe('input validation', () => {
  it.each([
    ['webhook(undefined)', () => webhook(undefined as never), /webhook\(handler\): expected a WebhookHandler .*got undefined/],
    ['webhook({})', () => webhook({} as never), /got an object without handle\(\)/],
    ['webhooks(null)', () => webhooks(null as never), /webhooks\(chat\): expected a ConnectChat .*got null/],
    ['webhooks(chat.handler)', () => webhooks(bridge().handler('twilio') as never), /got an object without match\(\)/],
  ])('%s throws INVALID_OPTIONS', (_name, call, message) => {
    expect(call).toThrow(message);
    try {
      call();
    } catch (error) {
      expect(ConnectChatError.is(error) && error.code).toBe('INVALID_OPTIONS');
    }
  });
});
