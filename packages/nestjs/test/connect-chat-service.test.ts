import { createParticipantTransport, disconnectEvent, textMessage } from '@connect-chat/core';
import { type RunningEmulator, startEmulator } from '@connect-chat/emulator';
import { Injectable } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectChatService } from '../src/index.ts';
import { destinationId, genericBridge } from './fixtures.ts';
import { matrix, type RunningNestApp, startNestApp } from './nest-app.ts';

// An app service that closes chats, injected by type as apps write it (design:paramtypes).
@Injectable()
class CaseClosedListener {
  constructor(readonly connectChat: ConnectChatService) {}

  onCaseClosed(customer: string) {
    return this.connectChat.send(disconnectEvent({ SourceId: customer, DestinationId: destinationId, Subtype: 'connect:sms' }));
  }
}

describe('decorator metadata under vitest', () => {
  it('emits design:paramtypes, which Nest injection by type depends on', () => {
    expect(Reflect.getMetadata('design:paramtypes', CaseClosedListener)).toEqual([ConnectChatService]);
  });
});

describe.each(matrix)('ConnectChatService (%s, %s)', (factory, platform) => {
  let emulator: RunningEmulator;
  let nest: RunningNestApp;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    nest = await startNestApp({ factory, platform, options: genericBridge(emulator.url).options, providers: [CaseClosedListener] });
  });
  afterAll(async () => {
    await nest?.close();
    await emulator?.close();
  });

  it('sends app events through the module sender to Connect, and closes the chat', async () => {
    const customer = '+14155550101';
    const chat = { SourceId: customer, DestinationId: destinationId, Subtype: 'connect:sms' };
    const service = nest.app.get(ConnectChatService);

    const sent = await service.send(textMessage(chat, 'Your case 42 is resolved'));
    expect(sent.newChatCreated).toBe(true);
    const closed = await nest.app.get(CaseClosedListener).onCaseClosed(customer);

    const [record] = emulator.chats().filter((c) => c.key.SourceId === customer);
    expect(record?.contactId).toBe(sent.initialContactId);
    expect(closed.initialContactId).toBe(sent.initialContactId);
    expect(record?.active).toBe(false);
    expect(record?.transcript.map((item) => [item.type, item.content])).toEqual([
      ['MESSAGE', 'Your case 42 is resolved'],
      ['DISCONNECT', undefined],
    ]);
  });

  it('exposes the bridge the routes are served from', () => {
    const { connectChat } = nest.app.get(ConnectChatService);
    expect(connectChat.paths).toEqual(['/webhooks/generic']);
    expect(connectChat.handler('generic').provider.name).toBe('generic');
  });
});

describe.each(matrix)('ConnectChatService through the participant transport (%s, %s)', (factory, platform) => {
  const flow = 'arn:aws:connect:us-east-1:111122223333:instance/5a7e0000-1111-2222-3333-444455556666/contact-flow/c0de0000-1111-2222-3333-444455556666';
  let emulator: RunningEmulator;
  let nest: RunningNestApp;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    const { options } = genericBridge(emulator.url);
    const connect = { region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'emulator-secret' } };
    const transport = createParticipantTransport({ ...connect, endpoint: emulator.url, participantEndpoint: emulator.url });
    nest = await startNestApp({ factory, platform, options: { ...options, route: { destination: flow }, sender: { transport, rateLimit: false } } });
  });
  afterAll(async () => {
    await nest?.close();
    await emulator?.close();
  });

  it('starts a chat with the contact flow, sends into it, and ends it', async () => {
    const chat = { SourceId: '+14155550102', DestinationId: flow, Subtype: 'connect:sms' };
    const service = nest.app.get(ConnectChatService);
    const sent = await service.send(textMessage(chat, 'Your parcel is on its way'));
    const again = await service.send(textMessage(chat, 'It arrives tomorrow'));
    const closed = await service.send(disconnectEvent(chat));
    expect(sent.newChatCreated).toBe(true);
    expect([again.initialContactId, closed.initialContactId]).toEqual([sent.initialContactId, sent.initialContactId]);
    const [record, ...others] = emulator.chats();
    expect(others).toEqual([]);
    expect(record).toMatchObject({ transport: 'participant', contactId: sent.initialContactId, active: false, key: chat });
    expect(record?.transcript.map((item) => [item.type, item.content])).toEqual([
      ['MESSAGE', 'Your parcel is on its way'],
      ['MESSAGE', 'It arrives tomorrow'],
      ['DISCONNECT', undefined],
    ]);
  });
});
