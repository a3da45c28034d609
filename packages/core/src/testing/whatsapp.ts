import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { hmac } from '../providers/hmac.ts';
import { toHex } from '../providers/encoding.ts';
import { escapeUnicode } from '../providers/whatsapp/signature.ts';

/** Options of {@link createWhatsAppRequest}. */
export interface WhatsAppRequestOptions {
  /** Default `http://localhost/webhooks/whatsapp` (Meta's signature does not cover the URL). */
  url?: string;
  appSecret: string;
  /** The notification: an object (serialised with `JSON.stringify`) or a string sent verbatim. */
  payload: unknown;
  /**
   * Sign Meta's escaped-unicode form (`\u00e4`, emoji as surrogate pairs) while sending the
   * characters unescaped, as Meta does. Default false: sign the bytes sent.
   */
  escapeUnicode?: boolean;
}

/**
 * A signed WhatsApp Cloud API notification `Request` (`X-Hub-Signature-256`).
 *
 * @example
 * const request = await createWhatsAppRequest({
 *   appSecret: 'test-secret',
 *   payload: whatsAppTextPayload({ from: '+16505551234', to: '+15550783881', text: 'Hallo äöå 👋' }),
 *   escapeUnicode: true,
 * });
 * const response = await chat.handler('whatsapp').fetch(request);
 */
export async function createWhatsAppRequest(options: WhatsAppRequestOptions): Promise<Request> {
  if (typeof options.appSecret !== 'string' || options.appSecret === '') {
    throw new ConnectChatError('INVALID_OPTIONS', 'appSecret: expected a non-empty string');
  }
  const body = typeof options.payload === 'string' ? options.payload : JSON.stringify(options.payload);
  const signed = options.escapeUnicode ? escapeUnicode(body) : body;
  const signature = toHex(await hmac('SHA-256', options.appSecret, signed));
  return new Request(options.url ?? 'http://localhost/webhooks/whatsapp', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signature}`, 'user-agent': 'facebookexternalua' },
    body,
  });
}

/**
 * Meta's subscription check: `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`.
 *
 * @example
 * const response = await handler.fetch(createWhatsAppChallengeRequest({
 *   url: 'http://localhost:3000/webhooks/whatsapp', verifyToken: 'my-token', challenge: '1158201444',
 * }));
 * await response.text(); // '1158201444'
 */
export function createWhatsAppChallengeRequest(options: { url: string; verifyToken: string; challenge: string }): Request {
  const url = new URL(options.url);
  url.searchParams.set('hub.mode', 'subscribe');
  url.searchParams.set('hub.challenge', options.challenge);
  url.searchParams.set('hub.verify_token', options.verifyToken);
  return new Request(url, { method: 'GET' });
}

/** Options of {@link whatsAppTextPayload}: the parts of an inbound text a test cares about; the rest is filled in. */
export interface WhatsAppTextPayloadOptions {
  /** The customer (E.164 with or without `+`; Meta sends it without). */
  from: string;
  /** Your WhatsApp business number, E.164 (Meta's `display_phone_number`). */
  to: string;
  text: string;
  /** Default: a random `wamid.…`. */
  id?: string;
  profileName?: string;
  /** Default `106540352242922`. */
  phoneNumberId?: string;
  /** Unix seconds. Default: now. */
  timestamp?: number;
}

/**
 * The notification Meta sends for one inbound text message.
 *
 * @example
 * const payload = whatsAppTextPayload({ from: '+16505551234', to: '+15550783881', text: 'Hello', profileName: 'Sheena' });
 */
export function whatsAppTextPayload(options: WhatsAppTextPayloadOptions): WhatsAppNotification {
  const waId = options.from.replace(/^\+/, '');
  return whatsAppNotification({
    to: options.to,
    ...(options.phoneNumberId !== undefined && { phoneNumberId: options.phoneNumberId }),
    value: {
      contacts: [{ profile: { name: options.profileName ?? 'Test Customer' }, wa_id: waId }],
      messages: [
        {
          from: waId,
          id: options.id ?? randomWamid(),
          timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
          type: 'text',
          text: { body: options.text },
        },
      ],
    },
  });
}

/**
 * The notification Meta sends when a message you sent changes status (not a customer message).
 *
 * @example
 * const payload = whatsAppStatusPayload({ to: '+15550783881', recipient: '+16505551234', status: 'delivered' });
 */
export function whatsAppStatusPayload(options: {
  to: string;
  recipient: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  id?: string;
  phoneNumberId?: string;
}): WhatsAppNotification {
  return whatsAppNotification({
    to: options.to,
    ...(options.phoneNumberId !== undefined && { phoneNumberId: options.phoneNumberId }),
    value: {
      statuses: [
        {
          id: options.id ?? randomWamid(),
          status: options.status,
          timestamp: String(Math.floor(Date.now() / 1000)),
          recipient_id: options.recipient.replace(/^\+/, ''),
        },
      ],
    },
  });
}

/** The envelope of a Cloud API `messages` notification. */
export interface WhatsAppNotification {
  object: 'whatsapp_business_account';
  entry: { id: string; changes: { value: Record<string, unknown>; field: 'messages' }[] }[];
}

function whatsAppNotification(options: { to: string; phoneNumberId?: string; value: Record<string, unknown> }): WhatsAppNotification {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: options.to.replace(/^\+/, ''), phone_number_id: options.phoneNumberId ?? '106540352242922' },
              ...options.value,
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

function randomWamid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `wamid.${btoa(binary).replace(/=+$/, '')}`;
}
