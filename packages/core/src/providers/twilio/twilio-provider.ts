import { describeValue } from '../../options/toolkit.ts';
import { ConnectChatError } from '../../errors/connect-chat-error.ts';
import { SignatureError } from '../../errors/signature-error.ts';
import type { HeaderLookup, OutboundResponse, ReceivedRequest } from '../../wire/types.ts';
import { checkProviderName, createSecretResolver } from '../secrets.ts';
import { createHmacVerifier, sha256Hex, timingSafeEqual } from '../hmac.ts';
import { fromBase64 } from '../encoding.ts';
import type { Provider, ProviderContext, SecretSource } from '../types.ts';
import { parseTwilioMessage, type TwilioFields } from './message.ts';
import { formParams, twilioSignedData, twilioUrlVariants } from './signature.ts';

/**
 * Options of {@link createTwilioProvider}.
 *
 * @example
 * const options: TwilioProviderOptions = { authToken: ['primary-token', 'secondary-token'], publicUrl: 'https://bridge.example.com' };
 */
export interface TwilioProviderOptions {
  /** The account's auth token; a list (primary and secondary) during rotation. */
  authToken: SecretSource;
  /**
   * The public URL Twilio calls, when a proxy or tunnel sits in front of the server. A string is a
   * base URL (`https://bridge.example.com` or `https://example.com/prefix`): its origin and path
   * prefix replace the request's origin, and the request's path and query follow. A function
   * returns the full URL to verify for a request.
   */
  publicUrl?: string | ((request: { url: URL; headers: HeaderLookup }) => string);
  /** Default `twilio`. */
  name?: string;
}

/**
 * The form as a plain object for `raw`: one value as a string, repeated names as arrays. A loop,
 * not `Object.fromEntries` over a mapped copy (a third of the cost); `__proto__` stays an own property.
 */
function rawFields(fields: ReadonlyMap<string, readonly string[]>): Record<string, string | readonly string[]> {
  const raw: Record<string, string | readonly string[]> = {};
  for (const [key, values] of fields) {
    const value = values.length === 1 ? values[0]! : values;
    if (key === '__proto__') Object.defineProperty(raw, key, { value, enumerable: true, writable: true, configurable: true });
    else raw[key] = value;
  }
  return raw;
}

const TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * Twilio Programmable Messaging webhooks: SMS, MMS and WhatsApp via Twilio. Verifies
 * `X-Twilio-Signature` (form posts, and JSON posts carrying `bodySHA256`), answers empty TwiML.
 * Status callbacks are ignored on purpose.
 *
 * @example
 * const twilio = createTwilioProvider({
 *   authToken: [process.env.TWILIO_AUTH_TOKEN!, process.env.TWILIO_SECONDARY_AUTH_TOKEN!],
 *   publicUrl: 'https://bridge.example.com',
 * });
 */
export function createTwilioProvider(options: TwilioProviderOptions): Provider {
  if (typeof options !== 'object' || options === null) {
    throw new ConnectChatError('INVALID_OPTIONS', `options: expected an object, got ${describeValue(options, { secret: true })}`);
  }
  const name = checkProviderName(options.name, 'twilio');
  const authTokens = createSecretResolver(options.authToken, 'authToken');
  const resolveUrl = createUrlResolver(options.publicUrl);
  const hmacVerifier = createHmacVerifier('SHA-1');
  // Every request to one route is signed over the same URL: its variants are built once (a few
  // URLs at most; a flood of distinct query strings only empties the cache).
  const urlVariants = new Map<string, string[]>();
  const variantsOf = (url: string): string[] => {
    let urls = urlVariants.get(url);
    if (urls === undefined) {
      if (urlVariants.size >= 32) urlVariants.clear();
      urls = twilioUrlVariants(url);
      urlVariants.set(url, urls);
    }
    return urls;
  };
  // The form verify() read, for parse() of the same request: one parse per request.
  const forms = new WeakMap<ReceivedRequest, Map<string, string[]>>();
  const formOf = (request: ReceivedRequest): Map<string, string[]> => {
    let fields = forms.get(request);
    if (fields === undefined) {
      fields = formParams(request.text);
      forms.set(request, fields);
    }
    return fields;
  };

  return {
    name,
    methods: ['POST'],
    contentTypes: { POST: ['application/x-www-form-urlencoded', 'application/json'] },

    async verify(request: ReceivedRequest, context: ProviderContext): Promise<void> {
      const header = request.headers.get('x-twilio-signature');
      if (header === null || header.trim() === '') throw new SignatureError('missing X-Twilio-Signature header');
      const signature = fromBase64(header.trim());
      if (signature === undefined) throw new SignatureError('X-Twilio-Signature is not base64');
      const tokens = await authTokens({ headers: request.headers, url: request.url, env: context.env });
      const signedUrl = resolveUrl(request);
      const urls = variantsOf(signedUrl);
      const mismatch = () => new SignatureError(mismatchReason(signedUrl, request.url, options.publicUrl !== undefined));

      if (isJson(request)) {
        // Twilio signs the URL alone for JSON bodies and vouches for the body through the hash in the URL.
        const bodyHash = new URL(urls[0]!).searchParams.get('bodySHA256');
        if (bodyHash === null) throw new SignatureError('a JSON body needs the bodySHA256 query parameter Twilio adds');
        if (!(await hmacVerifier.verify(tokens, [signature], urls))) {
          throw mismatch();
        }
        if (!timingSafeEqual(await sha256Hex(request.body), bodyHash.toLowerCase())) {
          throw new SignatureError('the body does not match the bodySHA256 query parameter');
        }
        return;
      }
      // The parameters follow the URL in every variant: sorted and joined once.
      const signedParams = twilioSignedData('', formOf(request));
      const signedData = urls.map((url) => url + signedParams);
      if (!(await hmacVerifier.verify(tokens, [signature], signedData))) throw mismatch();
    },

    async parse(request: ReceivedRequest) {
      if (isJson(request)) {
        const { fields, raw } = jsonFields(request.text);
        return parseTwilioMessage(fields, raw, name);
      }
      const fields = formOf(request);
      return parseTwilioMessage(fields, rawFields(fields), name);
    },

    acknowledge(): OutboundResponse {
      return { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: TWIML_EMPTY };
    },
  };
}

/**
 * Why a signature did not match, naming the URL it was checked over: the usual cause is a URL that
 * is not the one Twilio was configured with (a proxy, a tunnel, a stale publicUrl). The URL is shown
 * without credentials or query, which may hold secrets of their own; it goes to logs, `onRejected`
 * and the 401 body, and is the public URL Twilio calls (or, without publicUrl, not shown at all).
 */
function mismatchReason(signedUrl: string, requestUrl: URL, hasPublicUrl: boolean): string {
  const reason = 'X-Twilio-Signature does not match any configured auth token';
  if (!hasPublicUrl) {
    return `${reason} over the URL this request arrived at; if Twilio calls another URL (behind a proxy or tunnel), set publicUrl (PUBLIC_URL) to it`;
  }
  if (signedUrl === requestUrl.href) return `${reason} over ${displayUrl(signedUrl)}, the URL built from publicUrl`;
  return `${reason} over ${displayUrl(signedUrl)}, the URL built from publicUrl, not the URL this request arrived at: Twilio signs the URL its webhook is configured with, so publicUrl must give exactly that URL`;
}

function displayUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search === '' ? '' : '?…'}`;
}

function isJson(request: ReceivedRequest): boolean {
  const contentType = request.headers.get('content-type') ?? '';
  return contentType.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

function jsonFields(text: string): { fields: TwilioFields; raw: unknown } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConnectChatError('MALFORMED_PAYLOAD', 'body: expected a JSON object', { cause: error });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConnectChatError('MALFORMED_PAYLOAD', `body: expected a JSON object, got ${describeValue(raw, { secret: true })}`);
  }
  const fields = new Map<string, string[]>();
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields.set(key, [String(value)]);
  }
  return { fields, raw };
}

function createUrlResolver(publicUrl: TwilioProviderOptions['publicUrl']): (request: ReceivedRequest) => string {
  if (publicUrl === undefined) return (request) => request.url.href;
  if (typeof publicUrl === 'function') {
    return (request) => {
      const url = publicUrl({ url: request.url, headers: request.headers });
      if (typeof url !== 'string' || !URL.canParse(url)) {
        throw new ConnectChatError('INVALID_OPTIONS', `publicUrl: the function must return an absolute URL, got ${describeValue(url, { secret: true })}`);
      }
      return url;
    };
  }
  const base = typeof publicUrl === 'string' && URL.canParse(publicUrl) ? new URL(publicUrl) : undefined;
  if (base === undefined || (base.protocol !== 'https:' && base.protocol !== 'http:') || base.search !== '' || base.hash !== '') {
    throw new ConnectChatError(
      'INVALID_OPTIONS',
      `publicUrl: expected an absolute http(s) base URL without query or fragment (e.g. https://bridge.example.com) or a function, got ${
        typeof publicUrl === 'string' ? JSON.stringify(publicUrl) : describeValue(publicUrl, { secret: true })
      }`,
    );
  }
  const prefix = base.origin + base.pathname.replace(/\/+$/, '');
  return (request) => prefix + request.url.pathname + request.url.search;
}
