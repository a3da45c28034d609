// What "writing it by hand" means on Hono (Node): Hono's body parser, the official twilio package's
// validateRequest, one SendChatIntegrationEventCommand, 200 with empty TwiML. No idempotency, no
// per-chat ordering, no pacing, no logging, no error mapping.
import { ConnectClient, SendChatIntegrationEventCommand } from '@aws-sdk/client-connect';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import twilio from 'twilio';

const env = process.env as Record<string, string>;
const connect = new ConnectClient({ region: env['AWS_REGION'], endpoint: env['AWS_ENDPOINT_URL_CONNECT'] });

const app = new Hono();
app.post('/webhooks/twilio', async (c) => {
  const params = (await c.req.parseBody()) as Record<string, string>;
  const url = env['PUBLIC_URL'] + c.req.path;
  if (!twilio.validateRequest(env['TWILIO_AUTH_TOKEN']!, c.req.header('x-twilio-signature') ?? '', url, params)) return c.body(null, 401);
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
    return c.body(null, 503);
  }
  return c.body('<?xml version="1.0" encoding="UTF-8"?><Response></Response>', 200, { 'content-type': 'text/xml' });
});
serve({ fetch: app.fetch, port: Number(env['PORT']), hostname: env['HOST'] ?? '127.0.0.1' });
