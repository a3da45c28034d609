import { describe, expect, it } from 'vitest';
import { describeValue, expectRecord, invalidOption, optionNames, positiveInteger, positiveNumber, rejectUnknownKeys } from './toolkit.ts';

describe('the options toolkit', () => {
  it('describes values briefly, and never the text of a secret', () => {
    expect([undefined, null, 0, true, '', 'x'.repeat(70), [], () => 1, {}].map((value) => describeValue(value))).toEqual([
      'nothing',
      'null',
      '0',
      'true',
      'an empty string',
      `"${'x'.repeat(60)}…"`,
      'an array',
      'a function',
      'an object',
    ]);
    expect(describeValue('hunter2', { secret: true })).toBe('a string');
    expect(() => invalidOption('token', 'a token', 'hunter2', { secret: true })).toThrow(/^token: expected a token, got a string$/);
  });

  it('checks records, unknown keys and numbers with one message shape', () => {
    expect(() => expectRecord([], 'options')).toThrow('options: expected an object, got an array');
    expect(() => rejectUnknownKeys({ a: 1, typo: 2 }, ['a', 'b'], 'options.')).toThrow('options.typo: unknown option; expected one of a, b');
    expect(positiveInteger(undefined, 'n', 7)).toBe(7);
    expect(() => positiveInteger(1.5, 'n', 7)).toThrow('n: expected a positive integer, got 1.5');
    expect(positiveInteger(0, 'n', 7, 0)).toBe(0);
    expect(() => positiveNumber(-1, 'ms', 5)).toThrow('ms: expected a positive number, got -1');
  });

  it('lists option names the compiler checks against the type', () => {
    interface Options {
      a?: number;
      b: string;
    }
    expect(optionNames<Options>()({ a: true, b: true })).toEqual(['a', 'b']);
  });
});
