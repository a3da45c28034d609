import { ConnectChatError } from '../errors/connect-chat-error.ts';
import type { HeaderLookup } from '../http/types.ts';
import type { SecretSource } from './types.ts';

/** What a secret function receives: the request's URL and headers, and the adapter's bindings. */
export interface SecretRequest {
  headers: HeaderLookup;
  url: URL;
  env?: Readonly<Record<string, unknown>>;
}

/** Resolves a {@link SecretSource} for one request to a non-empty list of valid secrets. */
export type SecretResolver = (request: SecretRequest) => Promise<readonly string[]>;

/** Says what is wrong with one secret (`undefined` when it is fine); never repeats the secret. */
export type SecretCheck = (secret: string) => string | undefined;

/**
 * Validates a secret source now (static secrets) and returns a resolver that validates what a
 * secret function returns on every call, so a misconfigured secret is a clear configuration
 * error instead of every webhook failing as "bad signature".
 *
 * @example
 * const tokens = createSecretResolver(options.authToken, 'authToken');
 * const list = await tokens({ headers: request.headers, url: request.url }); // ['primary', 'secondary']
 */
export function createSecretResolver(source: SecretSource, optionPath: string, check?: SecretCheck): SecretResolver {
  if (typeof source === 'function') {
    return async (request) => {
      let resolved: unknown;
      try {
        resolved = await source(request);
      } catch (error) {
        // A vault or secret manager that is down now may answer the provider's retry.
        throw new ConnectChatError('VERIFICATION_UNAVAILABLE', `${optionPath}: the secret function threw; retry later`, { cause: error });
      }
      return checkSecrets(resolved, `${optionPath} (returned by the function)`, check);
    };
  }
  const secrets = checkSecrets(source, optionPath, check);
  return async () => secrets;
}

function checkSecrets(value: unknown, optionPath: string, check: SecretCheck | undefined): readonly string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) {
    throw new ConnectChatError(
      'INVALID_OPTIONS',
      `${optionPath}: expected a non-empty string, a non-empty array of strings or a function returning them, got ${describe(value)}`,
    );
  }
  if (list.length === 0) {
    throw new ConnectChatError('INVALID_OPTIONS', `${optionPath}: expected at least one secret, got an empty array`);
  }
  return Object.freeze(
    list.map((secret: unknown, index) => {
      const path = typeof value === 'string' ? optionPath : `${optionPath}[${index}]`;
      if (typeof secret !== 'string' || secret.length === 0) {
        throw new ConnectChatError('INVALID_OPTIONS', `${path}: expected a non-empty string, got ${describe(secret)}`);
      }
      const problem = check?.(secret);
      if (problem !== undefined) throw new ConnectChatError('INVALID_OPTIONS', `${path}: ${problem}`);
      return secret;
    }),
  );
}

/**
 * A provider's name from its options: lowercase, usable in a route path and in idempotency keys.
 *
 * @example
 * const name = checkProviderName(options.name, 'twilio');
 */
export function checkProviderName(name: unknown, fallback: string): string {
  if (name === undefined) return fallback;
  if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9_-]{0,63}$/.test(name)) {
    throw new ConnectChatError(
      'INVALID_OPTIONS',
      `name: expected a lowercase name such as "${fallback}" (a-z, 0-9, - and _, at most 64), got ${typeof name === 'string' ? JSON.stringify(name) : describe(name)}`,
    );
  }
  return name;
}

/**
 * Names a value's type for error messages without echoing it (it may be a secret).
 *
 * @example
 * describe(''); // 'an empty string'
 */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : 'a string';
  return typeof value === 'object' ? 'an object' : typeof value;
}

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

/**
 * Lowercase hex of bytes.
 *
 * @example
 * toHex(new Uint8Array([1, 171])); // '01ab'
 */
export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * Bytes of a lowercase hex string, or `undefined` when it is not one. Only the canonical spelling
 * is accepted, so no two header values carry the same signature.
 */
export function fromHex(hex: string): Uint8Array<ArrayBuffer> | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/**
 * Standard (padded) base64 of bytes.
 *
 * @example
 * toBase64(new Uint8Array([104, 105])); // 'aGk='
 */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Bytes of a padded standard base64 string, or `undefined` when it is not one. Non-canonical
 * spellings (stray bits in the last character) are refused, so no two header values carry the
 * same signature.
 *
 * @example
 * fromBase64('aGk='); // Uint8Array [104, 105]; fromBase64('aGl=') → undefined
 */
export function fromBase64(base64: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(base64)) return undefined;
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return toBase64(bytes) === base64 ? bytes : undefined;
}
