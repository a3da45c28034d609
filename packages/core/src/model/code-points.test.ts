import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Length } from './code-points.ts';

const encoder = new TextEncoder();
// Any UTF-16 units, lone surrogates included.
const anyUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 40 });

describe('utf8Length', () => {
  it('counts the bytes TextEncoder writes, for any string', () => {
    fc.assert(
      fc.property(fc.oneof(anyUnits, fc.string({ unit: 'grapheme', maxLength: 40 })), (text) => {
        expect(utf8Length(text)).toBe(encoder.encode(text).byteLength);
      }),
      { numRuns: 2_000 },
    );
  });

  it('one to four bytes per character; a lone surrogate as U+FFFD', () => {
    expect([utf8Length('a'), utf8Length('é'), utf8Length('€'), utf8Length('😀'), utf8Length('\ud83d'), utf8Length('\ude00x')]).toEqual([1, 2, 3, 4, 3, 4]);
  });
});
