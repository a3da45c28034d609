// What users of @connect-chat/express see: checked by `tsc -p tsconfig.json` (and `vitest --typecheck`).
import type { ConnectChat, InboundRequest, WebhookHandler } from '@connect-chat/core';
import { toInboundRequest, webhook, webhooks } from '@connect-chat/express';
import express, { type Request, type RequestHandler } from 'express';
import { describe, expectTypeOf, it } from 'vitest';

declare const chat: ConnectChat;

describe('what users see', () => {
  it('mounts a handler or a whole bridge as Express middleware', () => {
    const app = express();
    app.use(webhooks(chat));
    app.post('/webhooks/twilio', webhook(chat.handler('twilio')));
    app.all('/webhooks/whatsapp', webhook(chat.handler('whatsapp')));
    expectTypeOf(webhook).returns.toEqualTypeOf<RequestHandler>();
    expectTypeOf(webhooks).returns.toEqualTypeOf<RequestHandler>();
  });

  it('converts an Express request for a handler of your own', () => {
    expectTypeOf(toInboundRequest).parameter(0).toEqualTypeOf<Request>();
    expectTypeOf(toInboundRequest).returns.toEqualTypeOf<InboundRequest>();
    expectTypeOf<WebhookHandler['handle']>().parameter(0).toEqualTypeOf<InboundRequest>();
  });

  it('refuses what is not a handler or a bridge', () => {
    // @ts-expect-error a bridge is not a handler: pick one with chat.handler(name)
    webhook(chat);
    // @ts-expect-error a handler is not a bridge
    webhooks({} as WebhookHandler);
    // @ts-expect-error a provider name is not a handler
    webhook('twilio');
  });
});
