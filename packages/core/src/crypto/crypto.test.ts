import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as nodeCrypto from './node-crypto.ts';
import type { CryptoPrimitives } from './types.ts';
import * as webCrypto from './web-crypto.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const der = (key: Buffer) => key.buffer.slice(key.byteOffset, key.byteOffset + key.byteLength) as ArrayBuffer;
// Keys and signatures made by node:crypto's own sign(), as SNS makes them with its certificate's key.
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaSpki = der(rsa.publicKey.export({ format: 'der', type: 'spki' }));
const ecSpki = der(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' }));
const hex = (data: Uint8Array) => Array.from(data, (byte) => byte.toString(16).padStart(2, '0')).join('');

// Both implementations of `#crypto` against the published vectors (RFC 2202 and RFC 4231, case 2; FIPS 180-2).
describe.each([
  ['node:crypto (Node, Bun, Deno)', nodeCrypto],
  ['Web Crypto (Workers, browsers)', webCrypto],
] as Array<[string, CryptoPrimitives]>)('%s', (_name, primitives) => {
  const message = bytes('what do ya want for nothing?');
  const vectors = [
    ['SHA-1', 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79'],
    ['SHA-256', '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
  ] as const;

  it.each(vectors)('signs HMAC-%s as the RFC does, and verifies only that signature', async (algorithm, expected) => {
    const key = await primitives.importHmacKey(algorithm, bytes('Jefe'));
    const signature = await primitives.hmac(algorithm, bytes('Jefe'), message);
    expect(hex(signature)).toBe(expected);
    expect(await primitives.hmacVerify(key, signature, message)).toBe(true);
    expect(await primitives.hmacVerify(key, signature, 'what do ya want for nothing?')).toBe(true);
    expect(await primitives.hmacVerify(key, signature, bytes('what do ya want for nothing!'))).toBe(false);
    const flipped = signature.slice();
    flipped[0]! ^= 1;
    expect(await primitives.hmacVerify(key, flipped, message)).toBe(false);
    // A truncated signature is refused, not compared over its length.
    expect(await primitives.hmacVerify(key, signature.slice(0, 10), message)).toBe(false);
    expect(await primitives.hmacVerify(key, new Uint8Array(0), message)).toBe(false);
  });

  it.each(['SHA-1', 'SHA-256'] as const)('verifies an RSASSA-PKCS1-v1_5 %s signature under an SPKI key, and nothing else', async (hash) => {
    const data = bytes('Message\nhello\n');
    const signature = new Uint8Array(sign(hash === 'SHA-1' ? 'sha1' : 'sha256', data, rsa.privateKey));
    expect(await primitives.rsaVerify(hash, rsaSpki, signature, data)).toBe(true);
    // Prepared once per key: the second check of the same certificate gives the same answer.
    expect(await primitives.rsaVerify(hash, rsaSpki, signature, data)).toBe(true);
    expect(await primitives.rsaVerify(hash, rsaSpki, signature, bytes('Message\nhello!\n'))).toBe(false);
    expect(await primitives.rsaVerify(hash === 'SHA-1' ? 'SHA-256' : 'SHA-1', rsaSpki, signature, data)).toBe(false);
    await expect(primitives.rsaVerify(hash, ecSpki, signature, data)).rejects.toThrow();
  });

  it('hashes SHA-256 as FIPS 180-2 does, into bytes of its own', async () => {
    const digest = await primitives.sha256(bytes('abc'));
    expect(hex(digest)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(digest.byteOffset).toBe(0);
    expect(digest.buffer.byteLength).toBe(32);
  });
});
