// The part of "writing it by hand" every framework shares: the official twilio package's
// validateRequest, one SendChatIntegrationEventCommand, empty TwiML. No idempotency, no per-chat
// ordering, no pacing, no logging, no error mapping. Each server adds only its framework's parser.
import { ConnectClient, SendChatIntegrationEventCommand } from '@aws-sdk/client-connect';
import twilio from 'twilio';

export const env = process.env as Record<string, string>;
// Exit on the harness's SIGTERM as the bridges do, so `--cpu-prof` (BENCH_SERVER_NODE_ARGS) writes a profile here too.
process.once('SIGTERM', () => process.exit(0));
const connect = new ConnectClient({ region: env['AWS_REGION'], endpoint: env['AWS_ENDPOINT_URL_CONNECT'] });

/** Empty TwiML: what the hand-written handlers answer once the message is sent. */
export const emptyTwiml = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** Verifies a parsed Twilio form posted to `path` and sends it: the status to answer. */
export async function handTwilio(params: Record<string, string>, signature: string | undefined, path: string): Promise<200 | 401 | 503> {
  if (!twilio.validateRequest(env['TWILIO_AUTH_TOKEN']!, signature ?? '', env['PUBLIC_URL'] + path, params)) return 401;
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
    return 503;
  }
  return 200;
}
