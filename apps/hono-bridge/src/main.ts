// An SMS/WhatsApp → Amazon Connect bridge on Hono, on Node. Configuration: see the repository README.
import { runBridge } from '@connect-chat/bridge-kit';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';

await runBridge((bridge) => {
  const app = createApp(bridge.chat);
  // @hono/node-server starts a plain node:http server unless told to use HTTP/2.
  return serve({ fetch: app.fetch, port: bridge.config.listen.port, hostname: bridge.config.listen.host }) as Server;
});
