import type { ChatRecord } from '@connect-chat/emulator';
import { createWhatsAppChallengeRequest } from '@connect-chat/core/testing';
import { expect } from 'vitest';
import type { Harness } from './harness.ts';
import type { ProviderFixture, ProviderName } from './provider-fixtures.ts';
import type { ConformanceTarget } from './types.ts';
import { toCall } from './webhook-call.ts';
import type { WebhookCall, WebhookReply } from './webhook-call.ts';

/** What a case works with; the emulator is reset before each case. */
export interface CaseContext {
  target: ConformanceTarget;
  harness: Harness;
  fixtures: Record<ProviderName, ProviderFixture>;
  /** `baseUrl + path`: the URL the target sees, which Twilio signs. */
  url(path: string): string;
  send(call: Request | WebhookCall): Promise<WebhookReply>;
  /** Text unique to this run, so a transcript item is traced to the case that sent it. */
  unique(label: string): string;
}

export interface ConformanceCase {
  name: string;
  run(context: CaseContext): Promise<void>;
}

const oneMiB = 1024 * 1024;

function transcript(harness: Harness): Array<{ chat: ChatRecord; content: string | undefined }> {
  return harness.emulator.chats().flatMap((chat) => chat.transcript.map((item) => ({ chat, content: item.content })));
}

function sentWith(harness: Harness, text: string): ChatRecord[] {
  return transcript(harness)
    .filter((item) => item.content === text)
    .map((item) => item.chat);
}

function expectNothingSent(harness: Harness): void {
  expect(transcript(harness), 'the emulator recorded a send').toEqual([]);
}

function expectError(reply: WebhookReply, status: number, code: string | RegExp): void {
  expect(reply.status, `answered ${reply.status} ${reply.body.slice(0, 300)}`).toBe(status);
  const parsed = JSON.parse(reply.body) as { error?: { code?: unknown; message?: unknown } };
  expect(parsed.error?.code).toMatch(code);
  expect(typeof parsed.error?.message).toBe('string');
}

function expectSentOnce(context: CaseContext, fixture: ProviderFixture, text: string): void {
  const chats = sentWith(context.harness, text);
  expect(chats, `"${text}" reached Connect ${chats.length} times`).toHaveLength(1);
  expect(chats[0]!.key).toEqual({ SourceId: fixture.customer, DestinationId: context.harness.setup.env.CONNECT_DESTINATION_ID, Subtype: fixture.subtype });
}

function expect2xx(reply: WebhookReply): void {
  expect(reply.status >= 200 && reply.status < 300, `answered ${reply.status} ${reply.body.slice(0, 300)}`).toBe(true);
}

function providerCases(name: ProviderName): ConformanceCase[] {
  const fixture = (context: CaseContext) => context.fixtures[name];
  return [
    {
      name: `${name}: a valid signed message answers 2xx and is sent once`,
      async run(context) {
        const f = fixture(context);
        const text = context.unique('hello');
        const reply = await context.send(await f.message(context.url(f.path), text));
        expect2xx(reply);
        if (name === 'twilio') {
          expect(reply.headers.get('content-type')).toMatch(/xml/);
          expect(reply.body).toContain('<Response');
        }
        expectSentOnce(context, f, text);
      },
    },
    {
      name: `${name}: an agent's reply reaches the customer's phone once (Connect's stream → the bridge → the channel)`,
      async run(context) {
        const f = fixture(context);
        expect2xx(await context.send(await f.message(context.url(f.path), context.unique('question'))));
        const [chat] = context.harness.emulator.chats();
        const text = context.unique('answer');
        const { deliveries } = await context.harness.emulator.reply(chat!.contactId, { text });
        expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
        const received = context.harness.emulator.phoneMessages().filter((message) => message.text === text);
        expect(received).toHaveLength(1);
        expect(received[0]!.to.replace(/^whatsapp:/, '').replace(/^(?!\+)/, '+')).toBe(f.customer);
      },
    },
    {
      name: `${name}: a bad signature answers 401 and nothing is sent`,
      async run(context) {
        const f = fixture(context);
        const reply = await context.send(await f.badSignature(context.url(f.path), context.unique('forged')));
        expectError(reply, 401, 'SIGNATURE_INVALID');
        expectNothingSent(context.harness);
      },
    },
    {
      name: `${name}: a malformed body answers 400 and nothing is sent`,
      async run(context) {
        const f = fixture(context);
        const reply = await context.send(await f.malformed(context.url(f.path)));
        expectError(reply, 400, 'MALFORMED_PAYLOAD');
        expectNothingSent(context.harness);
      },
    },
    {
      name: `${name}: a wrong method answers 405 with Allow`,
      async run(context) {
        const f = fixture(context);
        const body = new TextEncoder().encode('{}');
        const reply = await context.send({ method: 'PUT', path: f.path, headers: { 'content-type': f.contentType }, body });
        expectError(reply, 405, 'METHOD_NOT_ALLOWED');
        expect(reply.headers.get('allow')).toMatch(/POST/);
        expectNothingSent(context.harness);
      },
    },
    {
      name: `${name}: a body over 1 MiB answers 413 and nothing is sent`,
      async run(context) {
        const f = fixture(context);
        const body = new Uint8Array(oneMiB + 1024).fill(0x61);
        const reply = await context.send({ method: 'POST', path: f.path, headers: { 'content-type': f.contentType }, body });
        expectError(reply, 413, 'PAYLOAD_TOO_LARGE');
        expectNothingSent(context.harness);
      },
    },
    {
      name: `${name}: a duplicate delivery answers 2xx and is sent once`,
      async run(context) {
        const f = fixture(context);
        const text = context.unique('twice');
        const call = await toCall(await f.message(context.url(f.path), text));
        expect2xx(await context.send(call));
        expect2xx(await context.send(call));
        expectSentOnce(context, f, text);
      },
    },
    {
      name: `${name}: Connect throttling beyond retries answers 503 + Retry-After; the provider's retry is sent once`,
      async run(context) {
        const f = fixture(context);
        const text = context.unique('throttled');
        const call = await toCall(await f.message(context.url(f.path), text));
        context.harness.emulator.setFaults({ failNext: [{ error: 'ThrottlingException', count: 1000 }] });
        const refused = await context.send(call);
        expectError(refused, 503, /^(CONNECT_THROTTLED|DEADLINE_EXCEEDED)$/);
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        expectNothingSent(context.harness);
        context.harness.emulator.setFaults({});
        expect2xx(await context.send(call));
        expectSentOnce(context, f, text);
      },
    },
    {
      name: `${name}: a permanent Connect error answers 422 and nothing is sent`,
      async run(context) {
        const f = fixture(context);
        context.harness.emulator.setFaults({ failNext: [{ error: 'InvalidRequestException', count: 1000 }] });
        const reply = await context.send(await f.message(context.url(f.path), context.unique('refused')));
        expectError(reply, 422, 'CONNECT_INVALID_REQUEST');
        context.harness.emulator.setFaults({});
        expectNothingSent(context.harness);
      },
    },
  ];
}

const controlCases: ConformanceCase[] = [
  {
    name: "twilio: a new customer's first messages arriving together start one chat, each message once",
    async run(context) {
      const f = context.fixtures.twilio;
      const texts = [1, 2, 3, 4].map((n) => context.unique(`together ${n}`));
      const replies = await Promise.all(texts.map(async (text) => context.send(await f.message(context.url(f.path), text))));
      for (const reply of replies) expect2xx(reply);
      const chats = context.harness.emulator.chats();
      expect(chats, 'chats started').toHaveLength(1);
      expect([...(chats[0]?.transcript.map((item) => item.content) ?? [])].sort()).toEqual([...texts].sort());
    },
  },
  {
    name: 'sns: a SubscriptionConfirmation for an allowed topic answers 2xx and its SubscribeURL is fetched',
    async run(context) {
      const { sns } = context.harness;
      const envelope = await sns.subscriptionConfirmation({ topicArn: context.harness.setup.env.SNS_TOPIC_ARNS!.split(',')[0]! });
      const before = sns.confirmedSubscriptions.length;
      expect2xx(await context.send(sns.request(envelope, { url: context.url('/webhooks/sns') })));
      expect(sns.confirmedSubscriptions.slice(before)).toEqual([envelope.SubscribeURL]);
      expectNothingSent(context.harness);
    },
  },
  {
    name: 'sns: a SubscriptionConfirmation for a topic outside SNS_TOPIC_ARNS answers 403 and is not confirmed',
    async run(context) {
      const { sns } = context.harness;
      const envelope = await sns.subscriptionConfirmation({ topicArn: 'arn:aws:sns:us-east-1:999999999999:someone-else' });
      const before = sns.confirmedSubscriptions.length;
      expectError(await context.send(sns.request(envelope, { url: context.url('/webhooks/sns') })), 403, 'FORBIDDEN');
      expect(sns.confirmedSubscriptions.length).toBe(before);
    },
  },
  {
    name: 'whatsapp: the GET challenge with the verify token answers 200 with the challenge',
    async run(context) {
      const challenge = `${Date.now()}`;
      const reply = await context.send(
        createWhatsAppChallengeRequest({ url: context.url('/webhooks/whatsapp'), verifyToken: context.harness.setup.env.WHATSAPP_VERIFY_TOKEN!, challenge }),
      );
      expect({ status: reply.status, body: reply.body }).toEqual({ status: 200, body: challenge });
    },
  },
  {
    name: 'whatsapp: the GET challenge with a wrong verify token answers 403',
    async run(context) {
      const challenge = `${Date.now()}`;
      const reply = await context.send(createWhatsAppChallengeRequest({ url: context.url('/webhooks/whatsapp'), verifyToken: 'not-the-token', challenge }));
      expectError(reply, 403, 'FORBIDDEN');
      expect(reply.body).not.toContain(challenge);
    },
  },
  {
    name: 'paths outside the bridge routes are passed on, not handled (the target may answer 404)',
    async run(context) {
      const twilio = context.fixtures.twilio;
      const nested = await context.send(await twilio.message(context.url('/webhooks/twilio/extra'), context.unique('nested')));
      const unknown = await context.send(await twilio.message(context.url('/webhooks/unknown'), context.unique('unknown')));
      const other = await context.send({ method: 'GET', path: '/not-a-webhook', headers: {} });
      expect([nested.status, unknown.status, other.status]).toEqual([404, 404, 404]);
      expectNothingSent(context.harness);
    },
  },
];

/**
 * The table every adapter and runtime must pass, in order.
 *
 * @example
 * for (const conformanceCase of conformanceCases()) it(conformanceCase.name, () => conformanceCase.run(context));
 */
export function conformanceCases(): ConformanceCase[] {
  return [...(['sns', 'twilio', 'whatsapp', 'generic'] as const).flatMap(providerCases), ...controlCases];
}
