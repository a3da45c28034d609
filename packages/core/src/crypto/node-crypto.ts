import nodeCrypto from 'node:crypto';
import type { CryptoPrimitives, HmacAlgorithm, HmacKey } from './types.ts';

// `#crypto` on Node, Bun and Deno (see types.ts). Synchronous underneath: an HMAC here costs a few
// microseconds, where Web Crypto's round trip through the thread pool costs tens. Called through
// the module object, so a test can count the calls as it counts Web Crypto's.

interface NodeHmacKey extends HmacKey {
  readonly secret: nodeCrypto.KeyObject;
}

const nodeNames: Record<HmacAlgorithm, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256' };

// A copy (20 or 32 bytes) with an ArrayBuffer of its own: a Buffer may be a view of a shared pool.
function asBytes(buffer: Buffer): Uint8Array<ArrayBuffer> {
  return new Uint8Array(buffer);
}

export const importHmacKey: CryptoPrimitives['importHmacKey'] = async (algorithm, key) => {
  const prepared: NodeHmacKey = { algorithm, secret: nodeCrypto.createSecretKey(key) };
  return prepared;
};

export const hmac: CryptoPrimitives['hmac'] = async (algorithm, key, data) => asBytes(nodeCrypto.createHmac(nodeNames[algorithm], key).update(data).digest());

export const hmacVerify: CryptoPrimitives['hmacVerify'] = async (key, signature, data) => {
  const expected = nodeCrypto
    .createHmac(nodeNames[key.algorithm], (key as NodeHmacKey).secret)
    .update(data)
    .digest();
  // The length of a MAC is public (it follows from the algorithm); only equal lengths are compared.
  return expected.length === signature.length && nodeCrypto.timingSafeEqual(expected, signature);
};

export const sha256: CryptoPrimitives['sha256'] = async (data) => asBytes(nodeCrypto.createHash('sha256').update(data).digest());

// Keyed by the certificate store's cached bytes: a key is parsed once per certificate, not per message.
const publicKeys = new WeakMap<ArrayBuffer, nodeCrypto.KeyObject>();

export const rsaVerify: CryptoPrimitives['rsaVerify'] = async (hash, spki, signature, data) => {
  let key = publicKeys.get(spki);
  if (key === undefined) {
    key = nodeCrypto.createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'rsa') throw new TypeError(`expected an RSA key, got ${key.asymmetricKeyType}`);
    publicKeys.set(spki, key);
  }
  return nodeCrypto.verify(nodeNames[hash], data, { key, padding: nodeCrypto.constants.RSA_PKCS1_PADDING }, signature);
};
