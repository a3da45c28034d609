import nodeCrypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHmacVerifier, hmac } from './hmac.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * Counts the real node:crypto calls (`#crypto` on Node), which still do the work: a key prepared
 * (`createSecretKey`, only verifiers prepare keys) and an HMAC computed (`createHmac`).
 */
function countCrypto() {
  return { importKey: vi.spyOn(nodeCrypto, 'createSecretKey'), verify: vi.spyOn(nodeCrypto, 'createHmac') };
}

describe('createHmacVerifier', () => {
  it('verifies an HMAC under any key and any message, and nothing else', async () => {
    const verifier = createHmacVerifier('SHA-256');
    const signature = await hmac('SHA-256', 'k2', 'm2');
    expect(await verifier.verify(['k1', 'k2'], [signature], ['m1', 'm2'])).toBe(true);
    expect(await verifier.verify(['k1'], [signature], ['m1', 'm2'])).toBe(false);
    expect(await verifier.verify(['k2'], [signature.slice(0, 31)], ['m2'])).toBe(false);
    expect(await verifier.verify(['k2'], [new Uint8Array(32), signature], ['m1', 'm2'])).toBe(true);
    expect(await verifier.verify(['k2'], [signature], [])).toBe(false);
    // Bytes and the string of the same characters are different keys.
    const bytesKey = new TextEncoder().encode('k2');
    expect(await verifier.verify([bytesKey], [signature], ['m2'])).toBe(true);
    expect(await verifier.verify(['6b32'], [signature], ['m2'])).toBe(false);
  });

  it('imports each key once, however many requests it verifies, and keeps at most 32', async () => {
    const verifier = createHmacVerifier('SHA-1');
    const counted = countCrypto();
    const signature = await hmac('SHA-1', 'secondary', 'm');
    counted.importKey.mockClear();
    for (let i = 0; i < 5; i++) expect(await verifier.verify(['primary', 'secondary'], [signature], ['m'])).toBe(true);
    expect(counted.importKey).toHaveBeenCalledTimes(2);
    const bytes = new Uint8Array(24).fill(7);
    await verifier.verify([bytes], [signature], ['m']);
    await verifier.verify([new Uint8Array(24).fill(7)], [signature], ['m']);
    expect(counted.importKey).toHaveBeenCalledTimes(3);
    // Concurrent first uses share one import.
    await Promise.all([verifier.verify(['third'], [signature], ['m']), verifier.verify(['third'], [signature], ['m'])]);
    expect(counted.importKey).toHaveBeenCalledTimes(4);
    // Bounded: 32 other keys push the least recently used out, and it is imported again.
    for (let i = 0; i < 32; i++) await verifier.verify([`other-${i}`], [signature], ['m']);
    counted.importKey.mockClear();
    expect(await verifier.verify(['secondary'], [signature], ['m'])).toBe(true);
    expect(counted.importKey).toHaveBeenCalledTimes(1);
  });

  it('tries the message position that matched last time first, and only a valid signature moves it', async () => {
    const verifier = createHmacVerifier('SHA-1');
    const counted = countCrypto();
    const signedSecond = await hmac('SHA-1', 'k', 'with-port');
    const verifyCalls = async (signature: Uint8Array, messages: string[]) => {
      counted.verify.mockClear();
      const ok = await verifier.verify(['k'], [signature], messages);
      return { ok, calls: counted.verify.mock.calls.length };
    };
    expect(await verifyCalls(signedSecond, ['no-port', 'with-port'])).toEqual({ ok: true, calls: 2 });
    expect(await verifyCalls(signedSecond, ['no-port', 'with-port'])).toEqual({ ok: true, calls: 1 });
    // A forgery is checked against every form and leaves the preference where it was.
    expect(await verifyCalls(new Uint8Array(20), ['no-port', 'with-port'])).toEqual({ ok: false, calls: 2 });
    expect(await verifyCalls(signedSecond, ['no-port', 'with-port'])).toEqual({ ok: true, calls: 1 });
    // The first form is still accepted, and becomes the likely one.
    const signedFirst = await hmac('SHA-1', 'k', 'no-port');
    expect(await verifyCalls(signedFirst, ['no-port', 'with-port'])).toEqual({ ok: true, calls: 2 });
    expect(await verifyCalls(signedFirst, ['no-port', 'with-port'])).toEqual({ ok: true, calls: 1 });
    // Fewer forms than the remembered position: the first is tried first.
    expect(await verifyCalls(signedSecond, ['with-port'])).toEqual({ ok: true, calls: 1 });
  });

  it('tries every key for the likely form, so timing does not tell which key matched', async () => {
    const verifier = createHmacVerifier('SHA-256');
    const counted = countCrypto();
    const signature = await hmac('SHA-256', 'k1', 'm');
    counted.verify.mockClear();
    expect(await verifier.verify(['k1', 'k2', 'k3'], [signature], ['m'])).toBe(true);
    expect(counted.verify).toHaveBeenCalledTimes(3);
  });
});
