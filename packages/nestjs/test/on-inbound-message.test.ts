import type { IgnoredEvent, InboundMessage } from '@connect-chat/core';
import { type RunningEmulator, startEmulator } from '@connect-chat/emulator';
import { Injectable } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnInboundMessage } from '../src/index.ts';
import { genericBridge, postGenericMessage } from './fixtures.ts';
import { matrix, type RunningNestApp, startNestApp } from './nest-app.ts';

@Injectable()
class CrmEnricher {
  readonly seen: string[] = [];

  @OnInboundMessage()
  addCustomerId(message: InboundMessage): InboundMessage {
    this.seen.push(message.text ?? '');
    return { ...message, hints: { ...message.hints, attributes: { ...message.hints?.attributes, customerId: `crm-${message.from.slice(-4)}` } } };
  }

  @OnInboundMessage({ provider: 'generic' })
  async dropOptOuts(message: InboundMessage): Promise<false | undefined> {
    // Sees the previous method's result: the chain passes the enriched message on.
    if (message.hints?.attributes?.customerId === undefined) throw new Error('chain lost the enrichment');
    return message.text === 'STOP' ? false : undefined;
  }

  @OnInboundMessage({ provider: 'twilio' })
  neverForGeneric(): false {
    return false;
  }

  notAHandler(): false {
    return false;
  }
}

describe.each(matrix)('@OnInboundMessage (%s, %s)', (factory, platform) => {
  let emulator: RunningEmulator;
  let nest: RunningNestApp;
  let secret: string;
  const order: string[] = [];
  const ignored: IgnoredEvent[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    const bridge = genericBridge(emulator.url);
    secret = bridge.secret;
    const hooks = {
      onMessage: (message: InboundMessage) => {
        order.push(`hooks.onMessage:${message.text}`);
        return { ...message, hints: { ...message.hints, attributes: { source: 'app-hook' } } };
      },
      onIgnored: (event: IgnoredEvent) => void ignored.push(event),
    };
    nest = await startNestApp({ factory, platform, options: { ...bridge.options, hooks }, providers: [CrmEnricher] });
  });
  afterAll(async () => {
    await nest?.close();
    await emulator?.close();
  });

  it('enriches the message before it is routed: attributes reach the new chat', async () => {
    const response = await postGenericMessage(nest.baseUrl, secret, '+14155550123', 'Hello');
    expect(response.status).toBe(200);

    const [chat] = emulator.chats().filter((c) => c.key.SourceId === '+14155550123');
    expect(chat?.newSessionDetails?.Attributes).toMatchObject({ source: 'app-hook', customerId: 'crm-0123' });
    expect(chat?.transcript.map((item) => item.content)).toEqual(['Hello']);
    // The application's own hook runs first, then the decorated methods.
    expect(order).toContain('hooks.onMessage:Hello');
    expect(nest.app.get(CrmEnricher).seen).toContain('Hello');
  });

  it('vetoes a message: answered 2xx, reported as ignored, nothing sent', async () => {
    const response = await postGenericMessage(nest.baseUrl, secret, '+14155550124', 'STOP');
    expect(response.status).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(300);
    expect(emulator.chats().filter((c) => c.key.SourceId === '+14155550124')).toEqual([]);
    expect(ignored.map((event) => event.provider)).toEqual(['generic']);
  });
});
