import type { ConnectChat, WebhookHandler } from '@connect-chat/core';
import { fromEnv, webhook, webhooks } from '@connect-chat/hono';
import { Hono } from 'hono';
import { describe, expectTypeOf, it } from 'vitest';

type Bindings = { TWILIO_AUTH_TOKEN: string; CONNECT_DESTINATION_ID: string };
declare const chat: ConnectChat;
declare function buildChat(env: Bindings): ConnectChat;

describe('what users see', () => {
  it('mounts on an untyped and a typed app, with and without the env factory', () => {
    const app = new Hono();
    app.use(webhooks(chat));
    app.post('/webhooks/twilio', webhook(chat.handler('twilio')));
    app.on(['GET', 'POST'], '/webhooks/whatsapp', webhook(chat.handler('whatsapp')));

    const workers = new Hono<{ Bindings: Bindings }>();
    const chatFor = fromEnv(buildChat);
    workers.use(webhooks(chatFor));
    workers.all(
      '/webhooks/twilio',
      webhook((c) => chatFor(c).handler('twilio')),
    );
    workers.use(
      '/webhooks/*',
      webhooks((c) => chatFor(c)),
    );
  });

  it('fromEnv keeps the built type', () => {
    expectTypeOf(fromEnv(buildChat)).returns.toEqualTypeOf<ConnectChat>();
    expectTypeOf(fromEnv((env: Bindings) => env.TWILIO_AUTH_TOKEN)).returns.toEqualTypeOf<string>();
  });

  it('refuses what is not a handler, a bridge or a factory', () => {
    // @ts-expect-error a number is not a webhook handler
    webhook(42);
    // @ts-expect-error a handler is not a bridge
    webhooks({} as WebhookHandler);
    // @ts-expect-error the factory must return a handler
    webhook(() => chat);
  });
});
