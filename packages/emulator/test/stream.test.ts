import { DisconnectParticipantCommand, SendMessageCommand } from '@aws-sdk/client-connectparticipant';
import { StartContactStreamingCommand } from '@aws-sdk/client-connect';
import { createSnsProvider, type ReceivedRequest, silentLogger } from '@connect-chat/core';
import { createSnsSigner } from '@connect-chat/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatEndedContentType, EmulatorChatError, emulatedInstanceId, type RunningEmulator, startEmulator } from '../src/index.ts';
import { connectClient, connectedChat, credentials, disconnect, instanceId, message, participantClient, send } from './helpers.ts';
import { type ReceivedNotification, type Subscriber, startSubscriber } from './subscriber.ts';

const topicArn = 'arn:aws:sns:us-east-1:123456789012:connect-chat-outbound';
const accountId = '444455556666';
const isoWithMs = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const streaming = { NewSessionDetails: { StreamingConfiguration: { StreamingEndpointArn: topicArn } } };

let emulator: RunningEmulator;
let subscriber: Subscriber;

beforeEach(async () => {
  subscriber = await startSubscriber();
  emulator = await startEmulator({ port: 0, credentials: [credentials], accountId, subscriptions: [{ topicArn, endpoint: subscriber.url }] });
});

afterEach(async () => {
  await emulator.close();
  await subscriber.close();
});

/** The chat an SMS customer starts with a streaming topic, as the integration-event transport does. */
async function streamedChat(text = 'hello'): Promise<string> {
  const connect = connectClient(emulator.url);
  const output = await send(connect, message(text, streaming));
  connect.destroy();
  return output.InitialContactId ?? '';
}

function messageOf(notification: ReceivedNotification | undefined): Record<string, unknown> {
  return JSON.parse(String(notification?.json['Message'])) as Record<string, unknown>;
}

function attributesOf(notification: ReceivedNotification | undefined): Record<string, string> {
  const attributes = notification?.json['MessageAttributes'] as Record<string, { Type: string; Value: string }>;
  for (const attribute of Object.values(attributes)) expect(attribute.Type).toBe('String');
  return Object.fromEntries(Object.entries(attributes).map(([name, attribute]) => [name, attribute.Value]));
}

/** Verifies a received notification with core's SNS provider trusting the emulator's certificate. */
async function verifyWithCore(notification: ReceivedNotification, topics = [topicArn]): Promise<void> {
  const provider = createSnsProvider({ topicArns: topics, resolveCertificate: emulator.snsCertificateResolver });
  const headers = new Headers();
  for (const [name, value] of Object.entries(notification.headers)) if (typeof value === 'string') headers.set(name, value);
  const request: ReceivedRequest = {
    method: 'POST',
    url: new URL(`http://127.0.0.1${notification.path}`),
    headers,
    body: new TextEncoder().encode(notification.body),
    text: notification.body,
  };
  await provider.verify(request, { logger: silentLogger, fetch });
}

describe("Connect's chat stream, played to subscribed endpoints", () => {
  it('streams an agent reply as Connect does: a signed SNS Notification with the item and its attributes', async () => {
    const contactId = await streamedChat();
    await emulator.settled();
    const { item, deliveries } = await emulator.reply(contactId, { text: 'Your order ships today.', displayName: 'Sam' });
    expect(item).toMatchObject({ type: 'MESSAGE', contentType: 'text/plain', content: 'Your order ships today.', participantRole: 'AGENT', visibility: 'ALL' });
    expect(deliveries).toEqual([{ endpoint: subscriber.url, status: 200, attempts: 1, messageId: expect.stringMatching(uuid) }]);
    const notification = subscriber.received.at(-1);
    expect(notification?.headers['x-amz-sns-message-type']).toBe('Notification');
    expect(notification?.headers['x-amz-sns-topic-arn']).toBe(topicArn);
    expect(notification?.json).toMatchObject({ Type: 'Notification', TopicArn: topicArn, MessageId: deliveries[0]?.messageId });
    await verifyWithCore(notification as ReceivedNotification);
    await expect(verifyWithCore(notification as ReceivedNotification, ['arn:aws:sns:us-east-1:123456789012:another-topic'])).rejects.toThrow();
    expect(messageOf(notification)).toEqual({
      AbsoluteTime: item.at,
      Content: 'Your order ships today.',
      ContentType: 'text/plain',
      Id: item.id,
      Type: 'MESSAGE',
      ParticipantId: expect.stringMatching(uuid),
      DisplayName: 'Sam',
      ParticipantRole: 'AGENT',
      InitialContactId: contactId,
      ContactId: contactId,
    });
    expect(item.at).toMatch(isoWithMs);
    expect(attributesOf(notification)).toEqual({
      InitialContactId: contactId,
      ContactId: contactId,
      ParticipantRole: 'AGENT',
      InstanceId: emulatedInstanceId,
      AccountId: accountId,
      Type: 'MESSAGE',
      ContentType: 'text/plain',
      MessageVisibility: 'ALL',
    });
    expect(emulator.chats()[0]?.transcript.map((entry) => entry.participantRole)).toEqual(['CUSTOMER', 'AGENT']);
  });

  it("streams the customer's own messages with ParticipantRole CUSTOMER, so a bridge can prove it does not echo them", async () => {
    const contactId = await streamedChat('Where is my order?');
    await emulator.settled();
    expect(subscriber.received).toHaveLength(1);
    const notification = subscriber.received[0];
    await verifyWithCore(notification as ReceivedNotification);
    expect(messageOf(notification)).toMatchObject({
      Content: 'Where is my order?',
      ParticipantRole: 'CUSTOMER',
      DisplayName: '+14155550100',
      ContactId: contactId,
    });
    expect(attributesOf(notification)).toMatchObject({ ParticipantRole: 'CUSTOMER', Type: 'MESSAGE', MessageVisibility: 'ALL' });
    const agentIds = await emulator.reply(contactId, { text: 'hi', role: 'SYSTEM', visibility: 'CUSTOMER' });
    expect(messageOf(subscriber.received[1])).toMatchObject({ ParticipantRole: 'SYSTEM', DisplayName: 'SYSTEM_MESSAGE', Id: agentIds.item.id });
    expect(attributesOf(subscriber.received[1])).toMatchObject({ MessageVisibility: 'CUSTOMER', ParticipantRole: 'SYSTEM' });
    expect(messageOf(subscriber.received[1])['ParticipantId']).not.toBe(messageOf(notification)['ParticipantId']);
  });

  it('streams the end of a chat as an EVENT without content or participant, for a DISCONNECT and for endChat', async () => {
    const first = await streamedChat();
    const connect = connectClient(emulator.url);
    await send(connect, disconnect());
    await emulator.settled();
    const ended = subscriber.received.at(-1);
    const endItem = emulator.chats()[0]?.transcript.at(-1);
    expect(messageOf(ended)).toEqual({
      AbsoluteTime: endItem?.at,
      ContentType: chatEndedContentType,
      Id: endItem?.id,
      Type: 'EVENT',
      InitialContactId: first,
      ContactId: first,
    });
    expect(attributesOf(ended)).toEqual({
      InitialContactId: first,
      ContactId: first,
      InstanceId: emulatedInstanceId,
      AccountId: accountId,
      Type: 'EVENT',
      ContentType: chatEndedContentType,
      MessageVisibility: 'ALL',
    });
    const second = await streamedChat('again');
    expect(second).not.toBe(first);
    expect(emulator.endChat(second)).toBe(true);
    await emulator.settled();
    expect(subscriber.received.map((n) => [messageOf(n)['Type'], messageOf(n)['ContactId']])).toEqual([
      ['MESSAGE', first],
      ['EVENT', first],
      ['MESSAGE', second],
      ['EVENT', second],
    ]);
    await expect(emulator.reply(second, { text: 'too late' })).rejects.toMatchObject({ code: 'CHAT_ENDED' });
    await expect(emulator.reply('no-such-chat', { text: 'hi' })).rejects.toBeInstanceOf(EmulatorChatError);
    connect.destroy();
  });

  it('retries a failed delivery like SNS (3 more times) with the same MessageId, then gives up', async () => {
    const contactId = await streamedChat();
    await emulator.settled();
    subscriber.received.length = 0;
    subscriber.statuses.push(503, 500);
    const recovered = await emulator.reply(contactId, { text: 'second try' });
    expect(recovered.deliveries).toEqual([{ endpoint: subscriber.url, status: 200, attempts: 3, messageId: expect.stringMatching(uuid) }]);
    expect(subscriber.received.map((n) => n.json['MessageId'])).toEqual(Array(3).fill(recovered.deliveries[0]?.messageId));
    subscriber.statuses.push(503, 503, 503, 503, 503);
    const lost = await emulator.reply(contactId, { text: 'never arrives' });
    expect(lost.deliveries).toEqual([{ endpoint: subscriber.url, status: 503, attempts: 4, messageId: expect.stringMatching(uuid) }]);
    expect(subscriber.received).toHaveLength(7);
  });

  it('gives up on an endpoint that does not answer, with status 0', async () => {
    const unreachable = await startSubscriber();
    await unreachable.close();
    const stop = emulator.subscribe({ topicArn, endpoint: unreachable.url });
    const contactId = await streamedChat();
    const { deliveries } = await emulator.reply(contactId, { text: 'hi' });
    expect(deliveries).toContainEqual({ endpoint: unreachable.url, status: 0, attempts: 4, messageId: expect.any(String) });
    expect(deliveries).toContainEqual({ endpoint: subscriber.url, status: 200, attempts: 1, messageId: deliveries[0]?.messageId });
    stop();
    expect(emulator.subscriptions()).toEqual([{ topicArn, endpoint: subscriber.url }]);
  });

  it('republishes an item with the same Id and a new MessageId, as a duplicate SNS publication', async () => {
    const contactId = await streamedChat();
    const { item, deliveries } = await emulator.reply(contactId, { text: 'once' });
    const again = await emulator.republish(item.id);
    expect(again).toEqual([{ endpoint: subscriber.url, status: 200, attempts: 1, messageId: expect.stringMatching(uuid) }]);
    expect(again[0]?.messageId).not.toBe(deliveries[0]?.messageId);
    const [original, duplicate] = subscriber.received.slice(-2);
    expect(messageOf(duplicate)).toEqual(messageOf(original));
    await verifyWithCore(duplicate as ReceivedNotification);
    await expect(emulator.republish('never-published')).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });

  it('publishes nothing for a chat without a streaming topic or a topic without a subscription', async () => {
    const connect = connectClient(emulator.url);
    const plain = await send(connect, message('no topic'));
    expect((await emulator.reply(plain.InitialContactId ?? '', { text: 'hi' })).deliveries).toEqual([]);
    const other = await send(
      connect,
      message('other topic', {
        SourceId: '+14155550199',
        NewSessionDetails: { StreamingConfiguration: { StreamingEndpointArn: 'arn:aws:sns:us-east-1:123456789012:nobody-listens' } },
      }),
    );
    expect((await emulator.reply(other.InitialContactId ?? '', { text: 'hi' })).deliveries).toEqual([]);
    await emulator.settled();
    expect(subscriber.received).toEqual([]);
    connect.destroy();
  });

  it('never delays the Connect answer for a slow subscriber; settled() waits for it', async () => {
    let release = (): void => {};
    subscriber.hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const contactId = await streamedChat();
    await subscriber.receivedCount(1);
    expect(contactId).toMatch(uuid);
    let settled = false;
    const settling = emulator.settled().then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    release();
    await settling;
    expect(settled).toBe(true);
  });

  it('streams participant chats to the StartContactStreaming topic with their instance and participant ids', async () => {
    const connect = connectClient(emulator.url);
    const participant = participantClient(emulator.url);
    const chat = await connectedChat(connect, participant);
    await connect.send(
      new StartContactStreamingCommand({
        InstanceId: instanceId,
        ContactId: chat.ContactId,
        ChatStreamingConfiguration: { StreamingEndpointArn: topicArn },
        ClientToken: 't-1',
      }),
    );
    await participant.send(new SendMessageCommand({ ConnectionToken: chat.ConnectionToken, ContentType: 'text/plain', Content: 'from the web' }));
    await participant.send(new DisconnectParticipantCommand({ ConnectionToken: chat.ConnectionToken }));
    await emulator.settled();
    const participantId = emulator.chats()[0]?.participantId;
    expect(subscriber.received.map((n) => [messageOf(n)['Type'], messageOf(n)['ParticipantId']])).toEqual([
      ['MESSAGE', participantId],
      ['EVENT', undefined],
    ]);
    expect(messageOf(subscriber.received[0])).toMatchObject({ DisplayName: 'Ana', Content: 'from the web', ContactId: chat.ContactId });
    expect(attributesOf(subscriber.received[0])['InstanceId']).toBe(instanceId);
    connect.destroy();
    participant.destroy();
  });

  it('delivers to an in-process app through the fetch a subscription names', async () => {
    const seen: string[] = [];
    const app = async (request: Request): Promise<Response> => {
      seen.push(`${request.method} ${new URL(request.url).pathname} ${request.headers.get('x-amz-sns-message-type')}`);
      return new Response(null, { status: 204 });
    };
    const inProcessTopic = 'arn:aws:sns:eu-west-1:123456789012:in-process';
    emulator.subscribe({
      topicArn: inProcessTopic,
      endpoint: 'http://bridge.internal/webhooks/connect',
      fetch: (input, init) => app(new Request(input, init)),
    });
    const connect = connectClient(emulator.url);
    const chat = await send(connect, message('hi', { NewSessionDetails: { StreamingConfiguration: { StreamingEndpointArn: inProcessTopic } } }));
    const { deliveries } = await emulator.reply(chat.InitialContactId ?? '', { text: 'hello' });
    expect(deliveries).toMatchObject([{ endpoint: 'http://bridge.internal/webhooks/connect', status: 204, attempts: 1 }]);
    await emulator.settled();
    expect(seen).toEqual(['POST /webhooks/connect Notification', 'POST /webhooks/connect Notification']);
    expect(() => emulator.subscribe({ topicArn: 'arn:aws:sns:us-east-1:12345:short', endpoint: subscriber.url })).toThrow(/subscription\.topicArn/);
    expect(() => emulator.subscribe({ topicArn, endpoint: 'ftp://127.0.0.1/' })).toThrow(/subscription\.endpoint: expected an http\(s\) URL/);
    connect.destroy();
  });
});

describe('one SNS signer for the simulator and the stream', () => {
  it('signs the stream with the snsSigner option, whose certificate snsCertificateResolver resolves', async () => {
    const signer = await createSnsSigner({ region: 'eu-west-1' });
    const own = await startEmulator({ port: 0, snsSigner: signer, subscriptions: [{ topicArn, endpoint: subscriber.url }] });
    try {
      const connect = connectClient(own.url);
      await send(connect, message('hi', streaming));
      await own.settled();
      expect(subscriber.received.at(-1)?.json['SigningCertURL']).toBe(signer.certificateUrl);
      expect(await own.snsCertificateResolver(new URL(signer.certificateUrl))).toBe(signer.certificatePem);
      connect.destroy();
    } finally {
      await own.close();
    }
  });

  it('refuses a snsSigner that is not one', async () => {
    await expect(startEmulator({ port: 0, snsSigner: {} as never })).rejects.toThrow(/snsSigner: expected an SnsSigner/);
  });
});

describe('control routes of the stream', () => {
  const json = { 'content-type': 'application/json' };

  it('subscribes and lists subscriptions, guarded like reset', async () => {
    const other = { topicArn: 'arn:aws:sns:us-west-2:123456789012:second', endpoint: subscriber.url };
    const added = await fetch(`${emulator.url}/_emulator/subscriptions`, { method: 'POST', headers: json, body: JSON.stringify(other) });
    expect(added.status).toBe(200);
    expect(await added.json()).toEqual(other);
    expect(await (await fetch(`${emulator.url}/_emulator/subscriptions`)).json()).toEqual([{ topicArn, endpoint: subscriber.url }, other]);
    const textPlain = await fetch(`${emulator.url}/_emulator/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(other),
    });
    expect(textPlain.status).toBe(415);
    const crossSite = await fetch(`${emulator.url}/_emulator/subscriptions`, {
      method: 'POST',
      headers: { ...json, origin: 'https://evil.example' },
      body: JSON.stringify(other),
    });
    expect(crossSite.status).toBe(403);
    const badArn = await fetch(`${emulator.url}/_emulator/subscriptions`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ ...other, topicArn: 'topic' }),
    });
    expect(badArn.status).toBe(400);
    expect(await badArn.json()).toMatchObject({ error: { code: 'INVALID_OPTIONS', message: expect.stringContaining('body.topicArn') } });
    const badEndpoint = await fetch(`${emulator.url}/_emulator/subscriptions`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ ...other, endpoint: 'file:///etc/passwd' }),
    });
    expect(badEndpoint.status).toBe(400);
  });

  it('answers as the agent: 200 with the item and deliveries, 404 unknown, 409 ended, 400 invalid, guarded', async () => {
    const contactId = await streamedChat();
    const reply = (id: string, body: unknown, headers: Record<string, string> = json) =>
      fetch(`${emulator.url}/_emulator/chats/${encodeURIComponent(id)}/reply`, { method: 'POST', headers, body: JSON.stringify(body) });
    const ok = await reply(contactId, { text: 'On its way', visibility: 'ALL', role: 'AGENT', displayName: 'Sam' });
    expect(ok.status).toBe(200);
    const answered = (await ok.json()) as { item: { id: string; participantRole: string }; deliveries: unknown[] };
    expect(answered.item.participantRole).toBe('AGENT');
    expect(answered.deliveries).toEqual([{ endpoint: subscriber.url, status: 200, attempts: 1, messageId: expect.any(String) }]);
    expect(messageOf(subscriber.received.at(-1))['Id']).toBe(answered.item.id);
    expect((await reply('unknown', { text: 'x' })).status).toBe(404);
    const invalid = await reply(contactId, { text: ' ', role: 'CUSTOMER' });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { code: 'INVALID_OPTIONS', message: expect.stringMatching(/^text:/) } });
    expect((await reply(contactId, { text: 'x', colour: 'red' })).status).toBe(400);
    expect((await reply(contactId, { text: 'x' }, { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await reply(contactId, { text: 'x' }, { ...json, origin: 'https://evil.example' })).status).toBe(403);
    emulator.endChat(contactId);
    const ended = await reply(contactId, { text: 'x' });
    expect(ended.status).toBe(409);
    expect(await ended.json()).toMatchObject({ error: { code: 'CHAT_ENDED' } });
  });
});
