/** The HMAC hashes the providers sign with. */
export type HmacAlgorithm = 'SHA-1' | 'SHA-256';

/** A secret prepared once for many HMACs (an imported Web Crypto key, a Node `KeyObject`). */
export interface HmacKey {
  readonly algorithm: HmacAlgorithm;
}

/**
 * The cryptography core needs, behind one small interface with two implementations chosen where core
 * runs (package.json `imports` `#crypto`): Node's `node:crypto` on Node, Bun and Deno — synchronous
 * and several times cheaper per webhook than Web Crypto there — and Web Crypto in Workers and browsers.
 *
 * @example
 * const key = await importHmacKey('SHA-256', secret); // once per secret
 * await hmacVerify(key, signature, body); // true or false, compared in constant time
 */
export interface CryptoPrimitives {
  importHmacKey(algorithm: HmacAlgorithm, key: Uint8Array<ArrayBuffer>): Promise<HmacKey>;
  /** One HMAC under a key used once (signing a test request, a reply). */
  hmac(algorithm: HmacAlgorithm, key: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>>;
  /** Whether `signature` is the HMAC of `data` (a string is taken as UTF-8), compared in constant time. */
  hmacVerify(key: HmacKey, signature: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer> | string): Promise<boolean>;
  sha256(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>>;
  /**
   * Whether `signature` is the RSASSA-PKCS1-v1_5 signature of `data` under the RSA key in `spki`
   * (DER). Throws when `spki` holds no usable RSA key. The prepared key is kept per `spki` object.
   */
  rsaVerify(hash: HmacAlgorithm, spki: ArrayBuffer, signature: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<boolean>;
}
