import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AgeOrderedMap } from './age-ordered-map.ts';

type Op = { kind: 'set'; key: number; value: number } | { kind: 'delete'; key: number } | { kind: 'dropOldest' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 300 }), value: fc.integer() }),
  fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 300 }) }),
  fc.record({ kind: fc.constant('dropOldest' as const) }),
);

describe('AgeOrderedMap', () => {
  it('behaves as a Map in insertion order through any sequence of sets and deletes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 2_000 }), (ops) => {
        const map = new AgeOrderedMap<number, number>();
        const model = new Map<number, number>();
        for (const step of ops) {
          if (step.kind === 'set') {
            map.set(step.key, step.value);
            model.set(step.key, step.value);
          } else if (step.kind === 'delete') {
            expect(map.delete(step.key)).toBe(model.delete(step.key));
          } else {
            const oldest = map.entries().next().value;
            expect(oldest).toEqual(model.size === 0 ? undefined : [...model][0]);
            if (oldest) map.delete(oldest[0]);
            if (oldest) model.delete(oldest[0]);
          }
          expect(map.size).toBe(model.size);
        }
        expect([...map.entries()]).toEqual([...model]);
        expect([...map.keys()]).toEqual([...model.keys()]);
        expect([...map.values()]).toEqual([...model.values()]);
        for (const key of model.keys()) expect(map.get(key)).toBe(model.get(key));
      }),
      { numRuns: 200 },
    );
  });

  it('lets the entry just visited be deleted while iterating, oldest first', () => {
    const map = new AgeOrderedMap<string, number>();
    for (let i = 0; i < 500; i++) map.set(`k${i}`, i);
    const visited: number[] = [];
    for (const [key, value] of map.entries()) {
      visited.push(value);
      if (value % 2 === 0) map.delete(key);
      if (value === 399) break;
    }
    expect(visited).toEqual(Array.from({ length: 400 }, (_, i) => i));
    expect(map.size).toBe(300);
    expect(map.entries().next().value).toEqual(['k1', 1]);
  });
});
