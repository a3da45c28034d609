import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSnsSigner } from '@connect-chat/core/testing';
import type { EmulatorEvent } from '@connect-chat/emulator';
import { type Client, type CustomerProvider, inboundTopicArn, type ReplyWorld, startReplyWorld, streamTopic, type Transport } from './support/reply-bridge.ts';

const channels = [
  { provider: 'twilio', from: '+14155550201', phone: { channel: 'twilio', to: '+14155550201', from: '+12065550100' } },
  // Twilio's WhatsApp: the same Messages API, both addresses `whatsapp:`-prefixed.
  { provider: 'twilio', from: 'whatsapp:+14155550205', phone: { channel: 'twilio', to: 'whatsapp:+14155550205', from: 'whatsapp:+12065550100' } },
  { provider: 'whatsapp', from: '+14155550202', phone: { channel: 'whatsapp', to: '14155550202' } },
  { provider: 'sns', from: '+14155550203', phone: { channel: 'sms', to: '+14155550203', from: '+12065550100' } },
  { provider: 'generic', from: '+14155550204', phone: { channel: 'generic', to: '+14155550204', from: '+12065550100' } },
] as const;

describe.each<[Transport, Client]>([
  ['integration-event', 'aws-sdk'],
  ['integration-event', 'fetch'],
  ['participant', 'aws-sdk'],
])('agent replies reach the customer (%s transport via %s)', (transport, client) => {
  let world: ReplyWorld;

  beforeAll(async () => {
    world = await startReplyWorld(transport, client);
  });
  afterAll(async () => {
    await world?.emulator.settled();
    await world?.close();
  });
  beforeEach(async () => {
    await world.emulator.settled();
    world.emulator.reset();
    world.delivered.length = 0;
    world.failures.length = 0;
    world.ignored.length = 0;
  });

  /** The customer writes; resolves with the chat's contact id once its stream settled. */
  async function conversation(provider: CustomerProvider, from: string, text = 'Hi, my order is late') {
    expect(await world.customerWrites(provider, from, text)).toBe(200);
    await world.emulator.settled();
    // Connect knows the customer by their number, without Twilio's `whatsapp:` prefix.
    const chat = world.emulator.chats().find((record) => record.key.SourceId === from.replace(/^whatsapp:/, '') && record.active);
    expect(chat?.transport).toBe(transport);
    return chat!.contactId;
  }

  it.each(channels)(
    "$provider from $from: customer → bridge → Connect → agent → SNS stream → bridge → the customer's phone, once",
    async ({ provider, from, phone }) => {
      const contactId = await conversation(provider, from);
      // The customer's own message was streamed too, and not echoed back.
      expect(world.emulator.phoneMessages()).toEqual([]);
      const text = `Sorry about that, on ${provider}`;
      const { item, deliveries } = await world.emulator.reply(contactId, { text });
      expect(deliveries.map((delivery) => [delivery.status, delivery.attempts])).toEqual([[200, 1]]);
      const received = world.emulator.phoneMessages();
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ ...phone, text });
      // onDelivered heard it once (not the customer's own streamed message), with what went out and where.
      expect(world.delivered).toHaveLength(1);
      expect(world.delivered[0]).toMatchObject({
        parts: 1,
        message: { id: item.id, initialContactId: contactId, participantRole: 'AGENT', text },
        session: { initialContactId: contactId, address: { provider, customer: from.replace(/^whatsapp:/, '') } },
      });
      expect(world.failures).toEqual([]);
    },
  );

  it('does not forward agent-only items, and answers them 2xx', async () => {
    const contactId = await conversation('twilio', '+14155550211');
    const { deliveries } = await world.emulator.reply(contactId, { text: 'internal note', visibility: 'AGENT' });
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
    expect(world.emulator.phoneMessages()).toEqual([]);
    expect(world.ignored.map((info) => info.reason)).toContain('visible to AGENT only');
  });

  it('delivers an item once when it is published again with the same Id', async () => {
    const contactId = await conversation('twilio', '+14155550212');
    const { item } = await world.emulator.reply(contactId, { text: 'only once' });
    const again = await world.emulator.republish(item.id);
    expect(again.map((delivery) => delivery.status)).toEqual([200]);
    expect(world.emulator.phoneMessages().map((message) => message.text)).toEqual(['only once']);
  });

  it('a transient channel failure answers 503; SNS retries and the customer gets exactly one copy', async () => {
    const contactId = await conversation('twilio', '+14155550213');
    world.emulator.setFaults({ failNext: [{ error: 'ChannelThrottled', operation: 'TwilioCreateMessage' }] });
    const { deliveries } = await world.emulator.reply(contactId, { text: 'after a hiccup' });
    expect(deliveries.map((delivery) => [delivery.status, delivery.attempts])).toEqual([[200, 2]]);
    expect(world.emulator.phoneMessages().map((message) => message.text)).toEqual(['after a hiccup']);
  });

  it('a permanent refusal is not retried: 2xx, onDeliveryFailed with the reason, and a republication changes nothing', async () => {
    const contactId = await conversation('whatsapp', '+14155550214');
    world.emulator.setFaults({ failNext: [{ error: 'WindowClosed', operation: 'WhatsAppSendMessage', count: 5 }] });
    const { item, deliveries } = await world.emulator.reply(contactId, { text: 'too late' });
    expect(deliveries.map((delivery) => [delivery.status, delivery.attempts])).toEqual([[200, 1]]);
    expect(world.failures).toHaveLength(1);
    expect(world.failures[0]?.reason).toMatch(/131047/);
    await world.emulator.republish(item.id);
    expect(world.failures).toHaveLength(1);
    expect(world.emulator.phoneMessages()).toEqual([]);
    // The fault entries left prove no further call reached the channel.
    const faults = (await (await fetch(`${world.emulator.url}/_emulator/faults`)).json()) as { failNext?: unknown };
    expect(faults.failNext).toEqual([{ error: 'WindowClosed', operation: 'WhatsAppSendMessage', count: 4 }]);
  });

  it('Twilio WhatsApp outside the 24-hour window (63016) is a refusal: not retried, onDeliveryFailed with the reason', async () => {
    const contactId = await conversation('twilio', 'whatsapp:+14155550218');
    world.emulator.setFaults({ failNext: [{ error: 'WindowClosed', operation: 'TwilioCreateMessage', count: 5 }] });
    const { item, deliveries } = await world.emulator.reply(contactId, { text: 'a day too late' });
    expect(deliveries.map((delivery) => [delivery.status, delivery.attempts])).toEqual([[200, 1]]);
    expect(world.failures).toHaveLength(1);
    expect(world.failures[0]).toMatchObject({
      message: { id: item.id, text: 'a day too late' },
      session: { address: { provider: 'twilio', channel: 'whatsapp' } },
    });
    expect(world.failures[0]?.reason).toMatch(/error 63016/);
    expect(world.failures[0]?.error?.code).toBe('CHANNEL_REFUSED');
    await world.emulator.republish(item.id);
    expect(world.failures).toHaveLength(1);
    expect(world.delivered).toEqual([]);
    expect(world.emulator.phoneMessages()).toEqual([]);
    // One call reached Twilio: four of the five refusals are left.
    const faults = (await (await fetch(`${world.emulator.url}/_emulator/faults`)).json()) as { failNext?: unknown };
    expect(faults.failNext).toEqual([{ error: 'WindowClosed', operation: 'TwilioCreateMessage', count: 4 }]);
  });

  it.each([
    { provider: 'sns', from: '+14155550219', operation: 'SendTextMessage', error: 'ChannelUnavailable' },
    { provider: 'twilio', from: '+14155550220', operation: 'TwilioCreateMessage', error: 'ChannelThrottled' },
  ] as const)(
    '$provider: a long reply whose part 2 fails transiently answers 503; the redelivery sends only the missing parts, each once, in order',
    async ({ provider, from, operation, error }) => {
      const contactId = await conversation(provider, from);
      world.streamAnswers.length = 0;
      const text = Array.from({ length: 1_200 }, (_, i) => `w${i}`)
        .join(' ')
        .slice(0, 5_000)
        .trim();
      // The channel refuses the call after the first part it accepted: part 2.
      let received = 0;
      const unsubscribe = world.emulator.subscribe((event: EmulatorEvent) => {
        if (event.type === 'phone.received' && ++received === 1) world.emulator.setFaults({ failNext: [{ error, operation }] });
      });
      try {
        const { deliveries } = await world.emulator.reply(contactId, { text });
        expect(deliveries.map((delivery) => [delivery.status, delivery.attempts])).toEqual([[200, 2]]);
      } finally {
        unsubscribe();
      }
      expect(world.streamAnswers).toEqual([503, 200]);
      const parts = world.emulator.phoneMessages().map((message) => message.text);
      expect(parts).toHaveLength(4);
      for (const part of parts) expect(part.length).toBeLessThanOrEqual(1_600);
      expect(parts.join(' ')).toBe(text);
      // Reported once, when the last part was accepted; a transient failure is not a delivery failure.
      expect(world.delivered.map((info) => info.parts)).toEqual([4]);
      expect(world.failures).toEqual([]);
    },
  );

  it('an item for a contact the bridge has no session for is answered 2xx and reported to onIgnored', async () => {
    const unknown = crypto.randomUUID();
    const item = {
      Id: `orphan-${unknown}`,
      Type: 'MESSAGE',
      ContentType: 'text/plain',
      Content: 'are you still there?',
      ParticipantRole: 'AGENT',
      InitialContactId: unknown,
      ContactId: unknown,
      AbsoluteTime: new Date().toISOString(),
    };
    const response = await fetch(
      world.sns.request(await world.sns.notification({ topicArn: streamTopic, message: item }), { url: `${world.bridgeUrl}/webhooks/connect` }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', outcome: 'ignored' });
    expect(world.ignored).toEqual([{ reason: expect.stringMatching(/^no session for this contact/), itemId: item.Id, initialContactId: unknown }]);
    expect(world.failures).toEqual([]);
    expect(world.delivered).toEqual([]);
    expect(world.emulator.phoneMessages()).toEqual([]);
  });

  it("chat.ended drops the session: the customer's next message starts a new chat", async () => {
    const contactId = await conversation('twilio', '+14155550215');
    expect(await world.chat.sender.sessions?.getByContact(contactId)).toBeDefined();
    world.emulator.endChat(contactId);
    await world.emulator.settled();
    expect(await world.chat.sender.sessions?.getByContact(contactId)).toBeUndefined();
    const next = await conversation('twilio', '+14155550215', 'hello again');
    expect(next).not.toBe(contactId);
    await world.emulator.reply(next, { text: 'welcome back' });
    expect(world.emulator.phoneMessages().map((message) => message.text)).toEqual(['welcome back']);
  });

  it('a 5,000-character reply reaches SMS as ordered parts within 1,600 characters', async () => {
    const contactId = await conversation('sns', '+14155550216');
    const words = Array.from({ length: 1_200 }, (_, i) => `w${i}`)
      .join(' ')
      .slice(0, 5_000)
      .trim();
    expect(words.length).toBeGreaterThan(4_990);
    await world.emulator.reply(contactId, { text: words });
    const parts = world.emulator.phoneMessages().map((message) => message.text);
    expect(parts.length).toBe(4);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(1_600);
    expect(parts.join(' ')).toBe(words);
  });

  it('refuses stream posts that are unsigned, signed by someone else or from a foreign topic, and delivers nothing', async () => {
    const contactId = await conversation('twilio', '+14155550217');
    const item = {
      Id: 'forged-1',
      Type: 'MESSAGE',
      ContentType: 'text/plain',
      Content: 'send me your password',
      ParticipantRole: 'AGENT',
      InitialContactId: contactId,
      ContactId: contactId,
      AbsoluteTime: new Date().toISOString(),
    };
    const post = (request: Request) => fetch(request).then((response) => response.status);
    const url = `${world.bridgeUrl}/webhooks/connect`;
    const genuine = await world.sns.notification({ topicArn: streamTopic, message: item });
    const stranger = await createSnsSigner();
    expect(await post(world.sns.request({ ...genuine, Signature: genuine.Signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }, { url }))).toBe(401);
    expect(await post(stranger.request(await stranger.notification({ topicArn: streamTopic, message: item }), { url }))).toBe(401);
    expect(
      await post(world.sns.request(await world.sns.notification({ topicArn: 'arn:aws:sns:us-east-1:999999999999:elsewhere', message: item }), { url })),
    ).toBe(403);
    // Each topic on its own route only.
    expect(await post(world.sns.request(await world.sns.notification({ topicArn: inboundTopicArn, message: item }), { url }))).toBe(403);
    expect(await post(world.sns.request(genuine, { url: `${world.bridgeUrl}/webhooks/sns` }))).toBe(403);
    expect(world.emulator.phoneMessages()).toEqual([]);
    // The genuine one, for contrast.
    expect(await post(world.sns.request(genuine, { url }))).toBe(200);
    expect(world.emulator.phoneMessages().map((message) => message.text)).toEqual(['send me your password']);
  });
});

describe('the stream route on a bridge without a WhatsApp deliverer', () => {
  let world: ReplyWorld;
  beforeAll(async () => {
    world = await startReplyWorld('participant', 'aws-sdk', { without: 'whatsapp' });
  });
  afterAll(async () => {
    await world?.emulator.settled();
    await world?.close();
  });

  it('a reply for a channel with no deliverer is answered 2xx and reported to onDeliveryFailed with the reason', async () => {
    expect(await world.customerWrites('whatsapp', '+14155550501', 'anyone there?')).toBe(200);
    await world.emulator.settled();
    const contactId = world.emulator.chats().find((chat) => chat.key.SourceId === '+14155550501')!.contactId;
    const { item, deliveries } = await world.emulator.reply(contactId, { text: 'yes, here' });
    expect(deliveries.map((delivery) => [delivery.status, delivery.attempts])).toEqual([[200, 1]]);
    expect(world.failures).toHaveLength(1);
    expect(world.failures[0]).toMatchObject({
      reason: 'no deliverer is configured for whatsapp customers',
      message: { id: item.id, text: 'yes, here' },
      session: { initialContactId: contactId, address: { provider: 'whatsapp' } },
    });
    expect(world.delivered).toEqual([]);
    expect(world.emulator.phoneMessages()).toEqual([]);
  });

  it("confirms the streaming topic's subscription by fetching its SubscribeURL once", async () => {
    const confirmation = await world.sns.subscriptionConfirmation({ topicArn: streamTopic });
    const response = await fetch(world.sns.request(confirmation, { url: `${world.bridgeUrl}/webhooks/connect` }));
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(world.sns.confirmedSubscriptions.filter((url) => url === confirmation.SubscribeURL)).toHaveLength(1);
  });

  it('answers 403 to a subscription of any other topic, the inbound one included, and fetches nothing', async () => {
    const before = world.sns.confirmedSubscriptions.length;
    for (const topicArn of ['arn:aws:sns:us-east-1:999999999999:elsewhere', inboundTopicArn]) {
      const confirmation = await world.sns.subscriptionConfirmation({ topicArn });
      const response = await fetch(world.sns.request(confirmation, { url: `${world.bridgeUrl}/webhooks/connect` }));
      expect(response.status).toBe(403);
      await response.arrayBuffer();
    }
    expect(world.sns.confirmedSubscriptions).toHaveLength(before);
  });
});

describe('each deliverer classifies its channel’s failures', () => {
  let world: ReplyWorld;
  beforeAll(async () => {
    world = await startReplyWorld('integration-event');
  });
  afterAll(async () => {
    await world?.emulator.settled();
    await world?.close();
  });
  beforeEach(async () => {
    await world.emulator.settled();
    world.emulator.reset();
    world.failures.length = 0;
  });

  const operations = { twilio: 'TwilioCreateMessage', whatsapp: 'WhatsAppSendMessage', sns: 'SendTextMessage', generic: 'GenericOutbound' } as const;
  const cases = (['twilio', 'whatsapp', 'sns', 'generic'] as const).flatMap((provider, index) => [
    { provider, from: `+1415555040${index}`, error: 'ChannelThrottled', retried: true },
    { provider, from: `+1415555041${index}`, error: 'ChannelUnavailable', retried: true },
    { provider, from: `+1415555042${index}`, error: 'RecipientOptedOut', retried: false },
    { provider, from: `+1415555043${index}`, error: 'WindowClosed', retried: false },
  ]);

  it.each(cases)('$provider: $error is retried: $retried', async ({ provider, from, error, retried }) => {
    expect(await world.customerWrites(provider, from, 'question')).toBe(200);
    await world.emulator.settled();
    const contactId = world.emulator.chats().find((chat) => chat.key.SourceId === from)!.contactId;
    world.emulator.setFaults({ failNext: [{ error: error as 'ChannelThrottled', operation: operations[provider] }] });
    const { deliveries } = await world.emulator.reply(contactId, { text: 'answer' });
    // Retryable: 503, SNS's second attempt delivers. Permanent: 200 at once, reported, nothing delivered.
    expect(deliveries.map((delivery) => [delivery.status, delivery.attempts])).toEqual([[200, retried ? 2 : 1]]);
    expect(world.emulator.phoneMessages().map((message) => message.text)).toEqual(retried ? ['answer'] : []);
    expect(world.failures).toHaveLength(retried ? 0 : 1);
  });
});
