import { toHex } from './encoding.ts';

export type HmacAlgorithm = 'SHA-1' | 'SHA-256';

const encoder = new TextEncoder();

/**
 * UTF-8 bytes backed by a plain ArrayBuffer, as Web Crypto wants them.
 *
 * @example
 * await crypto.subtle.digest('SHA-256', toBytes(request.body));
 */
export function toBytes(data: string | Uint8Array): Uint8Array<ArrayBuffer> {
  if (typeof data === 'string') return encoder.encode(data);
  return data.buffer instanceof ArrayBuffer ? (data as Uint8Array<ArrayBuffer>) : new Uint8Array(data);
}

function importHmacKey(algorithm: HmacAlgorithm, key: string | Uint8Array, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', toBytes(key), { name: 'HMAC', hash: algorithm }, false, [usage]);
}

/**
 * HMAC of `data` under `key` (a string is taken as UTF-8).
 *
 * @example
 * toBase64(await hmac('SHA-1', '12345', 'https://example.com/hook')); // Twilio's signature shape
 */
export async function hmac(algorithm: HmacAlgorithm, key: string | Uint8Array, data: string | Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const cryptoKey = await importHmacKey(algorithm, key, 'sign');
  return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, toBytes(data)));
}

/**
 * Whether any signature matches any message under any key. `crypto.subtle.verify` compares in
 * constant time; every combination is tried so timing does not reveal which key or message matched.
 *
 * @example
 * await verifyHmacAny('SHA-256', ['old', 'new'], [signature], [body]);
 */
export async function verifyHmacAny(
  algorithm: HmacAlgorithm,
  keys: readonly (string | Uint8Array)[],
  signatures: readonly Uint8Array[],
  messages: readonly (string | Uint8Array)[],
): Promise<boolean> {
  const data = messages.map(toBytes);
  let matched = false;
  for (const key of keys) {
    const cryptoKey = await importHmacKey(algorithm, key, 'verify');
    for (const signature of signatures) {
      for (const message of data) {
        if (await crypto.subtle.verify('HMAC', cryptoKey, toBytes(signature), message)) matched = true;
      }
    }
  }
  return matched;
}

/**
 * SHA-256 of `data` as lowercase hex.
 *
 * @example
 * await sha256Hex('{"a":1}'); // '015abd7f…'
 */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', toBytes(data))));
}

/**
 * Compares two strings in time that depends only on their lengths.
 *
 * @example
 * timingSafeEqual(expectedHash, receivedHash);
 */
export function timingSafeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  let difference = left.length ^ right.length;
  for (let i = 0; i < left.length; i++) difference |= (left[i] ?? 0) ^ (right[i % Math.max(right.length, 1)] ?? 0);
  return difference === 0;
}
