import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { sha256Hex } from '../providers/hmac.ts';
import { computeTwilioSignature } from '../providers/twilio/signature.ts';

/** Form fields: a value per name, or several values for a repeated name. */
export type TwilioTestParams = Readonly<Record<string, string | readonly string[]>>;

/** Options of {@link createTwilioRequest}: `params` for a form post, or `json` for a JSON post, not both. */
export interface TwilioRequestOptions {
  /** The webhook URL exactly as configured in Twilio (the signature covers it). */
  url: string;
  authToken: string;
  /** Form fields, posted as `application/x-www-form-urlencoded`. */
  params?: TwilioTestParams;
  /** A JSON body (an object, or a string sent verbatim): signed the `bodySHA256` way. */
  json?: unknown;
}

/**
 * The `X-Twilio-Signature` Twilio would send for a form post to `url`.
 *
 * @example
 * const signature = await signTwilioRequest({
 *   url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
 *   authToken: '12345',
 *   params: { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' },
 * }); // '0/KCTR6DLpKmkAf8muzZqo1nDgQ='
 */
export async function signTwilioRequest(options: { url: string; authToken: string; params?: TwilioTestParams }): Promise<string> {
  const params = new Map<string, string[]>();
  for (const [name, value] of Object.entries(options.params ?? {})) params.set(name, typeof value === 'string' ? [value] : [...value]);
  return computeTwilioSignature(options.authToken, options.url, options.params === undefined ? undefined : params);
}

/**
 * A signed Twilio webhook `Request`: a form post by default, or a JSON post with `bodySHA256`
 * appended to the URL when `json` is given.
 *
 * @example
 * const request = await createTwilioRequest({
 *   url: 'https://bridge.example.com/webhooks/twilio',
 *   authToken: 'test-token',
 *   params: twilioMessageParams({ from: '+14155550100', to: '+14155550199', body: 'Hi' }),
 * });
 * const response = await chat.handler('twilio').fetch(request);
 */
export async function createTwilioRequest(options: TwilioRequestOptions): Promise<Request> {
  if (typeof options.authToken !== 'string' || options.authToken === '') {
    throw new ConnectChatError('INVALID_OPTIONS', 'authToken: expected a non-empty string');
  }
  if (options.params !== undefined && options.json !== undefined) {
    throw new ConnectChatError('INVALID_OPTIONS', 'params, json: expected one of them, got both');
  }
  if (options.json !== undefined) {
    const body = typeof options.json === 'string' ? options.json : JSON.stringify(options.json);
    const url = new URL(options.url);
    url.searchParams.set('bodySHA256', await sha256Hex(body));
    const signature = await signTwilioRequest({ url: url.href, authToken: options.authToken });
    return new Request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-twilio-signature': signature }, body });
  }
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(options.params ?? {})) {
    for (const item of typeof value === 'string' ? [value] : value) form.append(name, item);
  }
  const signature = await signTwilioRequest({ url: options.url, authToken: options.authToken, params: options.params ?? {} });
  return new Request(options.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'x-twilio-signature': signature,
      'i-twilio-idempotency-token': crypto.randomUUID(),
    },
    body: form.toString(),
  });
}

/** Options of {@link twilioMessageParams}: the parts of an inbound message a test cares about; the rest is filled in. */
export interface TwilioMessageParamsOptions {
  /** The customer, E.164. */
  from: string;
  /** Your Twilio number, E.164. */
  to: string;
  body?: string;
  /** Default: a random `SM…` sid. */
  messageSid?: string;
  /** Sends `whatsapp:`-prefixed addresses, as Twilio does for WhatsApp. */
  whatsapp?: boolean;
  /** WhatsApp profile name (`ProfileName`). */
  profileName?: string;
  media?: readonly { url: string; contentType: string }[];
}

/**
 * The fields Twilio posts for an inbound SMS, MMS or WhatsApp message, with realistic extras.
 *
 * @example
 * twilioMessageParams({ from: '+14155550100', to: '+14155550199', body: 'Hello', whatsapp: true, profileName: 'Ana' });
 */
export function twilioMessageParams(options: TwilioMessageParamsOptions): Record<string, string> {
  const prefix = options.whatsapp ? 'whatsapp:' : '';
  const media = options.media ?? [];
  const sid = options.messageSid ?? `${media.length > 0 ? 'MM' : 'SM'}${randomHex(16)}`;
  const params: Record<string, string> = {
    ToCountry: 'US',
    SmsMessageSid: sid,
    NumMedia: String(media.length),
    SmsSid: sid,
    SmsStatus: 'received',
    Body: options.body ?? '',
    To: `${prefix}${options.to}`,
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: `AC${randomHex(16)}`,
    From: `${prefix}${options.from}`,
    ApiVersion: '2010-04-01',
  };
  media.forEach((item, index) => {
    params[`MediaUrl${index}`] = item.url;
    params[`MediaContentType${index}`] = item.contentType;
  });
  if (options.whatsapp) {
    params.WaId = options.from.replace(/^\+/, '');
    params.MessageType = media.length > 0 ? 'image' : 'text';
  }
  if (options.profileName !== undefined) params.ProfileName = options.profileName;
  return params;
}

function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
