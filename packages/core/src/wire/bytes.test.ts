import { describe, expect, it } from 'vitest';
import { concatBytes } from './bytes.ts';

describe('concatBytes', () => {
  it('joins chunks in order into an array with a buffer of its own, even for one chunk that is a view', () => {
    const socketRead = new Uint8Array([9, 1, 2, 3, 9]);
    const view = socketRead.subarray(1, 4);
    const joined = concatBytes([view], 3);
    expect([...joined]).toEqual([1, 2, 3]);
    expect(joined.buffer).not.toBe(socketRead.buffer);
    expect(joined.buffer.byteLength).toBe(3);
    expect([...concatBytes([new Uint8Array([1, 2]), new Uint8Array(0), new Uint8Array([3])], 3)]).toEqual([1, 2, 3]);
  });
});
