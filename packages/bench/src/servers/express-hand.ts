// What "writing it by hand" means on Express: the framework's body parser, then hand-written.ts.
import express from 'express';
import { emptyTwiml, env, handTwilio } from './hand-written.ts';

const app = express();
app.post('/webhooks/twilio', express.urlencoded({ extended: false }), async (req, res) => {
  const status = await handTwilio(req.body as Record<string, string>, req.get('x-twilio-signature'), req.originalUrl);
  if (status === 200) res.type('text/xml').send(emptyTwiml);
  else res.status(status).end();
});
app.listen(Number(env['PORT']), env['HOST'] ?? '127.0.0.1');
