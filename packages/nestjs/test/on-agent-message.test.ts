import { type AgentMessage, type ChatSession, createGenericDeliverer } from '@connect-chat/core';
import { type RunningEmulator, startEmulator } from '@connect-chat/emulator';
import { Injectable } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnAgentMessage } from '../src/index.ts';
import { genericBridge, postGenericMessage } from './fixtures.ts';
import { matrix, type RunningNestApp, startNestApp } from './nest-app.ts';

const streamTopic = 'arn:aws:sns:us-east-1:111122223333:nest-replies';

@Injectable()
class ReplyAudit {
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

describe.each(matrix)('@OnAgentMessage (%s, %s)', (factory, platform) => {
  let emulator: RunningEmulator;
  let nest: RunningNestApp;
  let secret: string;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    const bridge = genericBridge(emulator.url);
    secret = bridge.secret;
    const options = {
      ...bridge.options,
      route: { ...bridge.options.route, session: { streamingEndpointArn: streamTopic } },
      replies: {
        topicArns: [streamTopic],
        resolveCertificate: emulator.snsCertificateResolver,
        deliverers: [createGenericDeliverer({ url: `${emulator.url}/_emulator/generic/outbound`, secret })],
      },
    };
    nest = await startNestApp({ factory, platform, options, providers: [ReplyAudit] });
    emulator.subscribe({ topicArn: streamTopic, endpoint: `${nest.baseUrl}/webhooks/connect` });
  });
  afterAll(async () => {
    await emulator?.settled();
    await nest?.close();
    await emulator?.close();
  });

  async function chatWith(customer: string): Promise<string> {
    expect((await postGenericMessage(nest.baseUrl, secret, customer, 'Hello')).status).toBe(200);
    await emulator.settled();
    return emulator.chats().find((chat) => chat.key.SourceId === customer)!.contactId;
  }

  it("sees each agent reply with the chat's session before it is delivered through the module's route", async () => {
    const contactId = await chatWith('+14155550301');
    const { deliveries } = await emulator.reply(contactId, { text: 'Your case is resolved.' });
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
    expect(nest.app.get(ReplyAudit).seen).toContainEqual({ text: 'Your case is resolved.', customer: '+14155550301' });
    expect(
      emulator
        .phoneMessages()
        .filter((sent) => sent.to === '+14155550301')
        .map((sent) => sent.text),
    ).toEqual(['Your case is resolved.']);
  });

  it('holds a reply back when a method returns false: answered 2xx, nothing reaches the customer', async () => {
    const contactId = await chatWith('+14155550302');
    const { deliveries } = await emulator.reply(contactId, { text: 'See https://intranet.example/case/42' });
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
    expect(emulator.phoneMessages().filter((sent) => sent.to === '+14155550302')).toEqual([]);
  });
});
