import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codePointLength } from './code-points.ts';
import { splitText } from './split-text.ts';

// Unicode White_Space without the no-break spaces: JavaScript's \s misses U+0085 (NEL) and adds U+FEFF.
const breakingSpace = /(?![\u00A0\u2007\u202F])\p{White_Space}/u;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const stripSpaces = (text: string) => text.replace(/(?![\u00A0\u2007\u202F])\p{White_Space}/gu, '');

describe('splitText', () => {
  it('keeps text within the limit as one part, and gives no part for empty text', () => {
    expect(splitText('hello world')).toEqual(['hello world']);
    expect(splitText('x'.repeat(1024))).toEqual(['x'.repeat(1024)]);
    expect(splitText('')).toEqual([]);
  });

  it('cuts at the last whitespace and drops it', () => {
    expect(splitText('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(splitText('aaa   bbb\n\nccc', 7)).toEqual(['aaa', 'bbb', 'ccc']);
    expect(splitText('aaaa bbbb', 4)).toEqual(['aaaa', 'bbbb']);
  });

  it('cuts a word longer than the limit hard', () => {
    expect(splitText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('breaks at every Unicode space, NEL included, and nowhere else', () => {
    expect(splitText('a\u0085b', 1)).toEqual(['a', 'b']);
    expect(splitText('a\uFEFFb', 2)).toEqual(['a\uFEFF', 'b']);
  });

  it('does not break at a no-break space', () => {
    expect(splitText('10\u00A0km ahead', 6)).toEqual(['10\u00A0km', 'ahead']);
    expect(splitText('10\u00A0km', 4)).toEqual(['10\u00A0k', 'm']);
  });

  it('counts code points and never splits a surrogate pair', () => {
    const parts = splitText('😀😀😀', 2);
    expect(parts).toEqual(['😀😀', '😀']);
    expect(splitText('a😀b', 1)).toEqual(['a', '😀', 'b']);
  });

  it('splits 2,500 characters of prose into parts of at most 1,024 characters by default', () => {
    const text = Array.from({ length: 500 }, (_, i) => `w${i % 10}xy`).join(' ');
    const parts = splitText(text);
    expect(parts.length).toBe(3);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(1024);
    expect(parts.join(' ')).toBe(text);
  });

  it('refuses bad input with INVALID_OPTIONS', () => {
    expect(() => splitText('x', 0)).toThrow('maxLength: expected a positive integer, got 0');
    expect(() => splitText('x', 1.5)).toThrow('maxLength: expected a positive integer, got 1.5');
    expect(() => splitText(undefined as unknown as string)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });

  const textArb = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 300 }),
    fc
      .array(fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), fc.constantFrom(' ', '\n', '  ', '\t', '\u00A0', '😀')), { maxLength: 120 })
      .map((a) => a.join('')),
  );

  it('property: parts are non-empty, within the limit, well-formed, and rejoin to the original modulo the whitespace at cuts', () => {
    fc.assert(
      fc.property(textArb, fc.integer({ min: 1, max: 40 }), (text, max) => {
        const parts = splitText(text, max);
        if (text === '') return parts.length === 0;
        let index = 0;
        for (const [i, part] of parts.entries()) {
          expect(part.length).toBeGreaterThan(0);
          expect(codePointLength(part)).toBeLessThanOrEqual(max);
          if (!loneSurrogate.test(text)) expect(loneSurrogate.test(part)).toBe(false);
          if (i > 0) while (index < text.length && !text.startsWith(part, index) && breakingSpace.test(text[index] ?? '')) index++;
          expect(text.startsWith(part, index)).toBe(true);
          index += part.length;
        }
        expect(stripSpaces(text.slice(index))).toBe('');
        expect(stripSpaces(parts.join(''))).toBe(stripSpaces(text));
        return true;
      }),
      { numRuns: 500 },
    );
  });
});
