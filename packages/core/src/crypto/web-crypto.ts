import type { CryptoPrimitives, HmacKey } from './types.ts';

// `#crypto` in Workers and browsers (see types.ts): Web Crypto only.

interface WebHmacKey extends HmacKey {
  readonly cryptoKey: CryptoKey;
}

export const importHmacKey: CryptoPrimitives['importHmacKey'] = async (algorithm, key) => {
  const cryptoKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: algorithm }, false, ['verify']);
  const prepared: WebHmacKey = { algorithm, cryptoKey };
  return prepared;
};

export const hmac: CryptoPrimitives['hmac'] = async (algorithm, key, data) => {
  const cryptoKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: algorithm }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, data));
};

// crypto.subtle.verify compares in constant time.
export const hmacVerify: CryptoPrimitives['hmacVerify'] = (key, signature, data) =>
  crypto.subtle.verify('HMAC', (key as WebHmacKey).cryptoKey, signature, typeof data === 'string' ? new TextEncoder().encode(data) : data);

export const sha256: CryptoPrimitives['sha256'] = async (data) => new Uint8Array(await crypto.subtle.digest('SHA-256', data));

// Keyed by the certificate store's cached bytes and the hash: a key is imported once per certificate.
const publicKeys = new WeakMap<ArrayBuffer, Map<string, Promise<CryptoKey>>>();

export const rsaVerify: CryptoPrimitives['rsaVerify'] = async (hash, spki, signature, data) => {
  let byHash = publicKeys.get(spki);
  if (byHash === undefined) {
    byHash = new Map();
    publicKeys.set(spki, byHash);
  }
  let key = byHash.get(hash);
  if (key === undefined) {
    key = crypto.subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['verify']);
    // A key that failed to import is not kept: the error reaches this caller, and the next one tries again.
    key.catch(() => byHash.delete(hash));
    byHash.set(hash, key);
  }
  return crypto.subtle.verify('RSASSA-PKCS1-v1_5', await key, signature, data);
};
