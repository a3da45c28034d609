import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CappedMap } from '../capped-map.ts';
import { sendControlError } from '../http/respond.ts';
import { isRecord } from '../invalid-option.ts';
import type { ChannelErrorName } from '../types.ts';
import { type ChannelContext, type ChannelWire, receiveChannelRequest } from './channel-request.ts';

/** How far `webhook-timestamp` may be from now, as the Standard Webhooks verifiers default to. */
const toleranceSeconds = 300;
const maxRememberedIds = 10_000;
const maxTextLength = 16_384;

const faults: Readonly<Record<ChannelErrorName, [number, string, string]>> = {
  ChannelThrottled: [429, 'CHANNEL_THROTTLED', 'Too many messages (injected by the emulator)'],
  ChannelUnavailable: [503, 'CHANNEL_UNAVAILABLE', 'The channel is unavailable (injected by the emulator)'],
  RecipientOptedOut: [410, 'RECIPIENT_OPTED_OUT', 'The recipient opted out (injected by the emulator)'],
  WindowClosed: [422, 'WINDOW_CLOSED', 'The conversation window is closed (injected by the emulator)'],
};

const wire: ChannelWire = {
  tooLarge: (res) => sendControlError(res, 413, 'PAYLOAD_TOO_LARGE', 'The body is too large.'),
  fault: (res, error) => sendControlError(res, ...faults[error]),
};

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Why a Standard Webhooks signature is refused, or undefined when one `v1` signature matches. */
export function standardWebhookProblem(
  secret: string,
  id: string | undefined,
  timestamp: string | undefined,
  signature: string | undefined,
  body: Uint8Array,
): string | undefined {
  if (!id || !timestamp || !signature) return 'webhook-id, webhook-timestamp and webhook-signature are required';
  if (!/^\d{1,12}$/.test(timestamp)) return 'webhook-timestamp must be whole seconds since the epoch';
  if (Math.abs(Math.floor(Date.now() / 1000) - Number(timestamp)) > toleranceSeconds) return `webhook-timestamp is more than ${toleranceSeconds} s away`;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
  const matches = signature
    .split(/\s+/)
    .map((entry) => entry.replace(/,$/, ''))
    .filter((entry) => entry.startsWith('v1,'))
    .some((entry) => {
      const given = Buffer.from(entry.slice(3), 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  return matches ? undefined : 'webhook-signature does not match the secret';
}

/**
 * The generic outbound webhook a bridge calls with replies, `POST /_emulator/generic/outbound`:
 * JSON `{ type: 'message', to, from, text }` signed per Standard Webhooks, verified with `secret`
 * when set (401 otherwise); 204; a `webhook-id` seen before is answered 204 and not recorded again.
 * The message lands on the customer's phone (channel `generic`).
 *
 * @example
 * const generic = createGenericOutbound(context, config.simulator.secrets.standardWebhookSecret);
 * if (pathname === '/_emulator/generic/outbound') await generic(req, res);
 */
export function createGenericOutbound(
  context: ChannelContext,
  secret: string | undefined,
): { receive(req: IncomingMessage, res: ServerResponse): Promise<void>; clear(): void } {
  const seen = new CappedMap<string, true>(maxRememberedIds);
  return {
    async receive(req, res) {
      const id = header(req, 'webhook-id');
      const body = await receiveChannelRequest(context, 'GenericOutbound', req, res, wire, (bytes) => {
        if (secret === undefined) return true;
        const problem = standardWebhookProblem(secret, id, header(req, 'webhook-timestamp'), header(req, 'webhook-signature'), bytes);
        if (problem === undefined) return true;
        sendControlError(res, 401, 'SIGNATURE_INVALID', problem);
        return false;
      });
      if (!body) return;
      if (id !== undefined && seen.get(id)) {
        res.writeHead(204).end();
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder().decode(body));
      } catch {
        return sendControlError(res, 400, 'MALFORMED_PAYLOAD', 'The body is not valid JSON.');
      }
      if (!isRecord(json) || json['type'] !== 'message') return sendControlError(res, 400, 'INVALID_EVENT', 'type: expected "message"');
      for (const field of ['to', 'from', 'text'] as const) {
        const value = json[field];
        if (typeof value !== 'string' || value === '' || value.length > maxTextLength) {
          return sendControlError(res, 400, 'INVALID_EVENT', `${field}: expected a non-empty string of at most ${maxTextLength} characters`);
        }
      }
      const messageId = id ?? randomUUID();
      seen.set(messageId, true);
      context.phone.receive({ id: messageId, channel: 'generic', to: json['to'] as string, from: json['from'] as string, text: json['text'] as string });
      res.writeHead(204).end();
    },
    clear() {
      seen.clear();
    },
  };
}
