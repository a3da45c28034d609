import {
  type ConnectChat,
  createConnectChat,
  createConnectTransport,
  createParticipantTransport,
  createSender,
  createTwilioDeliverer,
  createTwilioProvider,
  silentLogger,
  textMessage,
} from '@connect-chat/core';
import { createTwilioRequest, twilioMessageParams } from '@connect-chat/core/testing';
import { type RunningEmulator, startEmulator } from '@connect-chat/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, createRedisIdempotencyStore, createRedisSessionStore, type RedisConnection } from '../src/index.ts';
import { redisSkipReason, startRedis, type TestRedis } from '@connect-chat/store-contract';

const skipReason = redisSkipReason();
const credentials = { accessKeyId: 'AKIDTWOINSTANCES', secretAccessKey: 'two-instances' };
const authToken = 'twilio-two-instances';
const topicArn = 'arn:aws:sns:us-east-1:111122223333:two-instances-stream';
const destination = 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-two';

describe.skipIf(skipReason !== undefined)('two bridge instances on one Redis', () => {
  let server: TestRedis;
  let emulator: RunningEmulator;
  const clients: RedisConnection[] = [];
  let instances: ConnectChat[];

  beforeAll(async () => {
    server = await startRedis();
    emulator = await startEmulator({ port: 0, credentials: [credentials] });
    const prefix = `two-${crypto.randomUUID()}:`;
    instances = await Promise.all(
      ['a', 'b'].map(async () => {
        // Each instance has its own connection, as two processes would.
        const redis = await connectRedis({ url: server.url });
        clients.push(redis);
        return createConnectChat({
          providers: [createTwilioProvider({ authToken })],
          route: { destination, session: { streamingEndpointArn: topicArn } },
          sender: {
            transport: createConnectTransport({
              region: 'us-east-1',
              credentials,
              endpoint: emulator.url,
              sessions: createRedisSessionStore({ redis, prefix }),
            }),
            rateLimit: false,
          },
          idempotency: createRedisIdempotencyStore({ redis, prefix }),
          replies: {
            topicArns: [topicArn],
            resolveCertificate: emulator.snsCertificateResolver,
            deliverers: [createTwilioDeliverer({ accountSid: `AC${'0'.repeat(32)}`, authToken, apiUrl: emulator.url })],
          },
          logger: silentLogger,
        });
      }),
    );
  });
  afterAll(async () => {
    await emulator?.settled();
    for (const client of clients) await client.close();
    await emulator?.close();
    await server?.stop();
  });

  it("a provider's retry that lands on the other instance is a duplicate: one copy in Connect", async () => {
    const request = () =>
      createTwilioRequest({
        url: 'https://bridge.example.com/webhooks/twilio',
        authToken,
        params: twilioMessageParams({ from: '+14155550900', to: '+12065550100', body: 'only once', messageSid: 'SM0000000000000000000000000000feed' }),
      });
    expect((await instances[0]!.handler('twilio').fetch(await request())).status).toBe(200);
    expect((await instances[1]!.handler('twilio').fetch(await request())).status).toBe(200);
    expect(emulator.chats().flatMap((chat) => chat.transcript.map((item) => item.content))).toEqual(['only once']);
  });

  it('an agent reply that reaches the other instance finds the chat its sibling recorded, and reaches the phone', async () => {
    const request = await createTwilioRequest({
      url: 'https://bridge.example.com/webhooks/twilio',
      authToken,
      params: twilioMessageParams({ from: '+14155550901', to: '+12065550100', body: 'question', messageSid: 'SM0000000000000000000000000000beef' }),
    });
    expect((await instances[0]!.handler('twilio').fetch(request)).status).toBe(200);
    const stop = emulator.subscribe({
      topicArn,
      endpoint: 'http://instance-b.test/webhooks/connect',
      fetch: (input) => instances[1]!.handler('connect').fetch(new Request(input)),
    });
    try {
      const contactId = emulator.chats().find((chat) => chat.key.SourceId === '+14155550901')!.contactId;
      const { deliveries } = await emulator.reply(contactId, { text: 'answer from instance b' });
      expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
      expect(emulator.phoneMessages().map((message) => [message.to, message.text])).toEqual([['+14155550901', 'answer from instance b']]);
    } finally {
      stop();
    }
  });
});

describe.skipIf(skipReason !== undefined)('two instances on the participant transport, one Redis', () => {
  it("a new customer's first messages reaching both instances at once start one chat, every message in it", async () => {
    const server = await startRedis();
    const emulator = await startEmulator({ port: 0, credentials: [credentials] });
    const clients = await Promise.all([connectRedis({ url: server.url }), connectRedis({ url: server.url })]);
    try {
      const prefix = `participant-${crypto.randomUUID()}:`;
      const flow = 'arn:aws:connect:us-east-1:111122223333:instance/5a7e0000-1111-2222-3333-444455556666/contact-flow/c0de0000-1111-2222-3333-444455556666';
      const senders = clients.map((redis) =>
        createSender({
          transport: createParticipantTransport({
            region: 'us-east-1',
            credentials,
            endpoint: emulator.url,
            participantEndpoint: emulator.url,
            sessions: createRedisSessionStore({ redis, prefix }),
          }),
          rateLimit: false,
          retry: { maxAttempts: 10, baseDelayMs: 20, maxDelayMs: 100 },
        }),
      );
      const chat = { SourceId: '+14155550950', DestinationId: flow, Subtype: 'connect:sms' };
      const texts = ['one', 'two', 'three', 'four', 'five', 'six'];
      await Promise.all(texts.map((text, i) => senders[i % 2]!.send(textMessage(chat, text), { idempotencyKey: `twilio:SM-${i}` })));
      expect(emulator.chats()).toHaveLength(1);
      expect([...(emulator.chats()[0]?.transcript.map((item) => item.content) ?? [])].sort()).toEqual([...texts].sort());
    } finally {
      for (const client of clients) await client.close();
      await emulator.close();
      await server.stop();
    }
  });
});
