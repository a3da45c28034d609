// What "writing it by hand" means on Hono (Node): Hono's body parser, then hand-written.ts.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { emptyTwiml, env, handTwilio } from './hand-written.ts';

const app = new Hono();
app.post('/webhooks/twilio', async (c) => {
  const status = await handTwilio((await c.req.parseBody()) as Record<string, string>, c.req.header('x-twilio-signature'), c.req.path);
  return status === 200 ? c.body(emptyTwiml, 200, { 'content-type': 'text/xml' }) : c.body(null, status);
});
serve({ fetch: app.fetch, port: Number(env['PORT']), hostname: env['HOST'] ?? '127.0.0.1' });
