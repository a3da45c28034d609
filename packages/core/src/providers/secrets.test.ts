import { describe, expect, it } from 'vitest';
import { createSecretResolver } from './secrets.ts';
import { timingSafeEqual } from './hmac.ts';
import { fromBase64, fromHex, toBase64, toHex } from './encoding.ts';

const request = { headers: new Headers(), url: new URL('https://x.test/') };

describe('secrets', () => {
  it('resolves static and function sources to frozen non-empty lists, validated', async () => {
    expect(await createSecretResolver('a', 'key')(request)).toEqual(['a']);
    expect(await createSecretResolver(['a', 'b'], 'key')(request)).toEqual(['a', 'b']);
    expect(Object.isFrozen(await createSecretResolver(['a'], 'key')(request))).toBe(true);
    const fromEnv = createSecretResolver(({ env }) => env?.K as string, 'key');
    expect(await fromEnv({ ...request, env: { K: 'z' } })).toEqual(['z']);
    await expect(fromEnv(request)).rejects.toThrow(
      'key (returned by the function): expected a non-empty string, a non-empty array of strings or a function returning them, got nothing',
    );
    const throwing = createSecretResolver(() => Promise.reject(new Error('vault down')), 'key');
    await expect(throwing(request)).rejects.toMatchObject({ code: 'VERIFICATION_UNAVAILABLE', message: 'key: the secret function threw; retry later' });
    expect(() => createSecretResolver(['ok', 'bad'], 'key', (s) => (s === 'bad' ? 'too short' : undefined))).toThrow('key[1]: too short');
  });

  it('compares in constant time and decodes only canonical hex and base64', () => {
    expect(timingSafeEqual('abc', 'abc')).toBe(true);
    expect(timingSafeEqual('abc', 'abd')).toBe(false);
    expect(timingSafeEqual('abc', 'abcd')).toBe(false);
    expect(timingSafeEqual('', 'a')).toBe(false);
    expect(toHex(fromHex('00ff10')!)).toBe('00ff10');
    expect(fromHex('00FF10')).toBeUndefined();
    expect(fromHex('0')).toBeUndefined();
    expect(toBase64(fromBase64('aGk=')!)).toBe('aGk=');
    expect(fromBase64('aGl=')).toBeUndefined();
    expect(fromBase64('aGk')).toBeUndefined();
  });
});
