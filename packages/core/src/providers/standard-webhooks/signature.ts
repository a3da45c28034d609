import { ConnectChatError } from '../../errors/connect-chat-error.ts';
import { hmac } from '../hmac.ts';
import { fromBase64, toBase64 } from '../encoding.ts';

const PREFIX = 'whsec_';
/** The spec recommends keys of 24 to 64 bytes; shorter ones are refused. */
export const MIN_KEY_BYTES = 24;

/** The HMAC key of a `whsec_<base64>` secret, or `undefined` when the secret is not one. */
export function secretKey(secret: string): Uint8Array<ArrayBuffer> | undefined {
  if (!secret.startsWith(PREFIX)) return undefined;
  return fromBase64(secret.slice(PREFIX.length));
}

/** Says what is wrong with a secret, without repeating it. */
export function checkStandardWebhookSecret(secret: string): string | undefined {
  const key = secretKey(secret);
  if (key === undefined) return 'expected "whsec_" followed by standard base64, got a string that is not';
  if (key.length < MIN_KEY_BYTES) return `expected a key of at least ${MIN_KEY_BYTES} bytes after "whsec_", got ${key.length}`;
  return undefined;
}

/** The bytes a Standard Webhooks signature covers: `${id}.${timestamp}.${body}`. */
export function signedContent(id: string, timestamp: string, body: Uint8Array): Uint8Array<ArrayBuffer> {
  const prefix = new TextEncoder().encode(`${id}.${timestamp}.`);
  const content = new Uint8Array(prefix.length + body.length);
  content.set(prefix);
  content.set(body, prefix.length);
  return content;
}

/** One `v1,<base64>` entry of `webhook-signature`. */
export async function computeStandardWebhookSignature(secret: string, id: string, timestamp: string, body: Uint8Array): Promise<string> {
  const problem = checkStandardWebhookSecret(secret);
  if (problem !== undefined) throw new ConnectChatError('INVALID_OPTIONS', `secret: ${problem}`);
  const key = secretKey(secret)!;
  return `v1,${toBase64(await hmac('SHA-256', key, signedContent(id, timestamp, body)))}`;
}
