import { createRequire } from 'node:module';
import { describeConformance } from '@connect-chat/conformance';
import type { AgentMessage, ChatSession, InboundMessage } from '@connect-chat/core';
import { createGenericDeliverer, createStandardWebhooksProvider } from '@connect-chat/core';
import { createStandardWebhookRequest, generateStandardWebhookSecret } from '@connect-chat/core/testing';
import { type RunningEmulator, startEmulator } from '@connect-chat/emulator';
import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matrix, nestjs, nestVersion, type RunningNestApp, startNest11App } from './nest11-app.ts';

const { ConnectChatModule, ConnectChatService, OnAgentMessage, OnInboundMessage } = nestjs;

describe('the setup under test', () => {
  it('runs Nest 11, and the built CommonJS module shares its @nestjs/core', () => {
    expect(nestVersion).toMatch(/^11\./);
    expect(createRequire(import.meta.url).resolve('@connect-chat/nestjs')).toMatch(/dist[/\\]index\.cjs$/);
    expect(Reflect.getMetadata('imports', ConnectChatModule)).toContain(DiscoveryModule);
  });
});

// See packages/nestjs/test/conformance.test.ts for why Express runs without Nest's body parsers.
for (const [factory, platform] of matrix) {
  describeConformance(`nestjs 11 ${platform} ${factory}`, async (setup) => {
    const { baseUrl, close } = await startNest11App({ factory, platform, options: setup.connectChatOptions(), bodyParser: platform === 'fastify' });
    return { baseUrl, close };
  });
}

@Injectable()
class OptOutFilter {
  constructor(@Inject(ConnectChatService) readonly connectChat: InstanceType<typeof ConnectChatService>) {}

  @OnInboundMessage()
  tag(message: InboundMessage): InboundMessage | false {
    if (message.text === 'STOP') return false;
    return { ...message, hints: { ...message.hints, attributes: { tagged: 'nest11' } } };
  }
}

describe.each(matrix)('Nest 11 with { rawBody: true }: decorator and service (%s, %s)', (factory, platform) => {
  let emulator: RunningEmulator;
  let nest: RunningNestApp;
  const secret = generateStandardWebhookSecret();
  const post = async (from: string, text: string) =>
    fetch(
      await createStandardWebhookRequest({
        url: `${nest.baseUrl}/webhooks/generic`,
        secret,
        payload: { version: 1, type: 'message', from, to: '+14155550199', text },
      }),
    );

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    const options = {
      providers: [createStandardWebhooksProvider({ secret })],
      route: { destination: 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-1' },
      sender: { endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, rateLimit: false as const },
    };
    nest = await startNest11App({ factory, platform, options, providers: [OptOutFilter] });
  });
  afterAll(async () => {
    await nest?.close();
    await emulator?.close();
  });

  it('enriches and vetoes through @OnInboundMessage; the service is injectable', async () => {
    expect((await post('+14155550161', 'Hello')).status).toBe(200);
    expect((await post('+14155550162', 'STOP')).status).toBe(200);

    expect(emulator.chats().map((chat) => [chat.key.SourceId, chat.newSessionDetails?.Attributes?.tagged])).toEqual([['+14155550161', 'nest11']]);
    expect(nest.app.get(OptOutFilter).connectChat).toBe(nest.app.get(ConnectChatService));
  });
});

@Injectable()
class ReplyGate {
  readonly seen: Array<{ text: string; customer: string | undefined }> = [];

  @OnAgentMessage()
  record(message: AgentMessage, session: ChatSession): undefined {
    this.seen.push({ text: message.text, customer: session.address?.customer });
    return undefined;
  }

  @OnAgentMessage({ provider: 'generic' })
  holdBackInternalLinks(message: AgentMessage): false | undefined {
    return message.text.includes('intranet.example') ? false : undefined;
  }

  @OnAgentMessage({ provider: 'twilio' })
  neverForGeneric(): false {
    return false;
  }
}

describe.each(matrix)('Nest 11: @OnAgentMessage on the module’s /webhooks/connect (%s, %s)', (factory, platform) => {
  const streamTopic = 'arn:aws:sns:us-east-1:111122223333:nest11-replies';
  const secret = generateStandardWebhookSecret();
  let emulator: RunningEmulator;
  let nest: RunningNestApp;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    const options = {
      providers: [createStandardWebhooksProvider({ secret })],
      route: { destination: 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-1', session: { streamingEndpointArn: streamTopic } },
      sender: { endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, rateLimit: false as const },
      replies: {
        topicArns: [streamTopic],
        resolveCertificate: emulator.snsCertificateResolver,
        deliverers: [createGenericDeliverer({ url: `${emulator.url}/_emulator/generic/outbound`, secret })],
      },
    };
    nest = await startNest11App({ factory, platform, options, providers: [ReplyGate] });
    emulator.subscribe({ topicArn: streamTopic, endpoint: `${nest.baseUrl}/webhooks/connect` });
  });
  afterAll(async () => {
    await emulator?.settled();
    await nest?.close();
    await emulator?.close();
  });

  async function chatWith(customer: string): Promise<string> {
    const request = await createStandardWebhookRequest({
      url: `${nest.baseUrl}/webhooks/generic`,
      secret,
      payload: { version: 1, type: 'message', from: customer, to: '+14155550199', text: 'Hello' },
    });
    expect((await fetch(request)).status).toBe(200);
    await emulator.settled();
    return emulator.chats().find((chat) => chat.key.SourceId === customer)!.contactId;
  }

  const receivedBy = (customer: string) =>
    emulator
      .phoneMessages()
      .filter((sent) => sent.to === customer)
      .map((sent) => sent.text);

  it("sees each agent reply with the chat's session, then it reaches the customer", async () => {
    const contactId = await chatWith('+14155550171');
    const { deliveries } = await emulator.reply(contactId, { text: 'Your case is resolved.' });
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
    expect(nest.app.get(ReplyGate).seen).toContainEqual({ text: 'Your case is resolved.', customer: '+14155550171' });
    expect(receivedBy('+14155550171')).toEqual(['Your case is resolved.']);
  });

  it('holds a reply back when a method returns false: answered 2xx, nothing reaches the customer', async () => {
    const contactId = await chatWith('+14155550172');
    const { deliveries } = await emulator.reply(contactId, { text: 'See https://intranet.example/case/42' });
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
    expect(receivedBy('+14155550172')).toEqual([]);
  });
});
