import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chatKeyOf } from './chat-key.ts';

describe('chatKeyOf', () => {
  it('is the JSON of the triple, with null for an absent Subtype', () => {
    expect(chatKeyOf({ SourceId: '+1', DestinationId: 'd', Subtype: 'connect:sms' })).toBe('["+1","d","connect:sms"]');
    expect(chatKeyOf({ SourceId: '+1', DestinationId: 'd' })).toBe('["+1","d",null]');
  });

  it('keeps triples apart that naive joining would merge', () => {
    expect(chatKeyOf({ SourceId: 'a|b', DestinationId: 'c' })).not.toBe(chatKeyOf({ SourceId: 'a', DestinationId: 'b|c' }));
    expect(chatKeyOf({ SourceId: 'a', DestinationId: 'b', Subtype: 'null' })).not.toBe(chatKeyOf({ SourceId: 'a', DestinationId: 'b' }));
  });

  it('property: equal keys exactly when the triples are equal', () => {
    const triple = fc.record({ SourceId: fc.string(), DestinationId: fc.string(), Subtype: fc.option(fc.string(), { nil: undefined }) });
    fc.assert(
      fc.property(triple, triple, (a, b) => {
        const same = a.SourceId === b.SourceId && a.DestinationId === b.DestinationId && a.Subtype === b.Subtype;
        return (chatKeyOf(a) === chatKeyOf(b)) === same;
      }),
    );
  });

  it('refuses input that is not a chat address', () => {
    expect(() => chatKeyOf(null as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => chatKeyOf({ SourceId: 1, DestinationId: 'd' } as never)).toThrow('event.SourceId: expected a string, got number');
  });
});
