import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createMemorySessionStore,
  createParticipantTransport,
  createSender,
  disconnectEvent,
  type SenderOptions,
  type SessionStore,
  textMessage,
  typingEvent,
} from '@connect-chat/core';
import { type ChatRecord, type RunningEmulator, startEmulator } from '@connect-chat/emulator';
import { type LossyProxy, startLossyProxy } from './support/lossy-proxy.ts';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const flow = 'arn:aws:connect:us-east-1:111122223333:instance/5a7e0000-1111-2222-3333-444455556666/contact-flow/c0de0000-1111-2222-3333-444455556666';
const chatOf = (n: number) => ({ SourceId: `+1415555${String(n).padStart(4, '0')}`, DestinationId: flow, Subtype: 'connect:sms' });
const chat = chatOf(100);
const stream = 'arn:aws:sns:us-east-1:111122223333:chat-stream';

let emulator: RunningEmulator;
let proxy: LossyProxy | undefined;
let sessions: SessionStore;

beforeEach(async () => {
  emulator = await startEmulator({ port: 0, host: '127.0.0.1', credentials: [credentials] });
  sessions = createMemorySessionStore();
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await emulator.close();
});

function senderFor(options: Partial<SenderOptions> = {}, via = emulator.url) {
  const transport = createParticipantTransport({ region: 'us-east-1', credentials, endpoint: via, participantEndpoint: via, sessions });
  return createSender({ transport, rateLimit: false, retry: { baseDelayMs: 5, maxDelayMs: 20, attemptTimeoutMs: 1_000 }, ...options });
}

const messagesOf = (record: ChatRecord | undefined) => record?.transcript.filter((item) => item.type === 'MESSAGE').map((item) => item.content);

describe('participant transport against the emulator (real SDK clients, real HTTP)', () => {
  it('starts one chat with the contact flow, streams it when asked, and sends every message through the participant service', async () => {
    const sender = senderFor();
    const newSession = { ParticipantDetails: { DisplayName: 'Ana' }, Attributes: { channel: 'sms' }, StreamingConfiguration: { StreamingEndpointArn: stream } };
    const first = await sender.send(textMessage(chat, 'hello', { newSession }), { idempotencyKey: 'twilio:SM1' });
    const second = await sender.send(textMessage(chat, 'are you there?'), { idempotencyKey: 'twilio:SM2' });
    await sender.send(typingEvent(chat), { idempotencyKey: 'twilio:SM3' });
    expect(first).toMatchObject({ newChatCreated: true, initialContactId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(second).toMatchObject({ newChatCreated: false, initialContactId: first.initialContactId });
    const [record, ...others] = emulator.chats();
    expect(others).toEqual([]);
    expect(record).toMatchObject({
      transport: 'participant',
      contactId: first.initialContactId,
      active: true,
      key: { SourceId: chat.SourceId, DestinationId: flow, Subtype: 'connect:sms' },
      streamingEndpointArn: stream,
      newSessionDetails: { ParticipantDetails: { DisplayName: 'Ana' }, Attributes: { channel: 'sms', sourceId: chat.SourceId, subtype: 'connect:sms' } },
    });
    expect(record?.transcript.map((item) => [item.type, item.content ?? item.contentType])).toEqual([
      ['MESSAGE', 'hello'],
      ['MESSAGE', 'are you there?'],
      ['EVENT', 'application/vnd.amazonaws.connect.event.typing'],
    ]);
  });

  it('concurrent first messages of a new customer start one chat and land in order', async () => {
    const sender = senderFor();
    const texts = ['one', 'two', 'three', 'four', 'five'];
    const results = await Promise.all(texts.map((text, i) => sender.send(textMessage(chat, text), { idempotencyKey: `twilio:SM-c${i}` })));
    expect(emulator.chats()).toHaveLength(1);
    expect(messagesOf(emulator.chats()[0])).toEqual(texts);
    expect(results.map((result) => result.newChatCreated)).toEqual([true, false, false, false, false]);
  });

  it('a retry after a lost StartChatContact answer reuses its ClientToken: one chat, one copy', async () => {
    proxy = await startLossyProxy(emulator.url);
    const sender = senderFor({}, proxy.url);
    proxy.loseResponse('/contact/chat');
    const result = await sender.send(textMessage(chat, 'first words'), { idempotencyKey: 'twilio:SM-lost' });
    expect(result.attempts).toBe(2);
    expect(proxy.seen('/contact/chat')).toBe(2);
    expect(emulator.chats()).toHaveLength(1);
    expect(messagesOf(emulator.chats()[0])).toEqual(['first words']);
  });

  it("a provider's retry of a message whose SendMessage answer was lost creates nothing new", async () => {
    proxy = await startLossyProxy(emulator.url);
    const sender = senderFor({ retry: { maxAttempts: 1, attemptTimeoutMs: 1_000 } }, proxy.url);
    await sender.send(textMessage(chat, 'before'), { idempotencyKey: 'twilio:SM-a' });
    proxy.loseResponse('/participant/message');
    await expect(sender.send(textMessage(chat, 'maybe lost'), { idempotencyKey: 'twilio:SM-b' })).rejects.toMatchObject({ retryable: true });
    // The provider retries the same message later, with the same key.
    await sender.send(textMessage(chat, 'maybe lost'), { idempotencyKey: 'twilio:SM-b' });
    expect(messagesOf(emulator.chats()[0])).toEqual(['before', 'maybe lost']);
  });

  it('a chat ended at Connect: the next message starts a new chat, exactly once, and is not lost', async () => {
    const sender = senderFor();
    const first = await sender.send(textMessage(chat, 'hello'), { idempotencyKey: 'twilio:SM-1' });
    expect(emulator.endChat(first.initialContactId!)).toBe(true);
    const next = await sender.send(textMessage(chat, 'still there?'), { idempotencyKey: 'twilio:SM-2' });
    expect(next.newChatCreated).toBe(true);
    expect(next.initialContactId).not.toBe(first.initialContactId);
    const [newest, ended] = emulator.chats();
    expect(emulator.chats()).toHaveLength(2);
    expect(messagesOf(newest)).toEqual(['still there?']);
    expect(messagesOf(ended)).toEqual(['hello']);
    expect(await sessions.getByContact(first.initialContactId!)).toBeUndefined();
    // And the one after lands on the new chat.
    await sender.send(textMessage(chat, 'thanks'), { idempotencyKey: 'twilio:SM-3' });
    expect(messagesOf(emulator.chats()[0])).toEqual(['still there?', 'thanks']);
  });

  it('a connection token past its expiry is refreshed with the participant token: same chat', async () => {
    const sender = senderFor();
    const first = await sender.send(textMessage(chat, 'one'), { idempotencyKey: 'twilio:SM-t1' });
    const session = (await sessions.getByContact(first.initialContactId!))!;
    // As the store would hold it a day later: the recorded token has expired.
    await sessions.put({ ...session, participant: { ...session.participant!, connectionToken: 'expired-token', connectionExpiresAt: Date.now() - 1_000 } });
    const second = await sender.send(textMessage(chat, 'two'), { idempotencyKey: 'twilio:SM-t2' });
    expect(second).toMatchObject({ initialContactId: first.initialContactId, newChatCreated: false });
    expect(emulator.chats()).toHaveLength(1);
    expect(messagesOf(emulator.chats()[0])).toEqual(['one', 'two']);
    const refreshed = await sessions.getByContact(first.initialContactId!);
    expect(refreshed?.participant?.connectionToken).not.toBe('expired-token');
    expect(refreshed?.participant?.connectionExpiresAt).toBeGreaterThan(Date.now());
  });

  it('a token the emulator expires sooner than the refresh margin is refreshed before each use', async () => {
    emulator.setConnectionTokenTtl(60_000);
    const sender = senderFor();
    const first = await sender.send(textMessage(chat, 'one'), { idempotencyKey: 'twilio:SM-r1' });
    const before = (await sessions.getByContact(first.initialContactId!))?.participant?.connectionToken;
    await sender.send(textMessage(chat, 'two'), { idempotencyKey: 'twilio:SM-r2' });
    expect((await sessions.getByContact(first.initialContactId!))?.participant?.connectionToken).not.toBe(before);
    expect(messagesOf(emulator.chats()[0])).toEqual(['one', 'two']);
  });

  it('throttling is retried within the deadline and lands exactly one copy', async () => {
    const sender = senderFor();
    emulator.setFaults({ failNext: [{ error: 'ThrottlingException', count: 2, operation: 'SendMessage' }] });
    const result = await sender.send(textMessage(chat, 'patience'), { idempotencyKey: 'twilio:SM-th' });
    expect(result.attempts).toBe(3);
    expect(messagesOf(emulator.chats()[0])).toEqual(['patience']);
  });

  it('throttling beyond the retries fails as retryable; the retry of the message sends one copy', async () => {
    const sender = senderFor({ retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 } });
    emulator.setFaults({ failNext: [{ error: 'ThrottlingException', count: 100 }] });
    await expect(sender.send(textMessage(chat, 'later'), { idempotencyKey: 'twilio:SM-x' })).rejects.toMatchObject({
      code: 'CONNECT_THROTTLED',
      retryable: true,
    });
    emulator.setFaults({});
    await sender.send(textMessage(chat, 'later'), { idempotencyKey: 'twilio:SM-x' });
    expect(emulator.chats()).toHaveLength(1);
    expect(messagesOf(emulator.chats()[0])).toEqual(['later']);
  });

  it('splits a long text into ordered parts of at most 1,024 characters; a lost part answer duplicates nothing', async () => {
    proxy = await startLossyProxy(emulator.url);
    const sender = senderFor({ allowUnknownSubtype: true }, proxy.url);
    // A custom channel: the integration event would take 16 KiB, the participant service 1,024 characters.
    const custom = { ...chat, Subtype: 'connect:Guide' };
    await sender.send(textMessage(custom, 'hi', { allowUnknownSubtype: true }), { idempotencyKey: 'generic:m0' });
    const words = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');
    proxy.loseResponse('/participant/message', 2);
    const result = await sender.send(textMessage(custom, words, { allowUnknownSubtype: true }), { idempotencyKey: 'generic:long' });
    expect(result.attempts).toBe(2);
    const parts = messagesOf(emulator.chats()[0])!.slice(1) as string[];
    expect(parts.length).toBeGreaterThanOrEqual(Math.ceil(words.length / 1_024));
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(1_024);
    // In order, each once: the part whose answer was lost was not sent again.
    expect(parts.join(' ')).toBe(words);
  });

  it('DISCONNECT ends the chat; without a chat it answers like Connect, with no contact', async () => {
    const sender = senderFor();
    expect(await sender.send(disconnectEvent(chat), { idempotencyKey: 'k-0' })).toMatchObject({ initialContactId: undefined, newChatCreated: false });
    const first = await sender.send(textMessage(chat, 'bye soon'), { idempotencyKey: 'k-1' });
    const ended = await sender.send(disconnectEvent(chat), { idempotencyKey: 'k-2' });
    expect(ended).toMatchObject({ initialContactId: first.initialContactId, newChatCreated: false });
    expect(emulator.chats()[0]).toMatchObject({ active: false });
    const again = await sender.send(textMessage(chat, 'hello again'), { idempotencyKey: 'k-3' });
    expect(again.newChatCreated).toBe(true);
  });

  it('refuses a DestinationId that is not a contact flow ARN before any call (422)', async () => {
    const sender = senderFor();
    const error = await sender
      .send(textMessage({ ...chat, DestinationId: 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/p' }, 'x'))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_EVENT', retryable: false });
    expect((error as Error).message).toMatch(/contact flow ARN/);
    expect(emulator.chats()).toEqual([]);
  });

  it('a session store that fails is a retryable failure, and nothing is sent', async () => {
    sessions = { ...createMemorySessionStore(), get: async () => Promise.reject(new Error('store down')) };
    const error = await senderFor({ retry: { maxAttempts: 1 } })
      .send(textMessage(chat, 'x'))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SESSION_STORE_UNAVAILABLE', retryable: true });
    expect(emulator.chats()).toEqual([]);
  });
});
