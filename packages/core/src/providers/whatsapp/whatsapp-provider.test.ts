import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SignatureError } from '../../errors/signature-error.ts';
import { silentLogger } from '../../logger.ts';
import { createWhatsAppChallengeRequest, createWhatsAppRequest, whatsAppStatusPayload, whatsAppTextPayload } from '../../testing/whatsapp.ts';
import type { ParseResult, ProviderContext } from '../types.ts';
import { escapeUnicode } from './signature.ts';
import { createWhatsAppProvider } from './whatsapp-provider.ts';
import { received, rejection } from '../../../test/support/provider-requests.ts';

const context: ProviderContext = { logger: silentLogger, fetch };
const SECRET = '3c9f1b7e2a5d4c8f9e0a1b2c3d4e5f60';
const VERIFY_TOKEN = 'meatyhamhock';
const provider = createWhatsAppProvider({ appSecret: SECRET, verifyToken: VERIFY_TOKEN });

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8');
}

async function handle(request: Request, target = provider): Promise<ParseResult> {
  const req = await received(request);
  await target.verify(req, context);
  return target.parse(req, context);
}

async function messagesOf(request: Request) {
  const result = await handle(request);
  if (result.kind !== 'messages') throw new Error(`expected messages, got ${result.kind}`);
  return result;
}

describe('createWhatsAppProvider: subscription check (GET)', () => {
  const url = 'https://bridge.example.com/webhooks/whatsapp';

  it('echoes hub.challenge as text/plain when the verify token matches', async () => {
    const result = await handle(createWhatsAppChallengeRequest({ url, verifyToken: VERIFY_TOKEN, challenge: '1158201444' }));
    expect(result).toEqual({
      kind: 'reply',
      response: { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }, body: '1158201444' },
    });
  });

  it('answers 403 for a wrong token or mode, 400 for missing parameters or an odd challenge', async () => {
    const wrong = await received(createWhatsAppChallengeRequest({ url, verifyToken: 'guess', challenge: '1' }));
    const wrongError = await rejection(provider.verify(wrong, context));
    expect([wrongError.code, wrongError.status]).toEqual(['FORBIDDEN', 403]);
    expect(wrongError.message).not.toContain(VERIFY_TOKEN);

    const unsubscribe = await received(new Request(`${url}?hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`));
    expect((await rejection(provider.verify(unsubscribe, context))).code).toBe('FORBIDDEN');

    const missing = await received(new Request(`${url}?hub.mode=subscribe&hub.challenge=1`));
    const missingError = await rejection(provider.verify(missing, context));
    expect([missingError.code, missingError.message]).toEqual(['MALFORMED_PAYLOAD', 'hub.verify_token: missing query parameter']);

    const script = await received(createWhatsAppChallengeRequest({ url, verifyToken: VERIFY_TOKEN, challenge: '<script>' }));
    expect((await rejection(provider.verify(script, context))).code).toBe('MALFORMED_PAYLOAD');
  });

  it('accepts any of several verify tokens', async () => {
    const rotating = createWhatsAppProvider({ appSecret: SECRET, verifyToken: ['old', VERIFY_TOKEN] });
    const result = await handle(createWhatsAppChallengeRequest({ url, verifyToken: 'old', challenge: '42' }), rotating);
    expect(result.kind === 'reply' && result.response.body).toBe('42');
  });
});

describe('createWhatsAppProvider: signature (POST)', () => {
  const accented = whatsAppTextPayload({ from: '16505551234', to: '+15550783881', text: 'Grüße, äöå – ça va? 👋🏽 𝄞', id: 'wamid.ACCENT' });

  it('verifies the escaped-unicode form Meta signs, and the raw bytes', async () => {
    for (const escapeUnicode of [true, false]) {
      const request = await createWhatsAppRequest({ appSecret: SECRET, payload: accented, escapeUnicode });
      const { messages } = await messagesOf(request);
      expect(messages[0]?.text).toBe('Grüße, äöå – ça va? 👋🏽 𝄞');
    }
  });

  it('escapes like Meta: lowercase \\uXXXX, astral characters as surrogate pairs', () => {
    expect(escapeUnicode('äöå')).toBe('\\u00e4\\u00f6\\u00e5');
    expect(escapeUnicode('a👋b')).toBe('a\\ud83d\\udc4bb');
    expect(escapeUnicode('plain "ascii"')).toBe('plain "ascii"');
  });

  it('refuses a tampered body, a wrong secret, a missing or malformed header', async () => {
    const signed = await createWhatsAppRequest({ appSecret: SECRET, payload: fixture('text') });
    const tampered = new Request(signed.clone(), { body: fixture('text').replace('Hello', 'Hellp') });
    const tamperedError = await rejection(provider.verify(await received(tampered), context));
    expect(tamperedError).toBeInstanceOf(SignatureError);
    expect(tamperedError.message).toBe('X-Hub-Signature-256 does not match any configured app secret');

    const wrong = await createWhatsAppRequest({ appSecret: 'another-app', payload: fixture('text') });
    expect((await rejection(provider.verify(await received(wrong), context))).status).toBe(401);

    const headers = new Headers(signed.headers);
    headers.delete('x-hub-signature-256');
    const missing = await rejection(provider.verify({ ...(await received(signed)), headers }, context));
    expect(missing.message).toBe('missing X-Hub-Signature-256 header');

    headers.set('x-hub-signature-256', `sha1=${'0'.repeat(40)}`);
    expect((await rejection(provider.verify({ ...(await received(signed)), headers }, context))).message).toMatch(/not of the form sha256=/);
  });

  it('accepts either app secret during rotation', async () => {
    const rotating = createWhatsAppProvider({ appSecret: () => ['retired-secret', SECRET], verifyToken: VERIFY_TOKEN });
    for (const appSecret of ['retired-secret', SECRET]) {
      const result = await handle(await createWhatsAppRequest({ appSecret, payload: fixture('text') }), rotating);
      expect(result.kind === 'messages' && result.messages.length).toBe(1);
    }
    const other = await createWhatsAppRequest({ appSecret: 'unknown', payload: fixture('text') });
    await expect(handle(other, rotating)).rejects.toThrow(SignatureError);
  });

  it('property: a flipped byte in the body or the signature never verifies', async () => {
    const request = await received(await createWhatsAppRequest({ appSecret: SECRET, payload: accented, escapeUnicode: true }));
    const header = request.headers.get('x-hub-signature-256')!;
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.nat(), fc.integer({ min: 1, max: 255 }), async (inBody, position, mask) => {
        if (inBody) {
          const body = request.body.slice();
          body[position % body.length]! ^= mask;
          const forged = { ...request, body, text: new TextDecoder().decode(body) };
          await expect(provider.verify(forged, context)).rejects.toThrow(SignatureError);
          return;
        }
        const index = position % header.length;
        const value = header.slice(0, index) + String.fromCharCode(header.charCodeAt(index) ^ mask) + header.slice(index + 1);
        const headers = new Headers();
        try {
          headers.set('x-hub-signature-256', value);
        } catch {
          return; // not a legal header value: it cannot arrive
        }
        await expect(provider.verify({ ...request, headers }, context)).rejects.toThrow(SignatureError);
      }),
    );
  });
});

describe('createWhatsAppProvider: parse', () => {
  async function parseFixture(name: string) {
    return messagesOf(await createWhatsAppRequest({ appSecret: SECRET, payload: fixture(name) }));
  }

  it('reads a text message: E.164 numbers, phone_number_id alias, profile name, timestamp', async () => {
    const { messages, ignored } = await parseFixture('text');
    expect(ignored).toEqual([]);
    expect(messages).toEqual([
      {
        provider: 'whatsapp',
        id: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
        channel: 'whatsapp',
        kind: 'message',
        from: '+16505551234',
        to: '+15550783881',
        toAliases: ['106540352242922'],
        text: 'Hello',
        media: [],
        profileName: 'Sheena Nelson',
        timestamp: '2025-02-12T00:43:44.000Z',
        raw: JSON.parse(fixture('text')).entry[0].changes[0].value.messages[0],
      },
    ]);
  });

  it('keeps every entry, change and message in order and ignores the statuses between them', async () => {
    const { messages, ignored } = await parseFixture('multiple');
    expect(messages.map((m) => [m.id, m.text, m.from, m.to, m.profileName])).toEqual([
      ['wamid.A1', 'first', '+16505551234', '+15550783881', 'Sheena Nelson'],
      ['wamid.A2', 'second', '+4915123456789', '+15550783881', 'Kai Müller'],
      ['wamid.A3', 'third', '+16505551234', '+15550783881', 'Sheena Nelson'],
      ['wamid.B1', 'fourth', '+447700900456', '+447700900123', 'Ana'],
    ]);
    expect(messages[3]?.toAliases).toEqual(['208765432109876']);
    expect(ignored.map((i) => i.reason)).toEqual(['whatsapp status callback (sent)']);
  });

  it('ignores delivery and read statuses, naming each', async () => {
    const { messages, ignored } = await parseFixture('statuses');
    expect(messages).toEqual([]);
    expect(ignored.map((i) => i.reason)).toEqual(['whatsapp status callback (delivered)', 'whatsapp status callback (read)']);
    const built = await messagesOf(
      await createWhatsAppRequest({ appSecret: SECRET, payload: whatsAppStatusPayload({ to: '+15550783881', recipient: '+16505551234', status: 'failed' }) }),
    );
    expect(built.ignored.map((i) => i.reason)).toEqual(['whatsapp status callback (failed)']);
  });

  it.each([
    ['image', { id: '1479537139650973', contentType: 'image/jpeg', caption: 'The broken part' }, 'The broken part'],
    ['audio', { id: '1003383421387256', contentType: 'audio/ogg; codecs=opus' }, undefined],
    ['video', { id: '1170430614285146', contentType: 'video/mp4' }, undefined],
    ['document', { id: '1622436305187451', contentType: 'application/pdf', caption: 'invoice-4711.pdf' }, undefined],
    ['sticker', { id: '1154431415879224', contentType: 'image/webp' }, undefined],
  ])('turns %s into media with its id and type (caption as text)', async (name, media, text) => {
    const { messages } = await parseFixture(name);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.media).toEqual([media]);
    expect(messages[0]?.text).toBe(text);
  });

  it.each([
    ['location', 'Location: Philz Coffee, 101 Forest Ave, Palo Alto, CA 94301 (37.4833079, -122.1489812)'],
    ['contacts', 'Contact: Barbara J. Johnson, +1 (940) 555-1234, bjohnson@example.com'],
    ['interactive-button', 'Talk to an agent'],
    ['interactive-list', 'Returns'],
    ['button', 'Stop promotions'],
  ])('turns %s into text', async (name, text) => {
    const { messages } = await parseFixture(name);
    expect(messages.map((m) => [m.text, m.media])).toEqual([[text, []]]);
  });

  it.each([
    ['reaction', 'whatsapp reaction (👍) to wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI0QTNFRjQ1NzE2QzEzMTZCRDIA'],
    ['system', 'whatsapp system message (user_changed_number)'],
    ['unsupported', 'whatsapp message type "unsupported" is not forwarded'],
  ])('ignores %s with a reason', async (name, reason) => {
    const { messages, ignored } = await parseFixture(name);
    expect(messages).toEqual([]);
    expect(ignored.map((i) => i.reason)).toEqual([reason]);
  });

  it('ignores deliveries for other objects sharing the callback URL', async () => {
    const { messages, ignored } = await messagesOf(await createWhatsAppRequest({ appSecret: SECRET, payload: { object: 'page', entry: [] } }));
    expect(messages).toEqual([]);
    expect(ignored[0]?.reason).toBe('webhook for object "page", not whatsapp_business_account');
  });

  it('refuses malformed payloads with the field path', async () => {
    const cases: [unknown, string][] = [
      ['not json', 'body: expected JSON'],
      [[1], 'body: expected an object, got an array'],
      [{ object: 'whatsapp_business_account' }, 'entry: expected an array, got nothing'],
      [{ object: 'whatsapp_business_account', entry: [{ changes: {} }] }, 'entry[0].changes: expected an array, got object'],
    ];
    const broken = JSON.parse(fixture('text'));
    delete broken.entry[0].changes[0].value.messages[0].from;
    cases.push([broken, 'entry[0].changes[0].value.messages[0].from: expected a non-empty string, got nothing']);
    const noMetadata = JSON.parse(fixture('text'));
    delete noMetadata.entry[0].changes[0].value.metadata;
    cases.push([noMetadata, 'entry[0].changes[0].value.metadata: expected an object, got nothing']);
    const badText = JSON.parse(fixture('text'));
    badText.entry[0].changes[0].value.messages[0].text = { body: 5 };
    cases.push([badText, 'entry[0].changes[0].value.messages[0].text.body: expected a non-empty string, got number']);
    for (const [payload, message] of cases) {
      const error = await rejection(handle(await createWhatsAppRequest({ appSecret: SECRET, payload })));
      expect([error.code, error.message]).toEqual(['MALFORMED_PAYLOAD', message]);
    }
  });

  it('refuses unusable options at construction', () => {
    expect(() => createWhatsAppProvider({ appSecret: SECRET } as never)).toThrow(/^verifyToken: expected a non-empty string/);
    expect(() => createWhatsAppProvider({ appSecret: [], verifyToken: 'x' })).toThrow('appSecret: expected at least one secret, got an empty array');
    expect(createWhatsAppProvider({ appSecret: 'a', verifyToken: 'b' })).toMatchObject({ name: 'whatsapp', methods: ['GET', 'POST'] });
  });
});

describe('createWhatsAppProvider: mis-shaped messages are refused, never ignored', () => {
  const url = 'https://bridge.example.com/webhooks/whatsapp';
  const withMessage = (change: (message: Record<string, unknown>) => void) => {
    const payload = whatsAppTextPayload({ from: '+16505551234', to: '+15550783881', text: 'hello' });
    const message = (payload.entry[0]!.changes[0]!.value as { messages: Array<Record<string, unknown>> }).messages[0]!;
    change(message);
    return createWhatsAppRequest({ url, appSecret: SECRET, payload });
  };

  it.each([
    ['a text message without an id', (m: Record<string, unknown>) => delete m['id'], /messages\[0\]\.id/],
    [
      'a reaction without an id',
      (m: Record<string, unknown>) => Object.assign(m, { id: undefined, type: 'reaction', reaction: { emoji: '👍' } }),
      /messages\[0\]\.id/,
    ],
    ['an unsupported type without a sender', (m: Record<string, unknown>) => Object.assign(m, { from: undefined, type: 'unsupported' }), /messages\[0\]\.from/],
    [
      'a system message with an empty id',
      (m: Record<string, unknown>) => Object.assign(m, { id: '', type: 'system', system: { type: 'customer_changed_number' } }),
      /messages\[0\]\.id/,
    ],
  ])('%s: 400 MALFORMED_PAYLOAD naming the field', async (_name, change, field) => {
    const error = await rejection(handle(await withMessage(change)));
    expect(error).toMatchObject({ code: 'MALFORMED_PAYLOAD', status: 400 });
    expect(error.message).toMatch(field);
  });
});
