import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/respond.ts';
import type { ChannelErrorName } from '../types.ts';
import { type ChannelContext, type ChannelWire, receiveChannelRequest } from './channel-request.ts';
import type { PhoneOptions } from './phone-options.ts';

/** Twilio's limit on a message body, in characters. */
export const twilioMaxBodyLength = 1_600;

/** A Twilio REST error: `{ code, message, more_info, status }`. */
function sendTwilioError(res: ServerResponse, status: number, code: number, message: string): void {
  sendJson(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

const faults: Readonly<Record<ChannelErrorName, [number, number, string]>> = {
  ChannelThrottled: [429, 20429, 'Too Many Requests (injected by the emulator)'],
  ChannelUnavailable: [500, 20500, 'Internal Server Error (injected by the emulator)'],
  RecipientOptedOut: [400, 21610, 'Attempt to send to unsubscribed recipient (injected by the emulator)'],
  WindowClosed: [
    400,
    63016,
    'Failed to send freeform message because you are outside the allowed window. If you are using WhatsApp, please use a Message Template. (injected by the emulator)',
  ],
};

const wire: ChannelWire = {
  tooLarge: (res) => sendTwilioError(res, 413, 20413, 'Request entity too large'),
  fault: (res, error) => sendTwilioError(res, ...faults[error]),
};

function basicCredentials(req: IncomingMessage): [string, string] | undefined {
  const header = req.headers.authorization;
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  return separator < 0 ? undefined : [decoded.slice(0, separator), decoded.slice(separator + 1)];
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** RFC 2822, as Twilio writes `date_created`. */
function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

/**
 * Twilio's Messages API, `POST /2010-04-01/Accounts/:accountSid/Messages.json`: form fields `To`,
 * `From`, `Body`; Basic auth checked against `phone.twilio` when set; 201 with the Message resource.
 * The message lands on the customer's phone (channel `twilio`).
 *
 * @example
 * const twilio = createTwilioMessages(context, options.phone);
 * if (match) await twilio(req, res, accountSid);
 */
export function createTwilioMessages(
  context: ChannelContext,
  options: PhoneOptions,
): (req: IncomingMessage, res: ServerResponse, accountSid: string) => Promise<void> {
  return async (req, res, accountSid) => {
    const body = await receiveChannelRequest(context, 'TwilioCreateMessage', req, res, wire, () => {
      const account = options.twilio;
      if (!account) return true;
      const given = basicCredentials(req);
      if (!given || !sameText(given[0], account.accountSid) || !sameText(given[1], account.authToken)) {
        sendTwilioError(res, 401, 20003, 'Authenticate');
        return false;
      }
      if (accountSid !== account.accountSid) {
        sendTwilioError(res, 404, 20404, `The requested resource /2010-04-01/Accounts/${accountSid}/Messages.json was not found`);
        return false;
      }
      return true;
    });
    if (!body) return;
    const form = new URLSearchParams(new TextDecoder().decode(body));
    const to = form.get('To') ?? '';
    const from = form.get('From') ?? form.get('MessagingServiceSid') ?? '';
    const text = form.get('Body') ?? '';
    if (to === '') return sendTwilioError(res, 400, 21604, "A 'To' phone number is required.");
    if (from === '') return sendTwilioError(res, 400, 21603, "A 'From' phone number is required.");
    if (text === '') return sendTwilioError(res, 400, 21602, 'Message body is required.');
    if (text.length > twilioMaxBodyLength) {
      return sendTwilioError(res, 400, 21617, `The concatenated message body exceeds the ${twilioMaxBodyLength} character limit.`);
    }
    const sid = `SM${randomBytes(16).toString('hex')}`;
    context.phone.receive({ id: sid, channel: 'twilio', to, from, text });
    const now = rfc2822(new Date());
    const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`;
    sendJson(res, 201, {
      account_sid: accountSid,
      api_version: '2010-04-01',
      body: text,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from,
      messaging_service_sid: form.get('MessagingServiceSid'),
      num_media: '0',
      num_segments: String(Math.max(1, Math.ceil(text.length / 153))),
      price: null,
      price_unit: 'USD',
      sid,
      status: 'queued',
      subresource_uris: { media: `${uri.slice(0, -'.json'.length)}/Media.json` },
      to,
      uri,
    });
  };
}
