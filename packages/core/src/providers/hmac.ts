import { hmac as hmacOnce, hmacVerify, importHmacKey, sha256 } from '#crypto';
import type { HmacAlgorithm, HmacKey } from '../crypto/types.ts';
import { toHex } from './encoding.ts';

export type { HmacAlgorithm } from '../crypto/types.ts';

const encoder = new TextEncoder();

/**
 * UTF-8 bytes backed by a plain ArrayBuffer, as both crypto implementations take them.
 *
 * @example
 * await sha256(toBytes(request.body));
 */
export function toBytes(data: string | Uint8Array): Uint8Array<ArrayBuffer> {
  if (typeof data === 'string') return encoder.encode(data);
  return data.buffer instanceof ArrayBuffer ? (data as Uint8Array<ArrayBuffer>) : new Uint8Array(data);
}

/**
 * HMAC of `data` under `key` (a string is taken as UTF-8).
 *
 * @example
 * toBase64(await hmac('SHA-1', '12345', 'https://example.com/hook')); // Twilio's signature shape
 */
export async function hmac(algorithm: HmacAlgorithm, key: string | Uint8Array, data: string | Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return hmacOnce(algorithm, toBytes(key), toBytes(data));
}

/** Imported keys one verifier keeps: a rotation needs two, a secret function serving a few tenants some more. */
const MAX_IMPORTED_KEYS = 32;

/**
 * Checks HMAC signatures for one provider; see {@link createHmacVerifier}.
 *
 * @example
 * await verifier.verify(['old', 'new'], [signature], [body]);
 */
export interface HmacVerifier {
  /**
   * Whether any signature matches any message under any key, each compared in constant time. For each message every key and every signature are tried, so timing does not
   * reveal which key matched; once a message matched, the others are not tried: the messages are
   * forms of one request (URL variants, encodings), and which form the provider signs is no secret.
   */
  verify(keys: readonly (string | Uint8Array)[], signatures: readonly Uint8Array[], messages: readonly (string | Uint8Array)[]): Promise<boolean>;
}

/**
 * A verifier that imports each key once (importing costs about as much as the HMAC itself) and
 * tries first the message position that matched last time: a provider signs the same form of
 * every request, so a valid request is checked once, not once per form. Only the outcome of a
 * valid signature moves that preference; a forged one is checked against every form, as before.
 * Imported keys stay inside the verifier, at most {@link MAX_IMPORTED_KEYS}, least recently used
 * dropped first.
 *
 * @example
 * const verifier = createHmacVerifier('SHA-1');
 * if (!(await verifier.verify(authTokens, [signature], [urlWithoutPort, urlWithPort]))) throw new SignatureError('…');
 */
export function createHmacVerifier(algorithm: HmacAlgorithm): HmacVerifier {
  const imported = new Map<string, Promise<HmacKey>>();
  let likely = 0;

  let lastId: string | undefined;

  function keyFor(key: string | Uint8Array): Promise<HmacKey> {
    const id = typeof key === 'string' ? `s${key}` : `b${toHex(key)}`;
    let prepared = imported.get(id);
    // Already the most recently used (one secret, request after request): nothing to reorder.
    if (prepared !== undefined && id === lastId) return prepared;
    lastId = id;
    if (prepared === undefined) {
      const importing = importHmacKey(algorithm, toBytes(key));
      // A failed import is not kept: the next request tries again.
      importing.catch(() => {
        if (imported.get(id) === importing) imported.delete(id);
      });
      prepared = importing;
      if (imported.size >= MAX_IMPORTED_KEYS) imported.delete(imported.keys().next().value!);
    } else {
      imported.delete(id);
    }
    imported.set(id, prepared);
    return prepared;
  }

  return {
    async verify(keys, signatures, messages) {
      const hmacKeys = await Promise.all(keys.map(keyFor));
      if (messages.length === 0) return false;
      const sigs = signatures.map((signature) => toBytes(signature));
      const first = likely < messages.length ? likely : 0;
      // The likely form first, then the others in order.
      for (let turn = 0; turn < messages.length; turn++) {
        const index = turn === 0 ? first : turn <= first ? turn - 1 : turn;
        const message = messages[index]!;
        const data = typeof message === 'string' ? message : toBytes(message);
        let matched = false;
        for (const hmacKey of hmacKeys) {
          for (const signature of sigs) {
            if (await hmacVerify(hmacKey, signature, data)) matched = true;
          }
        }
        if (matched) {
          likely = index;
          return true;
        }
      }
      return false;
    },
  };
}

/**
 * SHA-256 of `data` as lowercase hex.
 *
 * @example
 * await sha256Hex('{"a":1}'); // '015abd7f…'
 */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  return toHex(await sha256(toBytes(data)));
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
