import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/respond.ts';
import { isRecord } from '../invalid-option.ts';
import type { ChannelErrorName } from '../types.ts';
import { type ChannelContext, type ChannelWire, receiveChannelRequest } from './channel-request.ts';
import type { PhoneOptions } from './phone-options.ts';

/** The Cloud API's limit on a text message body, in characters. */
export const whatsAppMaxBodyLength = 4_096;

/** A Graph API error: `{ error: { message, type, code, error_subcode?, fbtrace_id } }`. */
function sendGraphError(res: ServerResponse, status: number, code: number, message: string, subcode?: number): void {
  const error: Record<string, unknown> = { message, type: 'OAuthException', code };
  if (subcode !== undefined) error['error_subcode'] = subcode;
  error['fbtrace_id'] = randomBytes(16).toString('base64url').slice(0, 22);
  sendJson(res, status, { error });
}

const faults: Readonly<Record<ChannelErrorName, [number, number, string]>> = {
  ChannelThrottled: [400, 130429, '(#130429) Rate limit hit (injected by the emulator)'],
  ChannelUnavailable: [500, 2, 'Service temporarily unavailable (injected by the emulator)'],
  RecipientOptedOut: [400, 131026, '(#131026) Message undeliverable (injected by the emulator)'],
  WindowClosed: [400, 131047, '(#131047) Re-engagement message: more than 24 hours have passed since the recipient last replied (injected by the emulator)'],
};

const wire: ChannelWire = {
  tooLarge: (res) => sendGraphError(res, 413, 100, '(#100) The request body is too large'),
  fault: (res, error) => sendGraphError(res, ...faults[error]),
};

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Why a send-message body is refused, as Graph's `(#100)` message, or undefined. */
function invalidTextMessage(json: unknown): string | undefined {
  if (!isRecord(json)) return 'The parameter messaging_product is required.';
  if (json['messaging_product'] !== 'whatsapp') return 'The parameter messaging_product is required.';
  if (typeof json['to'] !== 'string' || json['to'] === '') return 'The parameter to is required.';
  if (json['type'] !== undefined && json['type'] !== 'text')
    return `Param type must be text for this emulator, got ${JSON.stringify(String(json['type']).slice(0, 40))}.`;
  const text = json['text'];
  if (!isRecord(text) || typeof text['body'] !== 'string' || text['body'] === '') return 'The parameter text[body] is required.';
  if (text['body'].length > whatsAppMaxBodyLength) return `Param text[body] must be at most ${whatsAppMaxBodyLength} characters long.`;
  return undefined;
}

/**
 * The WhatsApp Cloud API's send message, `POST /:version/:phoneNumberId/messages`: a JSON text
 * message; `Authorization: Bearer` checked against `phone.whatsapp` when set (any accepted otherwise); 200 with the
 * `wamid.…` id. The message lands on the customer's phone (channel `whatsapp`, `from` the phone
 * number id).
 *
 * @example
 * const whatsapp = createWhatsAppCloud(context, options.phone);
 * if (match) await whatsapp(req, res, phoneNumberId);
 */
export function createWhatsAppCloud(
  context: ChannelContext,
  options: PhoneOptions,
): (req: IncomingMessage, res: ServerResponse, phoneNumberId: string) => Promise<void> {
  return async (req, res, phoneNumberId) => {
    const body = await receiveChannelRequest(context, 'WhatsAppSendMessage', req, res, wire, () => {
      const expected = options.whatsapp?.accessToken;
      if (expected === undefined) return true;
      const given = bearerToken(req);
      if (given === undefined || given === '') {
        sendGraphError(res, 401, 190, 'An active access token must be used to query information about the current user.');
        return false;
      }
      if (!sameText(given, expected)) {
        sendGraphError(res, 401, 190, 'Invalid OAuth access token - Cannot parse access token');
        return false;
      }
      return true;
    });
    if (!body) return;
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(body));
    } catch {
      return sendGraphError(res, 400, 100, '(#100) The request body is not valid JSON.');
    }
    const problem = invalidTextMessage(json);
    if (problem !== undefined) return sendGraphError(res, 400, 100, `(#100) ${problem}`);
    const message = json as { to: string; text: { body: string } };
    const id = `wamid.${randomBytes(30).toString('base64url')}`;
    context.phone.receive({ id, channel: 'whatsapp', to: message.to, from: phoneNumberId, text: message.text.body });
    sendJson(res, 200, { messaging_product: 'whatsapp', contacts: [{ input: message.to, wa_id: message.to }], messages: [{ id }] });
  };
}
