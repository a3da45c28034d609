// The Worker a careful developer writes by hand without connect-chat: Hono, a Web Crypto HMAC-SHA1
// check of Twilio's signature (no twilio package: it does not run on Workers), one
// SendChatIntegrationEventCommand through @aws-sdk/client-connect, 200 with empty TwiML. No
// idempotency, no per-chat ordering, no pacing, no logging, no error mapping.
import { ConnectClient, SendChatIntegrationEventCommand } from '@aws-sdk/client-connect';
import { Hono } from 'hono';

interface Env {
  TWILIO_AUTH_TOKEN: string;
  CONNECT_DESTINATION_ID: string;
  AWS_REGION: string;
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  AWS_ENDPOINT_URL_CONNECT?: string;
  PUBLIC_URL?: string;
}

const encoder = new TextEncoder();
let connect: ConnectClient | undefined;

/** Twilio's rule: HMAC-SHA1 over the URL followed by every field name and value in name order, base64. */
async function twilioSignature(authToken: string, url: string, params: Record<string, string>): Promise<string> {
  const signed = Object.keys(params)
    .sort()
    .reduce((text, name) => text + name + params[name], url);
  const key = await crypto.subtle.importKey('raw', encoder.encode(authToken), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(signed)));
  return btoa(String.fromCharCode(...mac));
}

function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

const app = new Hono<{ Bindings: Env }>();
app.post('/webhooks/twilio', async (c) => {
  const params = (await c.req.parseBody()) as Record<string, string>;
  const url = (c.env.PUBLIC_URL ?? new URL(c.req.url).origin) + c.req.path;
  const expected = await twilioSignature(c.env.TWILIO_AUTH_TOKEN, url, params);
  if (!sameText(expected, c.req.header('x-twilio-signature') ?? '')) return c.body(null, 401);
  connect ??= new ConnectClient({
    region: c.env.AWS_REGION,
    credentials: { accessKeyId: c.env.AWS_ACCESS_KEY_ID, secretAccessKey: c.env.AWS_SECRET_ACCESS_KEY },
    ...(c.env.AWS_ENDPOINT_URL_CONNECT ? { endpoint: c.env.AWS_ENDPOINT_URL_CONNECT } : {}),
  });
  try {
    await connect.send(
      new SendChatIntegrationEventCommand({
        SourceId: params['From'],
        DestinationId: c.env.CONNECT_DESTINATION_ID,
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

export default app;
