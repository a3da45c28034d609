// What "writing it by hand" means on Express: the framework's body parser, the official twilio
// package's validateRequest, one SendChatIntegrationEventCommand, 200 with empty TwiML. No
// idempotency, no per-chat ordering, no pacing, no logging, no error mapping.
import { ConnectClient, SendChatIntegrationEventCommand } from '@aws-sdk/client-connect';
import express from 'express';
import twilio from 'twilio';

const env = process.env as Record<string, string>;
const connect = new ConnectClient({ region: env['AWS_REGION'], endpoint: env['AWS_ENDPOINT_URL_CONNECT'] });

const app = express();
app.post('/webhooks/twilio', express.urlencoded({ extended: false }), async (req, res) => {
  const params = req.body as Record<string, string>;
  const url = env['PUBLIC_URL'] + req.originalUrl;
  if (!twilio.validateRequest(env['TWILIO_AUTH_TOKEN']!, req.get('x-twilio-signature') ?? '', url, params)) {
    res.status(401).end();
    return;
  }
  try {
    await connect.send(
      new SendChatIntegrationEventCommand({
        SourceId: params['From'],
        DestinationId: env['CONNECT_DESTINATION_ID'],
        Subtype: 'connect:sms',
        Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: params['Body'] },
        NewSessionDetails: { SupportedMessagingContentTypes: ['text/plain'], ParticipantDetails: { DisplayName: params['From']! } },
      }),
    );
  } catch {
    res.status(503).end();
    return;
  }
  res.type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
});
app.listen(Number(env['PORT']), env['HOST'] ?? '127.0.0.1');
