// Baseline Worker: Hono answering 200 to the same POST, body parsed, nothing else.
import { Hono } from 'hono';

const app = new Hono();
app.post('/webhooks/twilio', async (c) => {
  await c.req.parseBody();
  return c.body(null, 200);
});

export default app;
