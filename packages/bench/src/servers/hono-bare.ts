// Baseline: bare Hono on @hono/node-server answering 200 to the same POST, body parsed, nothing else.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.post('/webhooks/twilio', async (c) => {
  await c.req.parseBody();
  return c.body(null, 200);
});
serve({ fetch: app.fetch, port: Number(process.env['PORT']), hostname: process.env['HOST'] ?? '127.0.0.1' });
