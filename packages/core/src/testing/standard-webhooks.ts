import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { toBase64 } from '../providers/encoding.ts';
import { computeStandardWebhookSignature } from '../providers/standard-webhooks/signature.ts';

/** Options of {@link createStandardWebhookRequest}. */
export interface StandardWebhookRequestOptions {
  url: string;
  /** A `whsec_…` secret, or several: one `v1` signature per secret, as during rotation. */
  secret: string | readonly string[];
  /** The body: an object in the generic schema (serialised with `JSON.stringify`) or a string sent verbatim. */
  payload: unknown;
  /** `webhook-id`. Default: a random `msg_…`. */
  id?: string;
  /** `webhook-timestamp` in unix seconds. Default: now. */
  timestamp?: number;
}

/**
 * A signed Standard Webhooks `Request` for the generic provider.
 *
 * @example
 * const request = await createStandardWebhookRequest({
 *   url: 'http://localhost:3000/webhooks/generic',
 *   secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
 *   payload: { version: 1, type: 'message', from: '+14155550100', to: '+14155550199', text: 'Hi' },
 * });
 */
export async function createStandardWebhookRequest(options: StandardWebhookRequestOptions): Promise<Request> {
  const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret;
  if (secrets.length === 0) throw new ConnectChatError('INVALID_OPTIONS', 'secret: expected at least one secret');
  const id = options.id ?? `msg_${crypto.randomUUID()}`;
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const body = typeof options.payload === 'string' ? options.payload : JSON.stringify(options.payload);
  const bytes = new TextEncoder().encode(body);
  const signatures = await Promise.all(secrets.map((secret) => computeStandardWebhookSignature(secret, id, timestamp, bytes)));
  return new Request(options.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') },
    body,
  });
}

/**
 * The `webhook-signature` entry (`v1,<base64>`) for a body, as a sender computes it.
 *
 * @example
 * const signature = await signStandardWebhook({ secret, id: 'msg_1', timestamp: 1700000000, body: '{"version":1}' });
 */
export function signStandardWebhook(options: { secret: string; id: string; timestamp: number; body: string | Uint8Array }): Promise<string> {
  const body = typeof options.body === 'string' ? new TextEncoder().encode(options.body) : options.body;
  return computeStandardWebhookSignature(options.secret, options.id, String(options.timestamp), body);
}

/**
 * A fresh random `whsec_` secret (24 bytes, as the specification's reference libraries make).
 *
 * @example
 * const secret = generateStandardWebhookSecret(); // 'whsec_…'
 */
export function generateStandardWebhookSecret(): string {
  return `whsec_${toBase64(crypto.getRandomValues(new Uint8Array(24)))}`;
}
