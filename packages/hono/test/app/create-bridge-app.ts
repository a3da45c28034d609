import type { ConnectChat } from '@connect-chat/core';
import { webhook, webhooks } from '@connect-chat/hono';
import { type Context, Hono } from 'hono';

/** How the bridge mounts connect-chat: one middleware, or one route per provider. */
export type Mount = 'middleware' | 'routes';

/**
 * The bridge every runtime test serves, built the way a user would write it (imports by package
 * name, so bundlers and runtimes resolve the published entry points).
 */
export function createBridgeApp<E extends object>(chatFor: (c: Context<{ Bindings: E }>) => ConnectChat, mount: Mount): Hono<{ Bindings: E }> {
  const app = new Hono<{ Bindings: E }>();
  if (mount === 'middleware') {
    app.use(webhooks(chatFor));
  } else {
    // `all`, not `post`: core answers other methods 405 with Allow (Hono alone would say 404).
    for (const name of ['sns', 'twilio', 'whatsapp', 'generic', 'connect']) {
      app.all(
        `/webhooks/${name}`,
        webhook((c) => chatFor(c).handler(name)),
      );
    }
  }
  app.get('/healthz', (c) => c.text('ok'));
  return app;
}
