import { disconnectEvent, textMessage } from '@connect-chat/core';
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
