import nodeCrypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectChatError } from '../../errors/connect-chat-error.ts';
import { SignatureError } from '../../errors/signature-error.ts';
import { silentLogger } from '../../logger.ts';
import { createTwilioRequest, signTwilioRequest, twilioMessageParams } from '../../testing/twilio.ts';
import { sha256Hex } from '../hmac.ts';
import type { InboundMessage } from '../../model/inbound-message.ts';
import type { ProviderContext } from '../types.ts';
import { formParams, twilioSignedData } from './signature.ts';
import { createTwilioProvider } from './twilio-provider.ts';
import { received, rejection } from '../../../test/support/provider-requests.ts';
import { destinationArn, recordingHooks, recordingTransport, senderOver } from '../../../test/support/fakes.ts';
import { createWebhookHandler } from '../../http/handler.ts';
import type { Logger } from '../../logger.ts';
import type { TwilioProviderOptions } from './twilio-provider.ts';

const context: ProviderContext = { logger: silentLogger, fetch };
const URL_ = 'https://bridge.example.com/webhooks/twilio';
const TOKEN = 'b2f6c1d0e9a84f7c9d3e5a1b7c0f2e4d';

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8').trimEnd();
}

/** A fixture body posted verbatim, signed over its decoded fields as Twilio does. */
async function signedFixture(name: string, options: { url?: string; token?: string } = {}): Promise<Request> {
  const body = fixture(name);
  const url = options.url ?? URL_;
  const params = Object.fromEntries(new URLSearchParams(body));
  const signature = await signTwilioRequest({ url, authToken: options.token ?? TOKEN, params });
  return new Request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body });
}

async function onlyMessage(provider: ReturnType<typeof createTwilioProvider>, request: Request): Promise<InboundMessage> {
  const req = await received(request);
  await provider.verify(req, context);
  const result = await provider.parse(req, context);
  if (result.kind !== 'messages') throw new Error(`expected messages, got ${result.kind}`);
  expect(result.messages).toHaveLength(1);
  return result.messages[0]!;
}

function withHeader(request: Request, name: string, value: string | null): Request {
  const headers = new Headers(request.headers);
  if (value === null) headers.delete(name);
  else headers.set(name, value);
  return new Request(request.clone(), { headers });
}

describe('Twilio signature: the published vectors', () => {
  const params = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' };

  it('form post: 0/KCTR6DLpKmkAf8muzZqo1nDgQ=', async () => {
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    expect(await signTwilioRequest({ url, authToken: '12345', params })).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    const request = new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': '0/KCTR6DLpKmkAf8muzZqo1nDgQ=' },
      body: new URLSearchParams(params).toString(),
    });
    await expect(createTwilioProvider({ authToken: '12345' }).verify(await received(request), context)).resolves.toBeUndefined();
  });

  it('JSON post: bodySHA256 015abd… and 2e7mH/NA6FwzvUqLZxhsETU/4bw=', async () => {
    const hash = '015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862';
    expect(await sha256Hex('{"a":1}')).toBe(hash);
    const url = `https://example.com/hook?bodySHA256=${hash}`;
    expect(await signTwilioRequest({ url, authToken: '12345' })).toBe('2e7mH/NA6FwzvUqLZxhsETU/4bw=');
    const request = new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twilio-signature': '2e7mH/NA6FwzvUqLZxhsETU/4bw=' },
      body: '{"a":1}',
    });
    await expect(createTwilioProvider({ authToken: '12345' }).verify(await received(request), context)).resolves.toBeUndefined();
    const built = await createTwilioRequest({ url: 'https://example.com/hook', authToken: '12345', json: { a: 1 } });
    expect(built.url).toBe(url);
    expect(built.headers.get('x-twilio-signature')).toBe('2e7mH/NA6FwzvUqLZxhsETU/4bw=');
  });
});

describe('createTwilioProvider: verify', () => {
  const provider = createTwilioProvider({ authToken: TOKEN });

  it('accepts a signed SMS fixture and refuses it once tampered', async () => {
    await expect(provider.verify(await received(await signedFixture('sms.form')), context)).resolves.toBeUndefined();
    const signed = await signedFixture('sms.form');
    const tampered = new Request(signed, { body: fixture('sms.form').replace('order+%231234', 'order+%239999') });
    const error = await rejection(provider.verify(await received(tampered), context));
    expect(error).toBeInstanceOf(SignatureError);
    expect(error.status).toBe(401);
    expect(error.message).toBe(
      'X-Twilio-Signature does not match any configured auth token over the URL this request arrived at; if Twilio calls another URL (behind a proxy or tunnel), set publicUrl (PUBLIC_URL) to it',
    );
  });

  it('refuses an added field (Twilio signs every received field)', async () => {
    const signed = await signedFixture('sms.form');
    const extended = new Request(signed, { body: `${fixture('sms.form')}&Injected=1` });
    expect((await rejection(provider.verify(await received(extended), context))).code).toBe('SIGNATURE_INVALID');
  });

  it('refuses a wrong token, a missing header and a header that is not base64, without echoing the token', async () => {
    const wrong = await signedFixture('sms.form', { token: 'not-the-token' });
    const wrongError = await rejection(provider.verify(await received(wrong), context));
    expect(wrongError.code).toBe('SIGNATURE_INVALID');
    expect(wrongError.message).not.toContain(TOKEN);

    const missing = withHeader(await signedFixture('sms.form'), 'x-twilio-signature', null);
    const missingError = await rejection(provider.verify(await received(missing), context));
    expect(missingError).toBeInstanceOf(SignatureError);
    expect(missingError.message).toBe('missing X-Twilio-Signature header');

    const garbled = withHeader(await signedFixture('sms.form'), 'x-twilio-signature', 'not base64!');
    expect((await rejection(provider.verify(await received(garbled), context))).message).toBe('X-Twilio-Signature is not base64');
  });

  it('accepts the URL signed with or without the default port, like Twilio’s validator', async () => {
    const params = twilioMessageParams({ from: '+14155550100', to: '+14155550199', body: 'port' });
    const signedWithPort = await signTwilioRequest({ url: 'https://bridge.example.com:443/webhooks/twilio', authToken: TOKEN, params });
    const request = await createTwilioRequest({ url: URL_, authToken: TOKEN, params });
    await expect(provider.verify(await received(withHeader(request, 'x-twilio-signature', signedWithPort)), context)).resolves.toBeUndefined();

    // Served on a non-default port, signed for the URL without it.
    const local = await createTwilioRequest({ url: 'http://localhost:8080/webhooks/twilio', authToken: TOKEN, params });
    const signedWithoutPort = await signTwilioRequest({ url: 'http://localhost/webhooks/twilio', authToken: TOKEN, params });
    await expect(provider.verify(await received(withHeader(local, 'x-twilio-signature', signedWithoutPort)), context)).resolves.toBeUndefined();

    // Another port is another URL.
    const otherPort = await signTwilioRequest({ url: 'https://bridge.example.com:8443/webhooks/twilio', authToken: TOKEN, params });
    expect((await rejection(provider.verify(await received(withHeader(request, 'x-twilio-signature', otherPort)), context))).code).toBe('SIGNATURE_INVALID');
  });

  describe('work per request, counted at the real node:crypto', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('imports the auth token once and, once a form matched, checks a valid request with one HMAC', async () => {
      const fresh = createTwilioProvider({ authToken: TOKEN, publicUrl: 'https://bridge.example.com' });
      const importKey = vi.spyOn(nodeCrypto, 'createSecretKey');
      const verify = vi.spyOn(nodeCrypto, 'createHmac');
      const signedRequest = async (url: string) => {
        const params = twilioMessageParams({ from: '+14155550100', to: '+14155550199', body: 'count' });
        const request = await createTwilioRequest({ url: URL_, authToken: TOKEN, params });
        return withHeader(request, 'x-twilio-signature', await signTwilioRequest({ url, authToken: TOKEN, params }));
      };
      const verifyCalls = async (request: Request) => {
        const req = await received(request);
        verify.mockClear();
        await fresh.verify(req, context);
        return verify.mock.calls.length;
      };
      // The URL as configured (no port) is tried first.
      expect(await verifyCalls(await signedRequest(URL_))).toBe(1);
      expect(await verifyCalls(await signedRequest(URL_))).toBe(1);
      // Signed with the default port: both forms once, then that form first.
      const withPort = 'https://bridge.example.com:443/webhooks/twilio';
      expect(await verifyCalls(await signedRequest(withPort))).toBe(2);
      expect(await verifyCalls(await signedRequest(withPort))).toBe(1);
      expect(await verifyCalls(await signedRequest(URL_))).toBe(2);
      // Only verifiers prepare keys (signing uses a key once): the token was prepared once in all.
      expect(importKey).toHaveBeenCalledTimes(1);
    });
  });

  it('verifies the public URL behind a proxy with publicUrl (origin, path prefix or function)', async () => {
    const params = twilioMessageParams({ from: '+14155550100', to: '+14155550199', body: 'proxied' });
    const signature = await signTwilioRequest({ url: 'https://bridge.example.com/webhooks/twilio?tenant=7', authToken: TOKEN, params });
    const internal = withHeader(
      await createTwilioRequest({ url: 'http://10.0.0.12:3000/webhooks/twilio?tenant=7', authToken: TOKEN, params }),
      'x-twilio-signature',
      signature,
    );
    expect((await rejection(provider.verify(await received(internal), context))).code).toBe('SIGNATURE_INVALID');
    const behindProxy = createTwilioProvider({ authToken: TOKEN, publicUrl: 'https://bridge.example.com/' });
    await expect(behindProxy.verify(await received(internal), context)).resolves.toBeUndefined();

    const prefixed = await signTwilioRequest({ url: 'https://example.com/chat/webhooks/twilio?tenant=7', authToken: TOKEN, params });
    const withPrefix = createTwilioProvider({ authToken: TOKEN, publicUrl: 'https://example.com/chat' });
    await expect(withPrefix.verify(await received(withHeader(internal, 'x-twilio-signature', prefixed)), context)).resolves.toBeUndefined();

    const fromHeaders = createTwilioProvider({
      authToken: TOKEN,
      publicUrl: ({ url, headers }) => `https://${headers.get('x-forwarded-host')}${url.pathname}${url.search}`,
    });
    const forwarded = withHeader(internal, 'x-forwarded-host', 'bridge.example.com');
    await expect(fromHeaders.verify(await received(forwarded), context)).resolves.toBeUndefined();
  });

  it('accepts either token during rotation, from a list or a function of the env', async () => {
    const rotating = createTwilioProvider({ authToken: ['old-token', TOKEN] });
    await expect(rotating.verify(await received(await signedFixture('sms.form')), context)).resolves.toBeUndefined();
    await expect(rotating.verify(await received(await signedFixture('sms.form', { token: 'old-token' })), context)).resolves.toBeUndefined();
    expect((await rejection(rotating.verify(await received(await signedFixture('sms.form', { token: 'third' })), context))).code).toBe('SIGNATURE_INVALID');

    const fromEnv = createTwilioProvider({ authToken: ({ env }) => [String(env?.PRIMARY), String(env?.SECONDARY)] });
    const envContext = { ...context, env: { PRIMARY: 'old-token', SECONDARY: TOKEN } };
    await expect(fromEnv.verify(await received(await signedFixture('sms.form')), envContext)).resolves.toBeUndefined();
  });

  it('signs repeated names with each value, sorted', async () => {
    const data = twilioSignedData(
      'https://x.test/h',
      new Map([
        ['b', ['2', '1']],
        ['a', ['z']],
      ]),
    );
    expect(data).toBe('https://x.test/haz' + 'b1' + 'b2');
    const params = { ...twilioMessageParams({ from: '+14155550100', to: '+14155550199', body: 'tags' }), Tag: ['beta', 'alpha'] };
    const request = await createTwilioRequest({ url: URL_, authToken: TOKEN, params });
    expect(await request.clone().text()).toContain('Tag=beta&Tag=alpha');
    await expect(provider.verify(await received(request), context)).resolves.toBeUndefined();
  });

  it('refuses a JSON body whose hash does not match, or that has no bodySHA256', async () => {
    const json = fixture('sms.json');
    const signed = await createTwilioRequest({ url: URL_, authToken: TOKEN, json });
    await expect(provider.verify(await received(signed), context)).resolves.toBeUndefined();
    const tampered = new Request(signed, { body: json.replace('order #1234', 'order #9999') });
    expect((await rejection(provider.verify(await received(tampered), context))).message).toBe('the body does not match the bodySHA256 query parameter');

    const noHash = new Request(URL_, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twilio-signature': await signTwilioRequest({ url: URL_, authToken: TOKEN }) },
      body: json,
    });
    expect((await rejection(provider.verify(await received(noHash), context))).code).toBe('SIGNATURE_INVALID');
  });

  it('property: a flipped byte in the signature never verifies', async () => {
    const request = await received(await signedFixture('sms.form'));
    const header = request.headers.get('x-twilio-signature')!;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: header.length - 1 }), fc.integer({ min: 1, max: 255 }), async (index, mask) => {
        const flipped = String.fromCharCode(header.charCodeAt(index) ^ mask);
        const forged = header.slice(0, index) + flipped + header.slice(index + 1);
        const headers = new Headers(request.headers as Headers);
        try {
          headers.set('x-twilio-signature', forged);
        } catch {
          return; // not a legal header value: it cannot arrive
        }
        await expect(provider.verify({ ...request, headers }, context)).rejects.toThrow(SignatureError);
      }),
    );
  });

  it('property: a flipped body byte that changes the signed fields never verifies', async () => {
    const request = await received(await signedFixture('sms.form'));
    const original = [...formParams(request.text)].map(([k, v]) => `${k}=${v.join(',')}`).join('&');
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: request.body.length - 1 }), fc.integer({ min: 1, max: 255 }), async (index, mask) => {
        const body = request.body.slice();
        body[index]! ^= mask;
        const text = new TextDecoder().decode(body);
        // Twilio signs decoded fields, so `+`/`%20` or `%2b`/`%2B` spellings of the same fields are one message.
        fc.pre([...formParams(text)].map(([k, v]) => `${k}=${v.join(',')}`).join('&') !== original);
        await expect(provider.verify({ ...request, body, text }, context)).rejects.toThrow(SignatureError);
      }),
    );
  });
});

describe('createTwilioProvider: a signature failure names the URL it was checked over (through the handler)', () => {
  const params = twilioMessageParams({ from: '+14155550100', to: '+14155550199', body: 'signed elsewhere' });

  /** A handler whose log lines and onRejected reasons are kept; the request reached the server at an internal URL. */
  async function refuse(options: Omit<TwilioProviderOptions, 'authToken'>, signedOver: string) {
    const lines: Array<{ level: string; message: string; fields: Record<string, unknown> | undefined }> = [];
    const capture =
      (level: string) =>
      (message: string, fields?: Record<string, unknown>): void => {
        lines.push({ level, message, fields });
      };
    const logger: Logger = { debug: capture('debug'), info: capture('info'), warn: capture('warn'), error: capture('error') };
    const hooks = recordingHooks();
    const transport = recordingTransport();
    const handler = createWebhookHandler({
      provider: createTwilioProvider({ authToken: TOKEN, ...options }),
      sender: senderOver(transport.transport),
      route: { destination: destinationArn },
      logger,
      hooks: hooks.hooks,
    });
    const signature = await signTwilioRequest({ url: signedOver, authToken: TOKEN, params });
    const internal = await createTwilioRequest({ url: 'http://10.0.0.12:3000/webhooks/twilio?tenant=7', authToken: TOKEN, params });
    const response = await handler.fetch(withHeader(internal, 'x-twilio-signature', signature));
    const body = (await response.json()) as { error: { code: string; message: string } };
    const refused = lines.filter((line) => line.message === 'connect-chat: webhook refused');
    expect(refused).toHaveLength(1);
    expect(transport.attempts).toEqual([]);
    const reason = String(refused[0]!.fields?.reason);
    expect(hooks.of<{ reason: string }>('onRejected').map((rejected) => rejected.reason)).toEqual([reason]);
    const everything = JSON.stringify({ lines, body, rejected: hooks.of('onRejected') });
    expect(everything).not.toContain(TOKEN);
    return { status: response.status, code: body.error.code, reason, everything };
  }

  it('with publicUrl differing from the request URL, says the signature was checked over the publicUrl-based URL, and which', async () => {
    // Twilio still calls last week's tunnel; publicUrl says bridge.example.com.
    const { status, code, reason, everything } = await refuse(
      { publicUrl: 'https://bridge.example.com' },
      'https://old-tunnel.example/webhooks/twilio?tenant=7',
    );
    expect({ status, code }).toEqual({ status: 401, code: 'SIGNATURE_INVALID' });
    expect(reason).toBe(
      'X-Twilio-Signature does not match any configured auth token over https://bridge.example.com/webhooks/twilio?…, the URL built from publicUrl, ' +
        'not the URL this request arrived at: Twilio signs the URL its webhook is configured with, so publicUrl must give exactly that URL',
    );
    // The internal address and the query (which may carry a secret of its own) are not repeated.
    expect(everything).not.toContain('10.0.0.12');
    expect(everything).not.toContain('tenant=7');
  });

  it('never shows credentials a publicUrl function put in the URL', async () => {
    const { reason, everything } = await refuse(
      { publicUrl: ({ url }) => `https://twilio:hunter2@bridge.example.com${url.pathname}` },
      'https://bridge.example.com/webhooks/twilio',
    );
    expect(reason).toContain('over https://bridge.example.com/webhooks/twilio, the URL built from publicUrl, not the URL this request arrived at');
    expect(everything).not.toContain('hunter2');
  });

  it('without publicUrl, says it checked the URL the request arrived at and how to change it', async () => {
    const { reason, everything } = await refuse({}, 'https://bridge.example.com/webhooks/twilio?tenant=7');
    expect(reason).toMatch(/over the URL this request arrived at; if Twilio calls another URL \(behind a proxy or tunnel\), set publicUrl \(PUBLIC_URL\)/);
    expect(everything).not.toContain('10.0.0.12');
  });
});

describe('createTwilioProvider: parse', () => {
  const provider = createTwilioProvider({ authToken: TOKEN });

  it('reads an SMS', async () => {
    const message = await onlyMessage(provider, await signedFixture('sms.form'));
    expect(message).toMatchObject({
      provider: 'twilio',
      id: 'SM8d4f2e6a1b3c5d7e9f0a2b4c6d8e0f1a',
      channel: 'sms',
      kind: 'message',
      from: '+14155550100',
      to: '+14155550199',
      text: 'Hi, I need help with my order #1234',
      media: [],
    });
    expect(message.profileName).toBeUndefined();
    expect((message.raw as Record<string, string>).AccountSid).toBe('AC3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c');
  });

  it('keeps every received field in raw: one value as a string, repeated names as arrays, any name as an own property', async () => {
    const params = new URLSearchParams(fixture('sms.form'));
    params.append('Tag', 'a');
    params.append('Tag', 'b');
    params.append('__proto__', 'polluted');
    const body = params.toString();
    // Object.fromEntries defines `__proto__` as an own property, as Twilio's JSON would.
    const signed = Object.fromEntries(
      [...new Set(params.keys())].map((name) => [name, params.getAll(name).length === 1 ? params.get(name)! : params.getAll(name)]),
    );
    const signature = await signTwilioRequest({ url: URL_, authToken: TOKEN, params: signed });
    const request = new Request(URL_, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body,
    });
    const raw = (await onlyMessage(provider, request)).raw as Record<string, unknown>;
    expect(raw['MessageSid']).toBe('SM8d4f2e6a1b3c5d7e9f0a2b4c6d8e0f1a');
    expect(raw['Tag']).toEqual(['a', 'b']);
    expect(Object.getPrototypeOf(raw)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(raw, '__proto__')?.value).toBe('polluted');
    expect(Object.keys(raw)).toEqual([...new Set(params.keys())]);
  });

  it('reads an MMS with its media in order', async () => {
    const message = await onlyMessage(provider, await signedFixture('mms.form'));
    expect(message.text).toBe('Photos of the damage');
    expect(message.media).toEqual([
      { url: expect.stringMatching(/\/Media\/ME0a1b/), contentType: 'image/jpeg' },
      { url: expect.stringMatching(/\/Media\/ME9f8e/), contentType: 'application/pdf' },
    ]);
  });

  it('reads WhatsApp via Twilio: whatsapp: stripped, channel whatsapp, profile name, emoji intact', async () => {
    const message = await onlyMessage(provider, await signedFixture('whatsapp.form'));
    expect(message).toMatchObject({
      channel: 'whatsapp',
      from: '+14155550100',
      to: '+14155550199',
      text: 'Olá! Preciso de ajuda 🙏',
      profileName: 'Zoë Ångström',
    });
  });

  it('turns a WhatsApp location into text', async () => {
    const message = await onlyMessage(provider, await signedFixture('whatsapp-location.form'));
    expect(message.text).toBe('Location: Ferry Building, 1 Market St, San Francisco (37.7749, -122.4194)');
  });

  it('reads the JSON variant', async () => {
    const message = await onlyMessage(provider, await createTwilioRequest({ url: URL_, authToken: TOKEN, json: fixture('sms.json') }));
    expect(message).toMatchObject({ id: 'SM8d4f2e6a1b3c5d7e9f0a2b4c6d8e0f1a', from: '+14155550100', text: 'Hi, I need help with my order #1234' });
  });

  it('ignores status callbacks with the status as the reason', async () => {
    const request = await received(await signedFixture('status-callback.form'));
    await provider.verify(request, context);
    const result = await provider.parse(request, context);
    expect(result).toMatchObject({ kind: 'messages', messages: [], ignored: [{ provider: 'twilio', reason: 'twilio status callback (delivered)' }] });
  });

  it('refuses a message without MessageSid, From or To, and inconsistent media fields', async () => {
    for (const field of ['MessageSid', 'From', 'To']) {
      const params: Record<string, string> = twilioMessageParams({ from: '+14155550100', to: '+14155550199', body: 'x' });
      delete params[field];
      const request = await received(await createTwilioRequest({ url: URL_, authToken: TOKEN, params }));
      const error = await rejection(provider.parse(request, context));
      expect(error.code).toBe('MALFORMED_PAYLOAD');
      expect(error.message).toBe(`${field}: missing`);
    }
    const params = { ...twilioMessageParams({ from: '+14155550100', to: '+14155550199' }), NumMedia: '2', MediaUrl0: 'https://x.test/0' };
    const error = await rejection(provider.parse(await received(await createTwilioRequest({ url: URL_, authToken: TOKEN, params })), context));
    expect(error.message).toBe('MediaUrl1: missing although NumMedia is 2');
  });

  it('acknowledges with an empty TwiML document', () => {
    expect(provider.acknowledge?.()).toEqual({
      status: 200,
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>',
    });
  });
});

describe('createTwilioProvider: options', () => {
  it('refuses unusable options at construction with the option path', () => {
    const invalid = (options: unknown) => {
      try {
        createTwilioProvider(options as never);
      } catch (error) {
        if (ConnectChatError.is(error) && error.code === 'INVALID_OPTIONS') return error.message;
      }
      throw new Error('expected INVALID_OPTIONS');
    };
    expect(invalid({})).toBe('authToken: expected a non-empty string, a non-empty array of strings or a function returning them, got nothing');
    expect(invalid({ authToken: '' })).toBe('authToken: expected a non-empty string, got an empty string');
    expect(invalid({ authToken: [] })).toBe('authToken: expected at least one secret, got an empty array');
    expect(invalid({ authToken: ['a', 7] })).toBe('authToken[1]: expected a non-empty string, got a number');
    expect(invalid({ authToken: 'a', publicUrl: 'bridge.example.com' })).toMatch(/^publicUrl: expected an absolute http\(s\) base URL/);
    expect(invalid({ authToken: 'a', publicUrl: 'https://x.test/?a=1' })).toMatch(/^publicUrl: /);
    expect(invalid({ authToken: 'a', name: 'Twilio Main' })).toMatch(/^name: expected a lowercase name/);
    expect(invalid(null)).toBe('options: expected an object, got null');
    expect(createTwilioProvider({ authToken: 'a', name: 'twilio-eu' }).name).toBe('twilio-eu');
  });

  it('reports a secret function returning nothing usable as a configuration error', async () => {
    const provider = createTwilioProvider({ authToken: () => [] });
    const error = await rejection(provider.verify(await received(await signedFixture('sms.form')), context));
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.message).toBe('authToken (returned by the function): expected at least one secret, got an empty array');
  });
});
