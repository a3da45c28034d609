import { describe, expect, it } from 'vitest';
import { destinationArn, recordingTransport, senderOver, testProvider, testRequest } from '../../test/support/fakes.ts';
import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { createMemoryIdempotencyStore } from '../idempotency/memory-store.ts';
import type { IdempotencyStore } from '../idempotency/types.ts';
import { createWebhookHandler } from '../http/handler.ts';
import { createSender } from '../sender/sender.ts';
import { createConnectChat } from './connect-chat.ts';
import type { ConnectChatOptions } from '../http/handler-types.ts';

const route = { destination: destinationArn };
const named = (name: string) => testProvider({ name }).provider;

describe('createConnectChat', () => {
  it('mounts one handler per provider under basePath, in the order given', () => {
    const bridge = createConnectChat({ providers: [named('twilio'), named('sns')], sender: senderOver(recordingTransport().transport), route });
    expect(bridge.paths).toEqual(['/webhooks/twilio', '/webhooks/sns']);
    expect(Object.keys(bridge.handlers)).toEqual(['twilio', 'sns']);
    expect(bridge.handler('sns').provider.name).toBe('sns');
    const custom = createConnectChat({ providers: [named('twilio')], sender: senderOver(recordingTransport().transport), route, basePath: '/hooks/' });
    expect(custom.paths).toEqual(['/hooks/twilio']);
    const root = createConnectChat({ providers: [named('twilio')], sender: senderOver(recordingTransport().transport), route, basePath: '/' });
    expect(root.paths).toEqual(['/twilio']);
  });

  it('matches paths with or without a trailing slash, and nothing else', () => {
    const bridge = createConnectChat({ providers: [named('twilio'), named('whatsapp')], sender: senderOver(recordingTransport().transport), route });
    expect(bridge.match('/webhooks/whatsapp')?.provider.name).toBe('whatsapp');
    expect(bridge.match('/webhooks/twilio/')?.provider.name).toBe('twilio');
    expect(bridge.match('/webhooks')).toBeUndefined();
    expect(bridge.match('/webhooks/twilio/extra')).toBeUndefined();
    expect(bridge.match('/WEBHOOKS/twilio')).toBeUndefined();
    expect(bridge.match('/webhooks/constructor')).toBeUndefined();
  });

  it('throws INVALID_OPTIONS for an unknown provider name', () => {
    const bridge = createConnectChat({ providers: [named('twilio')], sender: senderOver(recordingTransport().transport), route });
    expect(() => bridge.handler('sms')).toThrow(/no provider by that name; configured: twilio/);
    expect(() => bridge.handler('toString')).toThrow(ConnectChatError);
  });

  it('shares one sender and one idempotency store between its handlers', async () => {
    const connect = recordingTransport();
    const keys: string[] = [];
    const memory = createMemoryIdempotencyStore();
    const store: IdempotencyStore = {
      claim: (key, owner) => {
        keys.push(key);
        return memory.claim(key, owner);
      },
      complete: memory.complete,
      release: memory.release,
    };
    const bridge = createConnectChat({
      providers: [named('a'), named('b')],
      sender: { transport: connect.transport, rateLimit: false },
      route,
      idempotency: store,
    });
    expect((await bridge.handler('a').fetch(testRequest({ messages: [{ id: 'm1', text: 'via a' }] }))).status).toBe(200);
    expect((await bridge.handler('b').fetch(testRequest({ messages: [{ id: 'm1', text: 'via b' }] }))).status).toBe(200);
    // The same provider id on two providers is two messages.
    expect(keys).toEqual(['a:m1', 'b:m1']);
    expect(connect.contents()).toEqual(['via a', 'via b']);
    const direct = await bridge.sender.send({
      SourceId: '+14255550182',
      DestinationId: destinationArn,
      Subtype: 'connect:sms',
      Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'direct' },
    });
    expect(direct.initialContactId).toBe('contact-3');
  });

  it('deduplicates across handlers sharing the default store', async () => {
    const connect = recordingTransport();
    const bridge = createConnectChat({ providers: [named('a')], sender: senderOver(connect.transport), route });
    await bridge.handler('a').fetch(testRequest({ messages: [{ id: 'm1' }] }));
    await bridge.match('/webhooks/a/')!.fetch(testRequest({ messages: [{ id: 'm1' }] }));
    expect(connect.accepted).toHaveLength(1);
  });

  it('names the option that cannot work', () => {
    const sender = senderOver(recordingTransport().transport);
    const problem = (options: unknown) => {
      try {
        createConnectChat(options as ConnectChatOptions);
      } catch (error) {
        return ConnectChatError.is(error) && error.code === 'INVALID_OPTIONS' ? error.message : `unexpected ${String(error)}`;
      }
      return 'valid';
    };
    expect(problem({ providers: [named('a'), named('a')], sender, route })).toMatch(/^options\.providers\[1\]: a second provider named "a"/);
    expect(problem({ providers: [], sender, route })).toMatch(/^options\.providers: expected a non-empty array/);
    expect(problem({ providers: [named('a'), { name: 'b' }], sender, route })).toMatch(/^options\.providers\[1\]\.methods/);
    expect(problem({ providers: [named('a')], sender, route, basePath: 'webhooks' })).toMatch(/^options\.basePath/);
    expect(problem({ providers: [named('a')], sender, route: {} })).toMatch(/^options\.route\.destination/);
    expect(problem({ providers: [named('a')], sender: 'fast', route })).toMatch(/^options\.sender/);
    expect(problem({ providers: [named('a')], sender: { rateLimit: 'fast' }, route })).toMatch(/rateLimit/);
    expect(problem({ providers: [named('a')], sender, route, provider: named('b') })).toMatch(/^options\.provider: unknown option/);
    expect(problem(null)).toMatch(/^options: expected an object/);
  });
});

describe('createConnectChat: route.allowUnknownSubtype reaches the sender it builds', () => {
  it('sends an allowed undocumented Subtype instead of refusing it with 422', async () => {
    const connect = recordingTransport();
    const bridge = createConnectChat({
      providers: [named('test')],
      sender: { transport: connect.transport, rateLimit: false },
      route: { destination: destinationArn, subtypes: { sms: 'connect:RCS' }, allowUnknownSubtype: true },
    });
    const response = await bridge.handler('test').fetch(testRequest({ messages: [{ id: 'm1', text: 'hello' }] }));
    expect(response.status).toBe(200);
    expect(connect.accepted.map((event) => event.Subtype)).toEqual(['connect:RCS']);
  });

  it('still refuses an undocumented Subtype the route does not allow', async () => {
    const connect = recordingTransport();
    const bridge = createConnectChat({ providers: [named('test')], sender: { transport: connect.transport }, route: { destination: destinationArn } });
    const response = await bridge.handler('test').fetch(testRequest({ messages: [{ id: 'm1', hints: { subtype: 'connect:RCS' } }] }));
    expect(response.status).toBe(422);
    expect(connect.attempts).toEqual([]);
  });
});

describe('createWebhookHandler with a sender of its own: one validation, the route decides', () => {
  it('sends an undocumented Subtype the route allows, though the sender was built without allowUnknownSubtype', async () => {
    const connect = recordingTransport();
    const handler = createWebhookHandler({
      provider: named('test'),
      sender: createSender({ transport: connect.transport, rateLimit: false }),
      route: { destination: destinationArn, subtypes: { sms: 'connect:RCS' }, allowUnknownSubtype: true },
    });
    expect((await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }))).status).toBe(200);
    expect(connect.accepted.map((event) => event.Subtype)).toEqual(['connect:RCS']);
  });
});
