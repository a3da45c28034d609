import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConnectClient,
  ConflictException as ConnectConflictException,
  InvalidParameterException,
  InvalidRequestException,
  LimitExceededException,
  ResourceNotFoundException as ConnectResourceNotFoundException,
  StartContactStreamingCommand,
  StopContactStreamingCommand,
  ThrottlingException as ConnectThrottlingException,
} from '@aws-sdk/client-connect';
import {
  AccessDeniedException,
  ConflictException,
  type ConnectParticipantClient,
  CreateParticipantConnectionCommand,
  DisconnectParticipantCommand,
  InternalServerException,
  ResourceNotFoundException,
  SendEventCommand,
  SendMessageCommand,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-connectparticipant';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEmulatorHandler, type EmulatorEvent, type RunningEmulator, startEmulator } from '../src/index.ts';
import { connectClient, connectedChat, contactFlowId, credentials, instanceId, message, participantClient, rejection, send, startChat } from './helpers.ts';

let emulator: RunningEmulator;
let connect: ConnectClient;
let participant: ConnectParticipantClient;

beforeEach(async () => {
  emulator = await startEmulator({ port: 0, credentials: [credentials] });
  connect = connectClient(emulator.url);
  participant = participantClient(emulator.url);
});

afterEach(async () => {
  vi.useRealTimers();
  connect.destroy();
  participant.destroy();
  await emulator.close();
});

const topicArn = 'arn:aws:sns:us-east-1:123456789012:connect-chat-outbound';
const typing = 'application/vnd.amazonaws.connect.event.typing';
const isoWithMs = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function sendMessage(ConnectionToken: string, Content: string, extra: { ClientToken?: string; ContentType?: string } = {}) {
  return participant.send(new SendMessageCommand({ ConnectionToken, ContentType: 'text/plain', Content, ...extra }));
}

function connectParticipant(ParticipantToken: string) {
  return participant.send(new CreateParticipantConnectionCommand({ ParticipantToken, Type: ['CONNECTION_CREDENTIALS'], ConnectParticipant: true }));
}

function startStreaming(ContactId: string, ClientToken: string) {
  return connect.send(
    new StartContactStreamingCommand({ InstanceId: instanceId, ContactId, ChatStreamingConfiguration: { StreamingEndpointArn: topicArn }, ClientToken }),
  );
}

function endByRoute(contactId: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return fetch(`${emulator.url}/_emulator/chats/${encodeURIComponent(contactId)}/end`, { method: 'POST', headers, body: '{}' });
}

describe('the participant transport, end to end with the real SDK clients', () => {
  it('starts a chat, streams it, connects the customer, carries messages and an event, and disconnects', async () => {
    const started = await startChat(connect, {
      Attributes: { sourceId: '+14155550100', subtype: 'connect:sms', tier: 'gold' },
      InitialMessage: { ContentType: 'text/plain', Content: 'hello' },
      SupportedMessagingContentTypes: ['text/plain', 'text/markdown'],
      ChatDurationInMinutes: 60,
    });
    expect(started.ContactId).toMatch(uuid);
    expect(started.ParticipantId).toMatch(uuid);
    expect(started.ParticipantToken).toMatch(/^[A-Za-z0-9_-]{32,}$/);

    const streaming = await startStreaming(started.ContactId ?? '', 'stream-1');
    expect(streaming.StreamingId).toMatch(uuid);

    const connection = await participant.send(
      new CreateParticipantConnectionCommand({
        ParticipantToken: started.ParticipantToken,
        Type: ['WEBSOCKET', 'CONNECTION_CREDENTIALS'],
        ConnectParticipant: true,
      }),
    );
    const token = connection.ConnectionCredentials?.ConnectionToken ?? '';
    expect(token).not.toBe(started.ParticipantToken);
    expect(connection.ConnectionCredentials?.Expiry).toMatch(isoWithMs);
    expect(connection.Websocket?.Url).toMatch(/^wss:\/\//);

    const first = await sendMessage(token, 'I need help');
    expect(first.Id).toMatch(uuid);
    expect(first.AbsoluteTime).toMatch(isoWithMs);
    await sendMessage(token, '**now**', { ContentType: 'text/markdown' });
    const event = await participant.send(new SendEventCommand({ ConnectionToken: token, ContentType: typing }));
    expect(event.Id).toMatch(uuid);
    await participant.send(new DisconnectParticipantCommand({ ConnectionToken: token }));

    const [chat] = emulator.chats();
    expect(chat).toMatchObject({
      transport: 'participant',
      contactId: started.ContactId,
      participantId: started.ParticipantId,
      instanceId,
      contactFlowId,
      key: {
        SourceId: '+14155550100',
        DestinationId: `arn:aws:connect:us-east-1:111122223333:instance/${instanceId}/contact-flow/${contactFlowId}`,
        Subtype: 'connect:sms',
      },
      customerConnected: true,
      streamingEndpointArn: topicArn,
      streamingId: streaming.StreamingId,
      active: false,
      newSessionDetails: {
        ParticipantDetails: { DisplayName: 'Ana' },
        Attributes: { sourceId: '+14155550100', subtype: 'connect:sms', tier: 'gold' },
        SupportedMessagingContentTypes: ['text/plain', 'text/markdown'],
        StreamingConfiguration: { StreamingEndpointArn: topicArn },
      },
    });
    expect(chat?.endedAt).toMatch(isoWithMs);
    expect(chat?.transcript.map((item) => [item.type, item.contentType, item.content])).toEqual([
      ['MESSAGE', 'text/plain', 'hello'],
      ['MESSAGE', 'text/plain', 'I need help'],
      ['MESSAGE', 'text/markdown', '**now**'],
      ['EVENT', typing, undefined],
      ['DISCONNECT', undefined, undefined],
    ]);
    expect(chat?.transcript[1]).toMatchObject({ id: first.Id, at: first.AbsoluteTime });
    // Every call after the end is refused, as by the service.
    const after = await rejection(sendMessage(token, 'still there?'));
    expect(after).toBeInstanceOf(AccessDeniedException);
    expect(after.$metadata.httpStatusCode).toBe(403);
  });

  it('derives the key from the DisplayName, the region signed for and accountId, with no Subtype and no item until a message', async () => {
    const other = await startEmulator({ port: 0, credentials: [credentials], accountId: '444455556666' });
    const client = new ConnectClient({ region: 'eu-west-2', endpoint: other.url, credentials, maxAttempts: 1 });
    try {
      const started = await startChat(client, { InstanceId: 'instance-1', ContactFlowId: 'flow-1', ParticipantDetails: { DisplayName: '+447700900123' } });
      const [chat] = other.chats();
      expect(chat?.key).toEqual({
        SourceId: '+447700900123',
        DestinationId: 'arn:aws:connect:eu-west-2:444455556666:instance/instance-1/contact-flow/flow-1',
        Subtype: undefined,
      });
      expect(chat).toMatchObject({ contactId: started.ContactId, active: true, customerConnected: false, transcript: [] });
      expect(chat?.newSessionDetails).toEqual({ ParticipantDetails: { DisplayName: '+447700900123' } });
    } finally {
      client.destroy();
      await other.close();
    }
  });

  it('stops streaming: the chat no longer records the topic', async () => {
    const started = await startChat(connect);
    const { StreamingId } = await startStreaming(started.ContactId ?? '', 'stream-1');
    await connect.send(new StopContactStreamingCommand({ InstanceId: instanceId, ContactId: started.ContactId, StreamingId }));
    const [chat] = emulator.chats();
    expect(chat?.streamingEndpointArn).toBeUndefined();
    expect(chat?.streamingId).toBeUndefined();
    expect(chat?.newSessionDetails?.StreamingConfiguration).toBeUndefined();
  });
});

describe('ClientToken idempotency', () => {
  it('answers StartChatContact again for the same ClientToken and creates nothing; another token starts another chat with the same key', async () => {
    const first = await startChat(connect, { ClientToken: 'start-1' });
    const again = await startChat(connect, { ClientToken: 'start-1' });
    expect({ ContactId: again.ContactId, ParticipantId: again.ParticipantId, ParticipantToken: again.ParticipantToken }).toEqual({
      ContactId: first.ContactId,
      ParticipantId: first.ParticipantId,
      ParticipantToken: first.ParticipantToken,
    });
    expect(emulator.chats()).toHaveLength(1);

    const second = await startChat(connect, { ClientToken: 'start-2' });
    expect(second.ContactId).not.toBe(first.ContactId);
    const chats = emulator.chats();
    expect(chats.map((chat) => chat.contactId)).toEqual([second.ContactId, first.ContactId]);
    expect(chats[0]?.key).toEqual(chats[1]?.key);
    expect(chats.every((chat) => chat.active)).toBe(true);
  });

  it('answers StartContactStreaming again with the same StreamingId for the same ClientToken', async () => {
    const started = await startChat(connect);
    const first = await startStreaming(started.ContactId ?? '', 'stream-1');
    const again = await startStreaming(started.ContactId ?? '', 'stream-1');
    const other = await startStreaming(started.ContactId ?? '', 'stream-2');
    expect(again.StreamingId).toBe(first.StreamingId);
    expect(other.StreamingId).not.toBe(first.StreamingId);
  });

  it('answers SendMessage and SendEvent again for the same ClientToken and appends nothing', async () => {
    const chat = await connectedChat(connect, participant);
    const first = await sendMessage(chat.ConnectionToken, 'once', { ClientToken: 'message-1' });
    const again = await sendMessage(chat.ConnectionToken, 'once', { ClientToken: 'message-1' });
    expect({ Id: again.Id, AbsoluteTime: again.AbsoluteTime }).toEqual({ Id: first.Id, AbsoluteTime: first.AbsoluteTime });
    const event = await participant.send(new SendEventCommand({ ConnectionToken: chat.ConnectionToken, ContentType: typing, ClientToken: 'event-1' }));
    const eventAgain = await participant.send(new SendEventCommand({ ConnectionToken: chat.ConnectionToken, ContentType: typing, ClientToken: 'event-1' }));
    expect(eventAgain.Id).toBe(event.Id);
    expect(emulator.chats()[0]?.transcript.map((item) => item.type)).toEqual(['MESSAGE', 'EVENT']);
    // Without a ClientToken of its own the SDK generates one per call: each call appends.
    await sendMessage(chat.ConnectionToken, 'twice');
    await sendMessage(chat.ConnectionToken, 'twice');
    expect(emulator.chats()[0]?.transcript).toHaveLength(4);
  });

  it('answers DisconnectParticipant again for the same ClientToken, and refuses another disconnect of the ended chat', async () => {
    const chat = await connectedChat(connect, participant);
    await participant.send(new DisconnectParticipantCommand({ ConnectionToken: chat.ConnectionToken, ClientToken: 'bye-1' }));
    const again = await participant.send(new DisconnectParticipantCommand({ ConnectionToken: chat.ConnectionToken, ClientToken: 'bye-1' }));
    expect(again.$metadata.httpStatusCode).toBe(200);
    expect(await rejection(participant.send(new DisconnectParticipantCommand({ ConnectionToken: chat.ConnectionToken, ClientToken: 'bye-2' })))).toBeInstanceOf(
      AccessDeniedException,
    );
    expect(emulator.chats()[0]?.transcript.map((item) => item.type)).toEqual(['DISCONNECT']);
  });
});

describe('connection tokens', () => {
  it('issues a new working ConnectionToken on every CreateParticipantConnection; the old one keeps working', async () => {
    const chat = await connectedChat(connect, participant);
    const refreshed = await connectParticipant(chat.ParticipantToken);
    const next = refreshed.ConnectionCredentials?.ConnectionToken ?? '';
    expect(next).not.toBe(chat.ConnectionToken);
    await sendMessage(next, 'with the new token');
    await sendMessage(chat.ConnectionToken, 'with the old token');
    expect(emulator.chats()[0]?.transcript.map((item) => item.content)).toEqual(['with the new token', 'with the old token']);
  });

  it('refuses an expired ConnectionToken with AccessDeniedException; a refresh works again', async () => {
    emulator.setConnectionTokenTtl(60_000);
    const started = await startChat(connect);
    // Only the participant service's clock moves: it reads Date, and ignores the participant client's signature.
    vi.useFakeTimers({ toFake: ['Date'] });
    const issuedAt = Date.now();
    const connection = await connectParticipant(started.ParticipantToken ?? '');
    expect(connection.ConnectionCredentials?.Expiry).toBe(new Date(issuedAt + 60_000).toISOString());
    const token = connection.ConnectionCredentials?.ConnectionToken ?? '';
    vi.setSystemTime(issuedAt + 59_999);
    await sendMessage(token, 'just in time');
    vi.setSystemTime(issuedAt + 60_000);
    const expired = await rejection(sendMessage(token, 'too late'));
    expect(expired).toBeInstanceOf(AccessDeniedException);
    expect(expired.$metadata.httpStatusCode).toBe(403);
    expect(expired.message).toContain('expired');
    const refreshed = await connectParticipant(started.ParticipantToken ?? '');
    await sendMessage(refreshed.ConnectionCredentials?.ConnectionToken ?? '', 'after the refresh');
    expect(emulator.chats()[0]?.transcript.map((item) => item.content)).toEqual(['just in time', 'after the refresh']);
  });

  it('refuses a request without X-Amz-Bearer, or with an unknown token, with 403 AccessDeniedException', async () => {
    const missing = await fetch(`${emulator.url}/participant/message`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ContentType: 'text/plain', Content: 'hi' }),
    });
    expect(missing.status).toBe(403);
    expect(missing.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    expect(await missing.json()).toMatchObject({ message: 'The X-Amz-Bearer header is missing.' });
    expect(await rejection(sendMessage('not-a-token', 'hi'))).toBeInstanceOf(AccessDeniedException);
    // A ParticipantToken is not a ConnectionToken, nor the other way round.
    const chat = await connectedChat(connect, participant);
    expect(await rejection(sendMessage(chat.ParticipantToken, 'hi'))).toBeInstanceOf(AccessDeniedException);
    expect(await rejection(connectParticipant(chat.ConnectionToken))).toBeInstanceOf(AccessDeniedException);
  });

  it('validates connectionTokenTtlMs and accountId', async () => {
    expect(() => emulator.setConnectionTokenTtl(0)).toThrow('connectionTokenTtlMs: expected an integer 1..');
    await expect(startEmulator({ port: 0, connectionTokenTtlMs: 1.5 })).rejects.toThrow('connectionTokenTtlMs: expected an integer');
    await expect(startEmulator({ port: 0, accountId: '12345' })).rejects.toThrow('accountId: expected an AWS account id of 12 digits, got "12345"');
  });
});

describe('ending a chat as the agent would', () => {
  it('ends a participant chat by POST /_emulator/chats/:contactId/end; its tokens are refused from then on', async () => {
    const chat = await connectedChat(connect, participant);
    const refused = await endByRoute(chat.ContactId, { 'content-type': 'text/plain' });
    expect(refused.status).toBe(415);
    expect(emulator.chats()[0]?.active).toBe(true);

    const ended = await endByRoute(chat.ContactId);
    expect(ended.status).toBe(200);
    expect(await ended.json()).toMatchObject({ contactId: chat.ContactId, active: false, transport: 'participant', transcriptLength: 1 });
    expect(emulator.chats()[0]?.transcript.map((item) => item.type)).toEqual(['DISCONNECT']);

    const message = await rejection(sendMessage(chat.ConnectionToken, 'hello?'));
    expect(message).toBeInstanceOf(AccessDeniedException);
    expect(message.$metadata.httpStatusCode).toBe(403);
    expect(await rejection(connectParticipant(chat.ParticipantToken))).toBeInstanceOf(AccessDeniedException);
    const streaming = await rejection(startStreaming(chat.ContactId, 'late'));
    expect(streaming).toBeInstanceOf(InvalidRequestException);
  });

  it('answers 404 for an unknown contact id and 200 again for an ended chat', async () => {
    const unknown = await endByRoute('no-such-contact');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const started = await startChat(connect);
    expect(emulator.endChat(started.ContactId ?? '')).toBe(true);
    expect(emulator.endChat(started.ContactId ?? '')).toBe(false);
    expect((await endByRoute(started.ContactId ?? '')).status).toBe(200);
    expect(emulator.chats()[0]?.transcript).toHaveLength(1);
  });

  it('ends an integration-event chat too: the next event with its key starts a new chat', async () => {
    const first = await send(connect, message('hello'));
    expect((await endByRoute(first.InitialContactId ?? '')).status).toBe(200);
    const next = await send(connect, message('hello again'));
    expect(next.NewChatCreated).toBe(true);
    expect(next.InitialContactId).not.toBe(first.InitialContactId);
    expect(emulator.chats()[1]).toMatchObject({ transport: 'integration-event', active: false });
  });
});

describe('faults per operation', () => {
  const participantCases = [
    ['ThrottlingException', ThrottlingException, 429],
    ['ValidationException', ValidationException, 400],
    ['InternalServerException', InternalServerException, 500],
    ['ConflictException', ConflictException, 409],
    ['AccessDeniedException', AccessDeniedException, 403],
    ['ResourceNotFoundException', ResourceNotFoundException, 404],
  ] as const;

  it.each(participantCases)('SendMessage answers an injected %s the SDK parses as its class', async (name, errorClass, status) => {
    const chat = await connectedChat(connect, participant);
    emulator.setFaults({ failNext: [{ error: name, operation: 'SendMessage' }] });
    const error = await rejection(sendMessage(chat.ConnectionToken, 'hi'));
    expect(error).toBeInstanceOf(errorClass);
    expect(error.$metadata.httpStatusCode).toBe(status);
    expect(error.message).toContain('injected by the emulator');
    expect(emulator.chats()[0]?.transcript).toEqual([]);
  });

  const connectCases = [
    ['LimitExceededException', LimitExceededException, 429],
    ['InvalidParameterException', InvalidParameterException, 400],
    ['ConflictException', ConnectConflictException, 409],
    ['ThrottlingException', ConnectThrottlingException, 429],
  ] as const;

  it.each(connectCases)('StartChatContact answers an injected %s the SDK parses as its class', async (name, errorClass, status) => {
    emulator.setFaults({ failNext: [{ error: name, operation: 'StartChatContact' }] });
    const error = await rejection(startChat(connect));
    expect(error).toBeInstanceOf(errorClass);
    expect(error.$metadata.httpStatusCode).toBe(status);
    expect(emulator.chats()).toEqual([]);
  });

  it('consumes an entry with an operation only on that operation', async () => {
    emulator.setFaults({ failNext: [{ error: 'ThrottlingException', operation: 'SendMessage' }] });
    const chat = await connectedChat(connect, participant);
    await participant.send(new SendEventCommand({ ConnectionToken: chat.ConnectionToken, ContentType: typing }));
    await send(connect, message('integration events pass'));
    expect(await rejection(sendMessage(chat.ConnectionToken, 'throttled'))).toBeInstanceOf(ThrottlingException);
    await sendMessage(chat.ConnectionToken, 'accepted');
    expect(emulator.chats()[1]?.transcript.map((item) => item.content ?? item.type)).toEqual(['EVENT', 'accepted']);
  });

  it('names the error of a rate in the words of the participant service', async () => {
    const chat = await connectedChat(connect, participant);
    emulator.setFaults({ errorRates: { 400: 1 } });
    expect(await rejection(sendMessage(chat.ConnectionToken, 'hi'))).toBeInstanceOf(ValidationException);
    expect(await rejection(startChat(connect))).toBeInstanceOf(InvalidRequestException);
  });

  it('refuses an unknown operation in POST /_emulator/faults, naming the member', async () => {
    const response = await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ failNext: [{ error: 'ThrottlingException', operation: 'GetTranscript' }] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'INVALID_OPTIONS', message: expect.stringContaining('faults.failNext[0].operation') } });
  });
});

describe('validation and authentication', () => {
  it('refuses a text/plain message over 1,024 characters with ValidationException and accepts 1,024', async () => {
    const chat = await connectedChat(connect, participant);
    const error = await rejection(sendMessage(chat.ConnectionToken, 'x'.repeat(1_025)));
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain('Content: must be 1..1024 characters, got 1025');
    await sendMessage(chat.ConnectionToken, 'x'.repeat(1_024));
    await sendMessage(chat.ConnectionToken, JSON.stringify({ text: 'y'.repeat(2_000) }), { ContentType: 'application/json' });
    expect(await rejection(sendMessage(chat.ConnectionToken, 'hi', { ContentType: 'text/html' }))).toBeInstanceOf(ValidationException);
    expect(
      await rejection(
        participant.send(
          new SendEventCommand({ ConnectionToken: chat.ConnectionToken, ContentType: 'application/vnd.amazonaws.connect.event.participant.joined' }),
        ),
      ),
    ).toBeInstanceOf(ValidationException);
    expect(await rejection(participant.send(new CreateParticipantConnectionCommand({ ParticipantToken: chat.ParticipantToken, Type: [] })))).toBeInstanceOf(
      ValidationException,
    );
    expect(emulator.chats()[0]?.transcript).toHaveLength(2);
  });

  it.each([
    ['an empty DisplayName', { ParticipantDetails: { DisplayName: '' } }, 'ParticipantDetails.DisplayName: must be 1..256 characters'],
    ['a long InstanceId', { InstanceId: 'i'.repeat(101) }, 'InstanceId: must be 1..100 characters'],
    [
      'no text/plain',
      { SupportedMessagingContentTypes: ['text/markdown'] },
      'SupportedMessagingContentTypes: must be an array of content types including text/plain',
    ],
    ['a short duration', { ChatDurationInMinutes: 59 }, 'ChatDurationInMinutes: must be an integer 60..10080'],
    ['attributes over 32 KiB', { Attributes: { big: 'x'.repeat(32_766) } }, 'Attributes: must be at most 32768 UTF-8 bytes together, got 32769'],
    ['an empty initial message', { InitialMessage: { ContentType: 'text/plain', Content: '' } }, 'InitialMessage.Content: must be 1..1024 characters'],
  ])('refuses StartChatContact with %s as InvalidRequestException', async (_label, overrides, issue) => {
    const error = await rejection(startChat(connect, overrides));
    expect(error).toBeInstanceOf(InvalidRequestException);
    expect(error.message).toContain(issue);
    expect(emulator.chats()).toEqual([]);
  });

  it('refuses StartContactStreaming for an unknown contact with ResourceNotFoundException and a non-SNS ARN with InvalidRequestException', async () => {
    expect(await rejection(startStreaming('00000000-0000-4000-8000-000000000000', 'stream-1'))).toBeInstanceOf(ConnectResourceNotFoundException);
    const started = await startChat(connect);
    const badArn = await rejection(
      connect.send(
        new StartContactStreamingCommand({
          InstanceId: instanceId,
          ContactId: started.ContactId,
          ChatStreamingConfiguration: { StreamingEndpointArn: 'arn:aws:sqs:us-east-1:123456789012:queue' },
          ClientToken: 'stream-1',
        }),
      ),
    );
    expect(badArn).toBeInstanceOf(InvalidRequestException);
    // The contact exists, but in another instance.
    const otherInstance = await rejection(
      connect.send(
        new StartContactStreamingCommand({
          InstanceId: 'other',
          ContactId: started.ContactId,
          ChatStreamingConfiguration: { StreamingEndpointArn: topicArn },
          ClientToken: 'x',
        }),
      ),
    );
    expect(otherInstance).toBeInstanceOf(ConnectResourceNotFoundException);
  });

  it('refuses StartChatContact without a valid SigV4 signature as the integration event route does', async () => {
    const unsigned = await fetch(`${emulator.url}/contact/chat`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ InstanceId: instanceId, ContactFlowId: contactFlowId, ParticipantDetails: { DisplayName: 'Ana' } }),
    });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    const wrongSecret = connectClient(emulator.url, { secretAccessKey: 'wrong' });
    try {
      const error = await rejection(startChat(wrongSecret));
      expect(error.name).toBe('InvalidSignatureException');
      expect(error.$metadata.httpStatusCode).toBe(403);
    } finally {
      wrongSecret.destroy();
    }
    expect(emulator.chats()).toEqual([]);
  });
});

describe('events of participant chats', () => {
  it('emits chat.created with no item, chat.updated for the connection and each item, chat.ended for the disconnect', async () => {
    const handler = createEmulatorHandler({ credentials: [credentials] });
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const events: EmulatorEvent[] = [];
    const unsubscribe = handler.subscribe((event) => events.push(event));
    const ownConnect = connectClient(url);
    const ownParticipant = participantClient(url);
    try {
      const chat = await connectedChat(ownConnect, ownParticipant);
      await ownParticipant.send(new SendMessageCommand({ ConnectionToken: chat.ConnectionToken, ContentType: 'text/plain', Content: 'hi' }));
      await ownParticipant.send(new DisconnectParticipantCommand({ ConnectionToken: chat.ConnectionToken }));
      expect(events.map((event) => [event.type, event.item?.type, event.chat?.transport, event.chat?.customerConnected])).toEqual([
        ['chat.created', undefined, 'participant', false],
        ['chat.updated', undefined, 'participant', true],
        ['chat.updated', 'MESSAGE', 'participant', true],
        ['chat.ended', 'DISCONNECT', 'participant', true],
      ]);
      expect(events.every((event) => event.chat?.contactId === chat.ContactId)).toBe(true);
    } finally {
      unsubscribe();
      ownConnect.destroy();
      ownParticipant.destroy();
      handler.close();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    }
  });
});
