// The server side of bench/http.mjs, in its own process so the load generator does not share its
// event loop: `bridge` mounts the Express adapter over the built packages with Connect's side of
// the network answering at once; `bare` is an Express route that answers 200 and nothing else.
import { createConnectChat, createSender, createTwilioProvider } from '@connect-chat/core';
import { webhooks } from '@connect-chat/express';
import express from 'express';

const [kind, authToken, publicUrl] = process.argv.slice(2);
const destination = 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0';

let accepted = 0;
const app = express();
if (kind === 'bridge') {
  const transport = {
    async send() {
      accepted += 1;
      return { InitialContactId: 'c0ffee00-0000-4000-8000-000000000001', NewChatCreated: accepted === 1 };
    },
  };
  const chat = createConnectChat({
    providers: [createTwilioProvider({ authToken, publicUrl })],
    sender: createSender({ transport, rateLimit: false }),
    route: { destination },
  });
  app.use(webhooks(chat));
} else if (kind === 'bare') {
  app.post('/webhooks/twilio', (_req, res) => {
    accepted += 1;
    res.status(200).end();
  });
} else {
  throw new Error(`usage: node bench/http-server.mjs bridge|bare <authToken> <publicUrl>; got ${kind}`);
}

const server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', (message) => {
  if (message === 'accepted') process.send({ accepted });
});
// The parent ends the benchmark by disconnecting; close keep-alive connections too, then exit.
process.on('disconnect', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
