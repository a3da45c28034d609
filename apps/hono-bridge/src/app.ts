import type { ConnectChat } from '@connect-chat/core';
import { webhooks } from '@connect-chat/hono';
import { type Context, Hono } from 'hono';

/** The bridge's routes, shared by the Node entry and the Workers entry. */
export function createApp(chat: ConnectChat | ((c: Context) => ConnectChat)): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.use(webhooks(chat));
  return app;
}
